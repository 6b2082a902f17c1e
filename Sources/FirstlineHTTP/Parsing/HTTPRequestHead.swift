/// A parsed request line and header section, with what they say about the body and the
/// connection. The decoder produces it; the connection turns it into an `HTTPRequest`.
struct HTTPRequestHead: Sendable, Equatable {
    /// How the body is delimited (RFC 9112 §6.3).
    enum Framing: Sendable, Equatable {
        /// No body (no Content-Length, no Transfer-Encoding, or Content-Length: 0).
        case none
        /// `Content-Length` bytes.
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
    }

    /// The method token, case-sensitive.
    var method: String
    /// The request-target as sent.
    var target: String
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// The header fields, in order.
    var headers: HTTPHeaders
    /// How the body is delimited.
    var framing: Framing
    /// Whether the connection may carry another request after this one: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    var isKeepAlive: Bool
    /// `Expect: 100-continue` was sent.
    var expectsContinue: Bool

    /// Whether this is a HEAD request (its response carries no body).
    var isHead: Bool { method == "HEAD" }
}
