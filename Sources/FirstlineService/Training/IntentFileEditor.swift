import FirstlineNLU
import Foundation

/// Adds training examples to intent files in place — one line inserted at the top of the
/// locale's list, the rest of the file untouched so the change reads as a one-line diff — and
/// keeps the bundle valid: every file it changed is restored if the bundle no longer loads.
public struct IntentFileEditor: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// What applying did.
    public struct Outcome: Sendable {
        public var added = 0
        public var alreadyPresent = 0
        public var skippedGroups = 0
    }

    /// Applies the groups that name an intent.
    /// - Throws: `NLUError` for an unknown intent or locale, or `BundleProblems` if the result
    ///   does not load (all files are then restored).
    public func apply(_ proposals: ExampleProposals) throws -> Outcome {
        let (bundle, _) = try IntentBundle.load(from: directory)
        var outcome = Outcome()
        var originals: [String: String] = [:]
        do {
            for group in proposals.groups {
                guard let intentID = group.intent else { outcome.skippedGroups += 1; continue }
                guard let intent = bundle.intent(intentID) else {
                    throw NLUError(file: directory, field: intentID, problem: "is not an intent of the bundle")
                }
                let path = (directory as NSString).appendingPathComponent("\(intentID).json")
                var text = try String(contentsOfFile: path, encoding: .utf8)
                if originals[path] == nil { originals[path] = text }
                for example in group.examples {
                    guard bundle.locales.contains(example.locale) else {
                        throw NLUError(file: path, field: "examples.\(example.locale)", problem: "\"\(example.locale)\" is not a locale of the bundle")
                    }
                    let key = Self.key(example.text, example.locale)
                    if (intent.examples[example.locale] ?? []).contains(where: { Self.key($0, example.locale) == key }) {
                        outcome.alreadyPresent += 1
                        continue
                    }
                    text = try Self.insert(example.text, locale: example.locale, into: text, path: path)
                    outcome.added += 1
                }
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            _ = try IntentBundle.load(from: directory)
        } catch {
            for (path, original) in originals { try? original.write(toFile: path, atomically: true, encoding: .utf8) }
            throw error
        }
        return outcome
    }

    static func key(_ text: String, _ locale: String) -> String {
        AnalysedText(text, locale: locale).foldedTokens.map(\.featureForm).joined(separator: " ")
    }

    /// Inserts `"example",` as the first item of `examples.<locale>`, with its indentation.
    static func insert(_ example: String, locale: String, into text: String, path: String) throws -> String {
        guard let examples = text.range(of: "\"examples\""),
              let list = text.range(of: "\"\(locale)\"", range: examples.upperBound..<text.endIndex),
              let open = text.range(of: "[", range: list.upperBound..<text.endIndex) else {
            throw NLUError(file: path, field: "examples.\(locale)", problem: "not found; add the locale's list first")
        }
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: [example], options: [.withoutEscapingSlashes]), as: UTF8.self)
        let quoted = String(encoded.dropFirst().dropLast())
        let lineStart = text[..<list.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let indent = String(text[lineStart..<list.lowerBound]) + "  "
        let isEmptyList = text[open.upperBound...].drop { $0.isWhitespace }.first == "]"
        return text.replacingCharacters(in: open, with: "[\n" + indent + quoted + (isEmptyList ? "" : ","))
    }
}
