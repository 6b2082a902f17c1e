/// Why a request was refused: bad framing, a limit passed, or a client too slow. Each maps to
/// one status (`status`) and a message safe to send back (`message`: no paths, no internals);
/// the connection answers with a JSON error body and closes.
enum HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    // Request line (RFC 9112 §3)
    /// The method is empty or holds a byte that is not a token character.
    case invalidMethod
    /// The request-target is empty or holds a byte outside visible ASCII (so no invalid UTF-8).
    case invalidTarget
    /// The target is not origin-form (`/path`), absolute-form (`http://host/path`), or `*`
    /// with OPTIONS (RFC 9112 §3.2).
    case unsupportedTargetForm
    /// The request line is not `method SP target SP HTTP/x.y`.
    case malformedRequestLine
    /// `HTTP/x.y` other than 1.0 and 1.1 (505).
    case unsupportedVersion
    /// The request line alone passes the head limit (414).
    case requestLineTooLong

    // Header section (RFC 9112 §5)
    /// The request line and fields pass the head limit (431).
    case headersTooLarge
    /// A CR not followed by LF (RFC 9112 §2.2).
    case bareCarriageReturn
    /// A field line starting with space or tab (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A field name that is empty or not a token, or a field line with no colon.
    case invalidFieldName
    /// Whitespace between the field name and the colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A control character (other than tab) or invalid UTF-8 in a field value.
    case invalidFieldValue
    /// HTTP/1.1 without Host, or more than one Host (RFC 9112 §3.2).
    case invalidHost

    // Framing (RFC 9112 §6)
    /// Both Content-Length and Transfer-Encoding (a smuggling attempt, RFC 9112 §6.1).
    case contentLengthWithTransferEncoding
    /// Content-Length that is not 1*DIGIT within range (sign, spaces, hex, a list, overflow).
    case invalidContentLength
    /// Content-Length more than once, even with the same value.
    case duplicateContentLength
    /// Transfer-Encoding whose final coding is not `chunked`, or `chunked` twice (400).
    case invalidTransferEncoding
    /// A transfer coding before `chunked` (`gzip, chunked`): none is implemented (501).
    case unsupportedTransferCoding
    /// Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1: faulty framing).
    case transferEncodingInHTTP10

    // Chunked body (RFC 9112 §7.1)
    /// A chunk size that is empty or not hexadecimal, or overflows.
    case invalidChunkSize
    /// A chunk-size line, chunk data or trailer not ended by CRLF.
    case invalidChunkFraming

    // Limits and time
    /// The body (declared or de-chunked) passes the body limit (413).
    case bodyTooLarge
    /// The head did not arrive in time (408).
    case headerTimeout
    /// The body did not arrive in time (408).
    case bodyTimeout

    /// The status the server answers with.
    var status: Int {
        switch self {
        case .unsupportedVersion: 505
        case .requestLineTooLong: 414
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .headerTimeout, .bodyTimeout: 408
        case .unsupportedTransferCoding: 501
        case .invalidMethod, .invalidTarget, .unsupportedTargetForm, .malformedRequestLine,
             .bareCarriageReturn, .obsoleteLineFolding, .invalidFieldName, .whitespaceBeforeColon,
             .invalidFieldValue, .invalidHost, .contentLengthWithTransferEncoding,
             .invalidContentLength, .duplicateContentLength, .invalidTransferEncoding,
             .transferEncodingInHTTP10, .invalidChunkSize, .invalidChunkFraming:
            400
        }
    }

    /// A sentence for the client.
    var message: String {
        switch self {
        case .invalidMethod: "The method is not a valid token."
        case .invalidTarget: "The request target holds characters outside visible ASCII."
        case .unsupportedTargetForm: "The request target must be an absolute path."
        case .malformedRequestLine: "The request line is malformed."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .requestLineTooLong: "The request line is too long."
        case .headersTooLarge: "The request header fields are too large."
        case .bareCarriageReturn: "A carriage return not followed by a line feed."
        case .obsoleteLineFolding: "Obsolete line folding is not accepted."
        case .invalidFieldName: "A header field name is invalid."
        case .whitespaceBeforeColon: "Whitespace between a header field name and the colon."
        case .invalidFieldValue: "A header field value holds a control character or invalid UTF-8."
        case .invalidHost: "HTTP/1.1 requests need exactly one Host header field."
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding together."
        case .invalidContentLength: "Content-Length is not a valid length."
        case .duplicateContentLength: "Content-Length is given more than once."
        case .invalidTransferEncoding: "Transfer-Encoding must end with chunked, once."
        case .unsupportedTransferCoding: "Only the chunked transfer coding is supported."
        case .transferEncodingInHTTP10: "Transfer-Encoding is not allowed in HTTP/1.0."
        case .invalidChunkSize: "A chunk size is invalid."
        case .invalidChunkFraming: "A chunk is not terminated by CRLF."
        case .bodyTooLarge: "The request body is too large."
        case .headerTimeout: "The request header took too long."
        case .bodyTimeout: "The request body took too long."
        }
    }

    /// The machine-readable code in the JSON error body (`bad_request`…).
    var code: String { HTTPStatus.code(status) }

    var description: String { "\(status) \(message)" }
}
