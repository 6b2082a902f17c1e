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

@Suite("Desk records: binary codec and archiving")
struct DeskRecordCodecTests {
    static let at = Date(timeIntervalSinceReferenceDate: 812_345_678.901234)

    static let events: [DeskEvent] = [
        .sessionOpened(session: "s", locale: nil), .sessionOpened(session: "ş-ü", locale: "tr"),
        .userMessage(session: "s", text: "çekim 500 TL 😡", understanding: Understanding(
            locale: "tr", intent: "withdrawal.pending", confidence: 0.8125,
            candidates: [.init(intent: "withdrawal.pending", confidence: 0.8125), .init(intent: "withdrawal.how", confidence: 0.1)],
            isAmbiguous: true, entities: [.init(kind: "amount", text: "500")], frustration: 2), choice: "human"),
        .userMessage(session: "s", text: "", understanding: Understanding(locale: "en", intent: nil, confidence: 0), choice: nil),
        .userClosed(session: "s"), .surveyGiven(session: "s", rating: 5, comment: "спасибо"), .surveyGiven(session: "s", rating: -3, comment: nil),
        .idleTimeout(session: "s"), .agentRegistered(agent: "a", name: "Ana", skills: ["payments", "general"], capacity: 7),
        .agentPresence(agent: "a", presence: .away), .agentClaimed(agent: "a", ticket: nil), .agentClaimed(agent: "a", ticket: "T-000001"),
        .offerExpired(ticket: "T-000001", agent: "a"), .agentMessage(agent: "a", session: "s", text: "hi"),
        .agentTransferred(agent: "a", session: "s", department: "technical"), .agentResolved(agent: "a", session: "s"),
        .agentHandedBack(agent: "a", session: "s"), .sessionsArchived(sessions: ["s", "t"]),
    ]

    @Test("every event survives encoding exactly")
    func roundTrip() throws {
        for event in Self.events {
            let record = DeskRecord(at: Self.at, event: event)
            #expect(try DeskRecordCodec.decode(DeskRecordCodec.encode(record)) == record)
        }
    }

    @Test("truncated, extended or newer records are refused, never misread")
    func malformed() {
        for event in Self.events {
            let bytes = DeskRecordCodec.encode(DeskRecord(at: Self.at, event: event))
            for cut in 0..<bytes.count {
                #expect(throws: DeskRecordCodec.Malformed.self) { try DeskRecordCodec.decode(bytes.prefix(cut)) }
            }
            #expect(throws: DeskRecordCodec.Malformed.self) { try DeskRecordCodec.decode(bytes + Data([0])) }
        }
        var newer = DeskRecordCodec.encode(DeskRecord(at: Self.at, event: .userClosed(session: "s")))
        newer[0] = 2
        #expect(throws: DeskRecordCodec.Malformed.self) { try DeskRecordCodec.decode(newer) }
    }

    @Test("a snapshot archives closed sessions' masked transcripts and keeps memory to open chats")
    func archiving() throws {
        let directory = TemporaryDirectory("desk-archive")
        let archive = directory.child("transcripts.jsonl")
        let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)
        let u = Understanding(locale: "en", intent: "greeting", confidence: 0.9)
        var live: DeskState
        do {
            let store = try DeskJournal(directory: directory.child("journal"), bundle: DeskJournalTests.bundle, archivePath: archive)
            _ = try store.handle(.sessionOpened(session: "done", locale: "en"), now: t0)
            _ = try store.handle(.userMessage(session: "done", text: "hi, my mail is x@y.example", understanding: u, choice: nil), now: t0)
            _ = try store.handle(.userClosed(session: "done"), now: t0)
            _ = try store.handle(.surveyGiven(session: "done", rating: 5, comment: nil), now: t0)
            _ = try store.handle(.sessionOpened(session: "open", locale: "en"), now: t0)
            try store.snapshot()
            live = store.desk.state
            #expect(live.sessions.keys.sorted() == ["open"])
            #expect(live.archivedSessions == ["done"])
            #expect(throws: DialogueError.sessionClosed("done")) {
                try store.handle(.userMessage(session: "done", text: "hello?", understanding: u, choice: nil), now: t0)
            }
            store.close()
        }
        let lines = try String(contentsOfFile: archive, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("\"id\":\"done\"") && lines[0].contains("[email]"))
        let reopened = try DeskJournal(directory: directory.child("journal"), bundle: DeskJournalTests.bundle, archivePath: archive)
        defer { reopened.close() }
        #expect(reopened.desk.state == live)
    }
}
