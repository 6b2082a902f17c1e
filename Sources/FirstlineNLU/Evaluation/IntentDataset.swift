import Foundation

/// A labelled data set in JSONL: one `{"text", "intent"}` object a line (other fields, such
/// as `"lang"`, are optional; `"oos"` marks out of scope).
public struct IntentDataset: Sendable {
    /// The label that marks an out-of-scope message.
    public static let outOfScope = "oos"

    /// One line of the file.
    public struct Row: Sendable {
        /// The message.
        public var text: String
        /// Its intent.
        public var intent: String
        /// Its language, when the line gives one.
        public var lang: String?
    }

    /// The rows, in file order.
    public var rows: [Row]
    /// Where the rows came from.
    public var path: String

    /// Reads a JSONL file; blank lines are skipped.
    /// - Throws: `NLUError` naming the file and line of the first bad line.
    public init(contentsOf path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NLUError(file: path, problem: "cannot be read (missing file or no permission)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NLUError(file: path, problem: "is not valid UTF-8")
        }
        var rows: [Row] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let location = "\(path):\(number + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw NLUError(file: location, problem: "is not a JSON object; expected {\"text\": ..., \"intent\": ...}")
            }
            guard let text = object["text"] as? String else {
                throw NLUError(file: location, field: "text", problem: "is missing or not a string")
            }
            guard let intent = object["intent"] as? String, !intent.isEmpty else {
                throw NLUError(file: location, field: "intent", problem: "is missing, empty or not a string")
            }
            rows.append(Row(text: text, intent: intent, lang: object["lang"] as? String))
        }
        if rows.isEmpty { throw NLUError(file: path, problem: "has no examples") }
        self.rows = rows
    }

    /// The rows as training examples.
    public var labelled: [LabelledText] {
        rows.map { LabelledText(text: $0.text, label: $0.intent, locale: $0.lang) }
    }
}
