import Foundation

/// One parsed HTTP/1.1 request, as the server hands it to the application: method, target,
/// headers and the whole body (already de-chunked and within the body limit).
public struct HTTPRequest: Sendable {
    /// The method token as sent (`GET`, `POST`…), case-sensitive per RFC 9110.
    public var method: String
    /// The request-target as sent (`/api/x?y=1`).
    public var target: String
    /// The path of the target, percent-decoded, without the query.
    public var path: String
    /// The query parameters, percent-decoded (`+` is a space); a repeated name keeps the last.
    public var query: [String: String]
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body (empty when there is none).
    public var body: [UInt8]
    /// The peer's address (`127.0.0.1`, `::1`), for rate limits and logs.
    public var remoteAddress: String
    /// When the request was complete, in `DispatchTime.now().uptimeNanoseconds`, so the
    /// application can measure its latency.
    public var receivedAt: UInt64

    public init(method: String, target: String, path: String, query: [String: String] = [:], headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = "", receivedAt: UInt64 = 0) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.receivedAt = receivedAt
    }
}
