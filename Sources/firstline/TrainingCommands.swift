import FirstlineNLU
import FirstlineService
import FirstlineStore
import Foundation

/// `firstline apply FILE [--intents DIR]`: adds the examples of a reviewed proposals file
/// (from `replay --suggest` or `review`) to the intent files; groups without an intent are
/// skipped; nothing changes if the bundle would no longer load.
struct ApplyCommand {
    let file: String
    let directory: String

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--intents"], flags: [])
        guard arguments.positional.count == 1 else { throw UsageError("apply takes one proposals FILE") }
        file = arguments.positional[0]
        directory = arguments.options["--intents"] ?? "Intents"
    }

    func run() throws -> Int32 {
        let outcome = try IntentFileEditor(directory: directory).apply(try ExampleProposals(contentsOf: file))
        Output.line("added \(outcome.added) example(s); \(outcome.alreadyPresent) already there; \(outcome.skippedGroups) group(s) without an intent skipped")
        Output.line("next: firstline eval --intents \(directory) --folds 5, and replay against your baseline")
        return 0
    }
}

/// `firstline review [--data DIR] [--intents DIR] [--out FILE]`: the live messages the bot did
/// not understand (from the transcripts the journal archived and the chats in progress),
/// grouped by similarity, as a proposals file: set each group's intent, then `apply` it.
struct ReviewCommand {
    let dataDirectory: String
    let directory: String
    let output: String

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--data", "--intents", "--out"], flags: [])
        guard arguments.positional.isEmpty else { throw UsageError("review takes no positional arguments") }
        dataDirectory = arguments.options["--data"] ?? ".firstline"
        directory = arguments.options["--intents"] ?? "Intents"
        output = arguments.options["--out"] ?? "review.json"
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        var lines: [String] = []
        if let text = try? String(contentsOfFile: dataDirectory + "/transcripts.jsonl", encoding: .utf8) {
            lines += text.split(separator: "\n").map(String.init)
        }
        let store = try DeskJournal(directory: dataDirectory + "/journal", bundle: bundle, archivePath: dataDirectory + "/transcripts.jsonl")
        lines += TranscriptExporter().jsonLines(Array(store.desk.state.sessions.values))
        store.close()
        let classifier = IntentClassifier(bundle: bundle)
        var messages: [(ExampleProposals.Example, String?)] = []
        var seen = Set<String>()
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["id"] as? String, let turns = object["turns"] as? [[String: Any]] else { continue }
            let locale = object["locale"] as? String ?? bundle.defaultLocale
            for (index, turn) in turns.enumerated() where turn["role"] as? String == "user" && turn["intent"] as? String == IntentDataset.outOfScope {
                guard let text = turn["text"] as? String, seen.insert(text.lowercased()).inserted else { continue }
                let guess = classifier.classify(text, previousLocale: locale)
                messages.append((.init(locale: guess.locale, text: text, source: "\(id) turn \(index + 1)"), guess.candidates.first?.intent))
            }
        }
        let proposals = ExampleProposals(unrecognised: messages)
        try proposals.jsonData().write(to: URL(fileURLWithPath: output))
        Output.line("\(messages.count) message(s) not understood, in \(proposals.groups.count) group(s): \(output)")
        Output.line("set \"intent\" for the groups to keep, then: firstline apply \(output)")
        return 0
    }
}
