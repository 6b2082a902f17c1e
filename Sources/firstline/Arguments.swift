/// The words after a subcommand, split into positional arguments, options with a value and
/// flags, checked against what the subcommand accepts.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Parses `words`; `valued` lists the options that take a value, `flags` the ones that don't.
    /// - Throws: `UsageError` for an unknown option or a missing value.
    init(_ words: [String], valued: Set<String>, flags allowedFlags: Set<String>) throws(UsageError) {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                positional.append(contentsOf: words[(i + 1)...])
                break
            }
            if word.hasPrefix("--") {
                var name = word
                var inlineValue: String?
                if let equals = word.firstIndex(of: "=") {
                    name = String(word[..<equals])
                    inlineValue = String(word[word.index(after: equals)...])
                }
                if valued.contains(name) {
                    if let inlineValue {
                        options[name] = inlineValue
                    } else {
                        guard i + 1 < words.count else { throw UsageError("\(name) needs a value") }
                        options[name] = words[i + 1]
                        i += 1
                    }
                } else if allowedFlags.contains(name) && inlineValue == nil {
                    flags.insert(name)
                } else {
                    throw UsageError("unknown option \(word)")
                }
            } else {
                positional.append(word)
            }
            i += 1
        }
    }

    /// A number option within a range.
    func number(_ name: String, in range: ClosedRange<Double>) throws(UsageError) -> Double? {
        guard let text = options[name] else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw UsageError("\(name) must be a number between \(range.lowerBound) and \(range.upperBound), not \"\(text)\"")
        }
        return value
    }
}

/// A command line that cannot be run as written; the CLI prints it with the usage and exits 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
