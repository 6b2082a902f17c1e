/// `{{name}}` placeholders in answers and messages.
public enum Placeholders {
    /// A placeholder that is not closed or has an invalid name.
    public struct Malformed: Error, Hashable, Sendable {
        /// What was found.
        public var fragment: String
    }

    /// The names used in `text`, in order.
    /// - Throws: `Malformed` for `{{` without `}}` or a name with other than letters,
    ///   digits, `.`, `_` and `-`.
    public static func names(in text: String) throws -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Malformed(fragment: String(rest[open.lowerBound...].prefix(30)))
            }
            let name = String(rest[open.upperBound..<close.lowerBound])
            let isValid = !name.isEmpty && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
            }
            guard isValid else { throw Malformed(fragment: "{{" + name + "}}") }
            names.append(name)
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Replaces every `{{name}}` for which `value(name)` is not nil.
    public static func fill(_ text: String, value: (String) -> String?) -> String {
        guard text.contains("{{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            result += value(name) ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
