import Foundation
import Testing
import FirstlineDialogue
import FirstlineNLU
@testable import FirstlineStore

@Suite("The desk made durable, and transcripts")
struct DeskJournalTests {
    static let bundle: IntentBundle = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Intents").path
        return try! IntentBundle.load(from: directory).bundle
    }()

    static func understood(_ intent: String?, _ locale: String = "en") -> Understanding {
        Understanding(locale: locale, intent: intent, confidence: 0.875, candidates: intent.map { [.init(intent: $0, confidence: 0.875)] } ?? [])
    }

    func conversation(_ n: Int) -> [DeskEvent] {
        let id = "s\(n)"
        return [
            .sessionOpened(session: id, locale: nil),
            .userMessage(session: id, text: "hello", understanding: Self.understood("greeting"), choice: nil),
            .userMessage(session: id, text: "my deposit of 50 EUR never arrived, card 4111 1111 1111 1111", understanding: Self.understood("deposit.missing"), choice: nil),
            .agentClaimed(agent: "a", ticket: nil),
            .agentMessage(agent: "a", session: id, text: "Write to me at ana@example.com"),
            .agentResolved(agent: "a", session: id),
            .surveyGiven(session: id, rating: 4, comment: nil),
        ]
    }

    @Test("after a restart the desk is exactly what it was, refused events left out")
    func restart() throws {
        let directory = TemporaryDirectory("desk")
        let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000.123456)
        var live: DeskState
        do {
            let store = try DeskJournal(directory: directory.path, bundle: Self.bundle)
            _ = try store.handle(.agentRegistered(agent: "a", name: "Ana", skills: ["payments", "general"], capacity: 3), now: t0)
            _ = try store.handle(.agentPresence(agent: "a", presence: .online), now: t0)
            var step = 1.0
            for n in 0..<20 {
                for event in conversation(n) {
                    _ = try? store.handle(event, now: t0.addingTimeInterval(step))
                    step += 0.37
                }
            }
            #expect(throws: DialogueError.self) { try store.handle(.agentClaimed(agent: "ghost", ticket: nil), now: t0) }
            live = store.desk.state
            store.close()
        }
        let reopened = try DeskJournal(directory: directory.path, bundle: Self.bundle)
        defer { reopened.close() }
        #expect(reopened.desk.state == live)
        #expect(reopened.report.lastSequence == 2 + 20 * 7)
    }

    @Test("a snapshot makes recovery start from it, and the state is still exact")
    func snapshot() throws {
        let directory = TemporaryDirectory("desk-snapshot")
        let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)
        var live: DeskState
        do {
            let store = try DeskJournal(directory: directory.path, bundle: Self.bundle)
            store.snapshotInterval = 25
            _ = try store.handle(.agentRegistered(agent: "a", name: "Ana", skills: ["payments", "general"], capacity: 3), now: t0)
            _ = try store.handle(.agentPresence(agent: "a", presence: .online), now: t0)
            for n in 0..<10 { for event in conversation(n) { _ = try store.handle(event, now: t0.addingTimeInterval(Double(n))) } }
            live = store.desk.state
            store.close()
        }
        let reopened = try DeskJournal(directory: directory.path, bundle: Self.bundle)
        defer { reopened.close() }
        #expect(reopened.report.snapshotSequence != nil)
        #expect(reopened.report.replayedCount < 25)
        #expect(reopened.desk.state == live)
    }

    @Test("a record that does not decode stops start-up with its sequence number")
    func undecodable() throws {
        let directory = TemporaryDirectory("desk-bad")
        let (journal, _) = try Journal.open(directory: directory.path)
        _ = try journal.append(contentsOf: [Data("{\"at\": 1, \"event\": {\"fromTheFuture\": {}}}".utf8)])
        journal.close()
        #expect(throws: DeskRecordError.self) { _ = try DeskJournal(directory: directory.path, bundle: Self.bundle) }
    }

    @Test("exported transcripts keep the DESIGN shape and mask personal data")
    func export() throws {
        var desk = Desk(bundle: Self.bundle)
        let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)
        _ = try desk.handle(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 3), now: t0)
        _ = try desk.handle(.agentPresence(agent: "a", presence: .online), now: t0)
        for event in conversation(1) { _ = try? desk.handle(event, now: t0) }
        let lines = TranscriptExporter().jsonLines(Array(desk.state.sessions.values))
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["id"] as? String == "s1")
        #expect(object["locale"] as? String == "en")
        let turns = try #require(object["turns"] as? [[String: Any]])
        #expect(turns.contains { $0["role"] as? String == "agent" })
        let user = turns.filter { $0["role"] as? String == "user" }
        #expect(user.map { $0["intent"] as? String } == ["greeting", "deposit.missing"])
        #expect(lines[0].contains("[card]") && lines[0].contains("[email]"))
        #expect(!lines[0].contains("4111") && !lines[0].contains("ana@example.com"))
        #expect(lines[0].contains("50 EUR"))
    }

    @Test("personal data masking", arguments: [
        ("card 4111 1111 1111 1111 please", "card [card] please"),
        ("card 4111-1111-1111-1112 fails Luhn", "card [number] fails Luhn"),
        ("IBAN TR33 0006 1005 1978 6457 8413 26 ok", "IBAN [iban] ok"),
        ("IBAN TR33 0006 1005 1978 6457 8413 26 OK", "IBAN [iban] OK"),
        ("IBAN LT12 1000 0111 0100 1000", "IBAN [iban]"),
        ("mail me: Jan.Kowalski+bet@poczta.example.pl", "mail me: [email]"),
        ("call +48 601 234 567 or 0532 123 45 67", "call [phone] or [phone]"),
        ("bet id 88123412 for 200 zł on 12.03.2025", "bet id 88123412 for 200 zł on 12.03.2025"),
    ])
    func masking(text: String, expected: String) {
        #expect(PersonalDataMasker().mask(text) == expected)
    }
}
