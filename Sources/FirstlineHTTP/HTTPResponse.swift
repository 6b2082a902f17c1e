/// A complete response: status, header fields and body. The server adds `Content-Length`,
/// `Date`, and `Connection: close` when it is closing the connection.
public struct HTTPResponse: Sendable {
    /// The status code (`200`); the reason phrase is the server's.
    public var status: Int
    /// The application's fields; `Content-Length`, `Transfer-Encoding` and `Connection` are
    /// the server's and replaced; CR, LF and NUL are removed from values.
    public var headers: HTTPHeaders
    /// The body (not sent for HEAD, 1xx, 204 and 304).
    public var body: [UInt8]

    /// A response with raw fields and body.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text body with its content type.
    public init(status: Int, contentType: String, body: String) {
        self.init(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(body.utf8))
    }
}
