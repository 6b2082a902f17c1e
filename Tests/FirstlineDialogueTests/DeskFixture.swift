import Foundation
import FirstlineNLU
@testable import FirstlineDialogue

/// The shipped bundle and helpers to drive a desk with pre-classified messages.
enum DeskFixture {
    static let bundle: IntentBundle = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Intents").path
        return try! IntentBundle.load(from: directory).bundle
    }()

    static let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static func understood(_ intent: String?, _ locale: String = "en", confidence: Float = 0.9, candidates: [String] = [], ambiguous: Bool = false, entities: [Understanding.Entity] = []) -> Understanding {
        let list = (intent.map { [$0] } ?? []) + candidates
        return Understanding(
            locale: locale, intent: intent, confidence: confidence,
            candidates: list.enumerated().map { .init(intent: $1, confidence: confidence - Float($0) * 0.05) },
            isAmbiguous: ambiguous, entities: entities)
    }
}

/// A desk with a clock that moves one second per event, recording every accepted event.
struct DeskDriver {
    var desk = Desk(bundle: DeskFixture.bundle)
    var clock: TimeInterval = 0
    var log: [(event: DeskEvent, at: Date)] = []

    @discardableResult
    mutating func run(_ event: DeskEvent, after seconds: TimeInterval = 1) throws -> [Effect] {
        clock += seconds
        let now = DeskFixture.at(clock)
        let effects = try desk.handle(event, now: now)
        log.append((event, now))
        return effects
    }

    @discardableResult
    mutating func say(_ session: String, _ text: String, _ understanding: Understanding, choice: String? = nil) throws -> [Effect] {
        try run(.userMessage(session: session, text: text, understanding: understanding, choice: choice))
    }

    func state(_ session: String) -> SessionState? { desk.session(session)?.state }

    /// The texts sent to the user among the effects.
    static func texts(_ effects: [Effect]) -> [String] {
        effects.compactMap { if case .send(let message) = $0 { return message.kind } else { return nil } }
    }

    static func ticket(_ effects: [Effect]) -> Ticket? {
        effects.lazy.compactMap { if case .enqueued(let ticket) = $0 { return ticket } else { return nil } }.first
    }
}
