import FirstlineNLU
import FirstlineStore
import Foundation

/// `firstline export [--data DIR] [--intents DIR]`: prints every conversation as a transcript
/// (DESIGN.md shape, personal data masked), one JSON object a line: first the archived ones
/// (closed chats moved out of memory), then those still in the journal's state. Trainers label
/// `expect` in them and replay them.
struct ExportCommand {
    let dataDirectory: String
    let directory: String

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--data", "--intents"], flags: [])
        guard arguments.positional.isEmpty else { throw UsageError("export takes no positional arguments") }
        dataDirectory = arguments.options["--data"] ?? ".firstline"
        directory = arguments.options["--intents"] ?? "Intents"
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        let archive = dataDirectory + "/transcripts.jsonl"
        var seen = Set<String>()
        if let text = try? String(contentsOfFile: archive, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                // A crash between archiving and journaling may repeat a conversation; print it once.
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let id = object["id"] as? String, seen.insert(id).inserted else { continue }
                Output.line(String(line))
            }
        }
        let store = try DeskJournal(directory: dataDirectory + "/journal", bundle: bundle, archivePath: archive)
        defer { store.close() }
        for line in TranscriptExporter().jsonLines(Array(store.desk.state.sessions.values)) where !seen.contains(Self.id(of: line)) {
            Output.line(line)
        }
        return 0
    }

    private static func id(of line: String) -> String {
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["id"] as? String ?? ""
    }
}
