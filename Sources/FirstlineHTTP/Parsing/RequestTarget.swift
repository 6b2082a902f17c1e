/// Splits a request-target into its percent-decoded path and query parameters.
enum RequestTarget {
    /// - Parameter target: origin-form (`/a%20b?x=1&y`), absolute-form or `*`.
    /// - Returns: the path (`/a b`) and the query (`["x": "1", "y": ""]`; `+` is a space;
    ///   a repeated name keeps the last value).
    /// - Complexity: O(n).
    static func split(_ target: String) -> (path: String, query: [String: String]) {
        var origin = target.utf8.first == UInt8(ascii: "/") ? target : (HTTPHeadParser.absoluteFormPath(target) ?? target)
        var query: [String: String] = [:]
        if let mark = origin.utf8.firstIndex(of: UInt8(ascii: "?")) {
            let queryBytes = origin.utf8[origin.utf8.index(after: mark)...]
            for pair in queryBytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
                if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                    query[decode(pair[..<equals], plusIsSpace: true)] = decode(pair[pair.index(after: equals)...], plusIsSpace: true)
                } else {
                    query[decode(pair[...], plusIsSpace: true)] = ""
                }
            }
            origin = String(decoding: origin.utf8[..<mark], as: UTF8.self)
        }
        return (decode(origin.utf8[...], plusIsSpace: false), query)
    }

    /// Percent-decodes; a `%` not followed by two hex digits stays as it is; invalid UTF-8
    /// after decoding becomes U+FFFD.
    static func decode(_ bytes: Substring.UTF8View.SubSequence, plusIsSpace: Bool) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"),
               let first = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex), first < bytes.endIndex,
               let second = bytes.index(first, offsetBy: 1, limitedBy: bytes.endIndex), second < bytes.endIndex,
               let high = hex(bytes[first]), let low = hex(bytes[second]) {
                output.append(high << 4 | low)
                index = bytes.index(after: second)
                continue
            }
            output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
