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
    /// - Complexity: O(n) in the length of the text (a byte scan, no Foundation search).
    public static func fill(_ text: String, value: (String) -> String?) -> String {
        let bytes = Array(text.utf8)
        guard let first = openIndex(bytes, from: 0) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 32)
        var copied = 0
        var open: Int? = first
        while let start = open {
            guard let end = closeIndex(bytes, from: start + 2) else { break }
            result.append(contentsOf: bytes[copied..<start])
            let name = String(decoding: bytes[(start + 2)..<end], as: UTF8.self)
            if let replacement = value(name) {
                result.append(contentsOf: replacement.utf8)
            } else {
                result.append(contentsOf: bytes[start..<(end + 2)])
            }
            copied = end + 2
            open = openIndex(bytes, from: copied)
        }
        result.append(contentsOf: bytes[copied...])
        return String(decoding: result, as: UTF8.self)
    }

    private static func openIndex(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 0x7B && bytes[i + 1] == 0x7B { return i }
            i += 1
        }
        return nil
    }

    private static func closeIndex(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 0x7D && bytes[i + 1] == 0x7D { return i }
            i += 1
        }
        return nil
    }
}
