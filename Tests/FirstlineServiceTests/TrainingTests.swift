import Foundation
import Testing
import FirstlineNLU
@testable import FirstlineService

@Suite("Proposed examples: suggest, review, apply")
struct TrainingTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Intents").path

    func copyOfBundle() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intents-\(UUID())").path
        try FileManager.default.copyItem(atPath: Self.source, toPath: directory)
        return directory
    }

    @Test("apply inserts one line per example, skips undecided groups and repeats, and the bundle still loads")
    func apply() throws {
        let directory = try copyOfBundle()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try String(contentsOfFile: directory + "/bonus.missing.json", encoding: .utf8)
        let proposals = ExampleProposals(groups: [
            .init(intent: "bonus.missing", guess: nil, examples: [.init(locale: "tr", text: "freespinlerim \"hâlâ\" yüklenmedi", source: "t")]),
            .init(intent: nil, guess: "oos", examples: [.init(locale: "en", text: "capital of peru?", source: "t")]),
        ])
        let outcome = try IntentFileEditor(directory: directory).apply(proposals)
        #expect(outcome.added == 1 && outcome.skippedGroups == 1)
        let after = try String(contentsOfFile: directory + "/bonus.missing.json", encoding: .utf8)
        #expect(after.split(separator: "\n").count == before.split(separator: "\n").count + 1)
        let (bundle, _) = try IntentBundle.load(from: directory)
        #expect(bundle.intent("bonus.missing")?.examples["tr"]?.first == "freespinlerim \"hâlâ\" yüklenmedi")
        #expect(try IntentFileEditor(directory: directory).apply(proposals).alreadyPresent == 1)
    }

    @Test("apply refuses an unknown intent and leaves every file as it was")
    func applyUnknown() throws {
        let directory = try copyOfBundle()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try String(contentsOfFile: directory + "/bonus.missing.json", encoding: .utf8)
        let proposals = ExampleProposals(groups: [
            .init(intent: "bonus.missing", guess: nil, examples: [.init(locale: "en", text: "my free spins vanished", source: "t")]),
            .init(intent: "bonus.vanished", guess: nil, examples: [.init(locale: "en", text: "x", source: "t")]),
        ])
        #expect(throws: NLUError.self) { try IntentFileEditor(directory: directory).apply(proposals) }
        #expect(try String(contentsOfFile: directory + "/bonus.missing.json", encoding: .utf8) == before)
    }

    @Test("messages not understood are grouped by similarity, and the file round-trips")
    func review() throws {
        let proposals = ExampleProposals(unrecognised: [
            (.init(locale: "en", text: "what is the capital of peru", source: "a"), "oos"),
            (.init(locale: "en", text: "what's the capital of peru?", source: "b"), "oos"),
            (.init(locale: "tr", text: "yarın hava nasıl olacak", source: "c"), nil),
        ])
        #expect(proposals.groups.map(\.examples.count) == [2, 1])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID()).json").path
        try proposals.jsonData().write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try ExampleProposals(contentsOf: path)
        #expect(read.groups.map(\.examples) == proposals.groups.map(\.examples))
        #expect(read.groups.allSatisfy { $0.intent == nil })
    }
}
