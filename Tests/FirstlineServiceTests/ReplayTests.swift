import Foundation
import Testing
import FirstlineDialogue
import FirstlineNLU
@testable import FirstlineService

@Suite("Replay for trainers")
struct ReplayTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Intents").path
    static let bundle = try! IntentBundle.load(from: directory).bundle
    /// Trained on the first 20 examples of each intent and locale: debug builds train slowly.
    static let classifier = IntentClassifier(bundle: bundle, examples: bundle.intents.flatMap { intent in
        intent.examples.keys.sorted().flatMap { locale in
            intent.examples[locale]!.prefix(20).map { LabelledText(text: $0, label: intent.id, locale: locale) }
        }
    })
    static let reader = TranscriptReader(knownIntents: Set(bundle.intents.map(\.id)), knownDepartments: Set(bundle.departments.keys))

    func write(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).jsonl").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("bad lines are reported with file and line, and the rest is still read")
    func badLines() throws {
        let path = try write([
            #"{"id": "ok", "locale": "en", "turns": [{"role": "user", "text": "hello", "expect": {"intent": "greeting"}}]}"#,
            #"{"id": "broken", "turns": [ "#,
            #"{"id": "x", "turns": [{"role": "user", "text": "hi", "expect": {"intent": "greetings"}}]}"#,
            #"{"id": "y", "turns": [{"role": "user", "text": "hi", "expect": {"outcome": "handoff", "department": "vip"}}]}"#,
            #"{"id": "z", "turns": [{"role": "bot", "text": "hi"}]}"#,
            "",
            #"{"id": "ok2", "locale": "tr", "turns": [{"role": "user", "text": "merhaba"}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (transcripts, problems) = Self.reader.read(file: path)
        #expect(transcripts.map(\.id) == ["ok", "ok2"])
        #expect(problems.map(\.location) == ["\(path):2", "\(path):3", "\(path):4", "\(path):5"])
        #expect(problems[1].message.contains("\"greetings\" is not an intent of the bundle"))
        #expect(problems[2].message.contains("\"vip\" is not a department"))
    }

    @Test("an empty file is a problem, not silence")
    func emptyFile() throws {
        let path = try write([""])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (transcripts, problems) = Self.reader.read(file: path)
        #expect(transcripts.isEmpty)
        #expect(problems.first?.message == "is empty: no conversations")
    }

    @Test("outcomes follow the desk: answer, collect, handoff with department")
    func outcomes() throws {
        let path = try write([
            #"{"id": "c", "locale": "en", "turns": [{"role": "user", "text": "I want to file a complaint about your support", "expect": {"intent": "complaint"}}, {"role": "user", "text": "the agent was rude and closed my chat", "expect": {"intent": "complaint"}}, {"role": "user", "text": "yesterday evening", "expect": {"intent": "complaint"}}, {"role": "user", "text": "account 5512345", "expect": {"intent": "complaint", "outcome": "handoff", "department": "complaints"}}]}"#,
            #"{"id": "a", "locale": "en", "turns": [{"role": "user", "text": "how long is the welcome bonus valid", "expect": {"intent": "bonus.expiry", "outcome": "answer"}}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let turns = ReplayEngine(classifier: Self.classifier).replay(Self.reader.read(file: path).transcripts)
        #expect(turns.map(\.outcome) == ["collect", "collect", "collect", "handoff", "answer"])
        #expect(turns[3].department == "complaints")
        #expect(turns.allSatisfy { $0.isIntentRight != false })
        let report = ReplayReport(turns)
        #expect(report.overall.intentAccuracy == 100)
        #expect(report.containmentRate == 50)
        #expect(report.missedHandoffs.isEmpty && report.wrongHandoffs.isEmpty)
    }

    @Test("the baseline gate: any drop, in any language, or a lower responsible-gambling recall fails")
    func baseline() {
        let old: [String: Any] = ["intent_accuracy": 95.0, "outcome_accuracy": 90.0, "missed_handoffs": 1, "wrong_handoffs": 2,
                                  "responsible_gambling_recall": 100.0,
                                  "per_lang": ["tr": ["intent_accuracy": 94.0, "outcome_accuracy": 90.0], "pl": ["intent_accuracy": 96.0, "outcome_accuracy": 91.0]]]
        #expect(ReplayBaseline.regressions(current: old, baseline: old).isEmpty)
        var worse = old
        worse["per_lang"] = ["tr": ["intent_accuracy": 93.5, "outcome_accuracy": 90.0], "pl": ["intent_accuracy": 97.0, "outcome_accuracy": 91.0]]
        #expect(ReplayBaseline.regressions(current: worse, baseline: old) == ["tr: intent_accuracy fell from 94.0 to 93.5"])
        var harm = old
        harm["responsible_gambling_recall"] = 95.0
        harm["missed_handoffs"] = 2
        #expect(ReplayBaseline.regressions(current: harm, baseline: old).count == 2)
    }

    @Test("the threshold sweep recommends the lowest threshold that reaches the target")
    func sweep() {
        func turn(_ expected: String, _ top: String, _ confidence: Float) -> ReplayedTurn {
            ReplayedTurn(conversation: "c", source: "s", language: "en", text: "t", expected: .init(intent: expected, outcome: nil, department: nil),
                         intent: top, confidence: confidence, topCandidate: top, topConfidence: confidence, outcome: "answer", department: nil)
        }
        let sweep = ThresholdSweep([turn("a", "a", 0.9), turn("a", "b", 0.3), turn("b", "b", 0.6), turn("b", "a", 0.12)])
        #expect(sweep.rows.first?.answeredShare == 100 && sweep.rows.first?.answeredAccuracy == 50)
        #expect(sweep.recommended(forAccuracy: 100)?.threshold == 0.35)
        #expect(sweep.recommended(forAccuracy: 60)?.threshold == 0.15)
    }

    @Test("the HTML report is one self-contained page")
    func html() throws {
        let path = try write([#"{"id": "a", "locale": "en", "turns": [{"role": "user", "text": "how long is the welcome bonus valid", "expect": {"intent": "bonus.wagering"}}]}"#])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let turns = ReplayEngine(classifier: Self.classifier).replay(Self.reader.read(file: path).transcripts)
        let page = ReplayHTML(report: ReplayReport(turns), sweep: ThresholdSweep(turns), classifier: Self.classifier, title: "t").render()
        #expect(page.contains("<svg") && page.contains("Turns that differ") && page.contains("bonus.wagering"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
    }
}
