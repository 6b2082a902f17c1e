import FirstlineHTTP
import Foundation

/// A request's JSON object body, with typed accessors that name the field and the fix in
/// their errors. An empty body reads as `{}`.
struct RequestBody {
    private let object: [String: Any]

    /// Parses the body; a non-empty body must be `application/json` and a JSON object.
    init(_ request: HTTPRequest) throws(APIError) {
        guard !request.body.isEmpty else {
            object = [:]
            return
        }
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw APIError(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(request.body), options: [.fragmentsAllowed]) else {
            throw APIError(400, "invalid_json", "the body is not valid JSON (UTF-8)")
        }
        guard let object = parsed as? [String: Any] else {
            throw APIError(400, "invalid_json", "the body must be a JSON object, like {\"text\": \"…\"}")
        }
        self.object = object
    }

    /// A string field: trimmed, control characters other than newlines removed, at most
    /// `maxLength` characters.
    func string(_ name: String, maxLength: Int, required: Bool = false) throws(APIError) -> String? {
        guard let value = object[name], !(value is NSNull) else {
            if required { throw APIError.invalid("'\(name)' is required") }
            return nil
        }
        guard let text = value as? String else { throw APIError.invalid("'\(name)' must be a string") }
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 == "\n" || !($0.properties.generalCategory == .control) }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard cleaned.count <= maxLength else {
            throw APIError(413, "too_large", "'\(name)' is \(cleaned.count) characters; at most \(maxLength) are accepted")
        }
        if required && cleaned.isEmpty { throw APIError.invalid("'\(name)' must not be empty") }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// An integer field.
    func int(_ name: String, required: Bool = false) throws(APIError) -> Int? {
        guard let value = object[name], !(value is NSNull) else {
            if required { throw APIError.invalid("'\(name)' is required") }
            return nil
        }
        guard !(value is Bool), let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded(),
              abs(number.doubleValue) < 1e9 else {
            throw APIError.invalid("'\(name)' must be a whole number")
        }
        return number.intValue
    }
}
