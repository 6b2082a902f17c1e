import FirstlineDialogue
import FirstlineHTTP

/// An error the API reports to its caller: a 4xx status, a stable code and a message saying
/// what was wrong and how to fix it — never a stack trace, a path, or another user's data.
public struct APIError: Error, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    /// Extra members of the error object (a bundle's problems).
    public var details: [(String, JSONValue)] = []

    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func badRequest(_ message: String) -> APIError { APIError(400, "bad_request", message) }
    static func invalid(_ message: String) -> APIError { APIError(422, "invalid", message) }
    static let unauthorized = APIError(401, "unauthorized", "a valid token is required: send it as 'Authorization: Bearer <token>'")
    static let notFound = APIError(404, "not_found", "no such resource")
    static func tooLarge(_ message: String) -> APIError { APIError(413, "too_large", message) }

    /// The desk refused an event: 409 with the reducer's reason, or 404 for an unknown session.
    init(_ error: DialogueError) {
        switch error {
        case .unknownSession: self.init(404, "not_found", "no such session")
        case .unknownTicket: self.init(404, "not_found", "\(error)")
        case .unknownLocale, .unknownDepartment, .invalidRating, .invalidAgent: self.init(422, "invalid", "\(error)")
        default: self.init(409, "conflict", "\(error)")
        }
    }

    /// The response carrying it.
    var response: HTTPResponse {
        let body: JSONValue = ["error": .object([("code", .string(code)), ("message", .string(message))] + details)]
        var response = HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]), body: body.encoded())
        if status == 401 { response.headers.add("WWW-Authenticate", "Bearer") }
        return response
    }
}
