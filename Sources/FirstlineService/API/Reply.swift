import FirstlineHTTP
import Foundation

/// The way back to one API request: adds the headers every response carries (CORS for an
/// allowed origin, no caching of API data, no MIME sniffing), records status and latency for
/// `/metrics`, and turns errors into `{"error": {"code", "message"}}`.
struct Reply: Sendable {
    let responder: HTTPResponder
    let receivedAt: UInt64
    let metrics: ServiceMetrics
    var extraHeaders: [(String, String)] = []

    func send(_ response: HTTPResponse) {
        var response = response
        for (name, value) in extraHeaders { response.headers.add(name, value) }
        if response.headers["Cache-Control"] == nil { response.headers.add("Cache-Control", "no-store") }
        response.headers.add("X-Content-Type-Options", "nosniff")
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- receivedAt) / 1e9
        metrics.request(status: response.status, seconds: receivedAt == 0 ? 0 : max(0, elapsed))
        responder.respond(response)
    }

    func json(_ value: JSONValue, status: Int = 200) {
        send(HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]), body: value.encoded()))
    }

    func error(_ error: APIError) { send(error.response) }

    func noContent() { send(HTTPResponse(status: 204)) }

    /// Answers with a runner job's result: its value, or its error (an unexpected error is
    /// a 500 that says nothing of the inside).
    func complete(_ result: Result<JSONValue, any Error>, status: Int = 200) {
        switch result {
        case .success(let value): json(value, status: status)
        case .failure(let error as APIError): self.error(error)
        case .failure: self.error(APIError(500, "internal", "something went wrong on our side; the request was not completed"))
        }
    }
}
