import FirstlineDialogue
import FirstlineNLU
import Foundation

/// What the bot did with one replayed user turn.
public struct ReplayedTurn: Sendable {
    public var conversation: String
    public var source: String
    public var language: String
    public var text: String
    public var expected: Transcript.Expectation?
    /// The intent the bot acted on (a slot value counts as its `collect` intent; "oos" when
    /// not understood).
    public var intent: String
    public var confidence: Float
    /// The likeliest intent before any threshold, and its confidence (for threshold tuning).
    public var topCandidate: String?
    public var topConfidence: Float
    /// answer, clarify, handoff or collect.
    public var outcome: String
    public var department: String?

    /// Whether the intent matches the expectation (nil: nothing expected).
    public var isIntentRight: Bool? { expected?.intent.map { $0 == intent } }

    /// Whether outcome and department match (nil: nothing expected).
    public var isOutcomeRight: Bool? {
        guard let expectedOutcome = expected?.outcome else { return nil }
        if expectedOutcome != outcome { return false }
        if let department = expected?.department { return department == self.department }
        return true
    }
}

/// Drives transcripts through the very code the live service runs — the bundle's classifier
/// and the desk's reducer — on a deterministic clock (10 s between turns).
public struct ReplayEngine: Sendable {
    public let classifier: IntentClassifier
    public var policy: EscalationPolicy

    public init(classifier: IntentClassifier, policy: EscalationPolicy = EscalationPolicy()) {
        self.classifier = classifier
        self.policy = policy
    }

    /// Replays conversations; `progress` is called every 1,000 conversations.
    /// - Complexity: O(turns) classifications and reducer steps.
    public func replay(_ transcripts: [Transcript], progress: (Int) -> Void = { _ in }) -> [ReplayedTurn] {
        // Conversations are independent: each gets a fresh desk (a copy of one built once).
        let template = Desk(bundle: classifier.bundle, policy: policy)
        var results: [ReplayedTurn] = []
        let start = Date(timeIntervalSinceReferenceDate: 800_000_000)
        var clock = 0.0
        for (number, transcript) in transcripts.enumerated() {
            if number % 1_000 == 999 { progress(number + 1) }
            let session = "replay-\(number)"
            var desk = template
            let locale = transcript.locale.flatMap { classifier.bundle.locales.contains($0) ? $0 : nil }
            clock += 10
            _ = try? desk.handle(.sessionOpened(session: session, locale: locale), now: start.addingTimeInterval(clock))
            for turn in transcript.turns {
                clock += 10
                let before = desk.session(session)?.state
                let previous = desk.session(session)?.locale
                let classification = classifier.classify(turn.text, previousLocale: previous)
                let understanding = Understanding(classification)
                let effects = (try? desk.handle(
                    .userMessage(session: session, text: turn.text, understanding: understanding, choice: nil),
                    now: start.addingTimeInterval(clock))) ?? []
                let after = desk.session(session)?.state
                var waitingFor: String?
                switch after {
                case .queued(let ticket)?, .withAgent(let ticket, _)?: waitingFor = desk.state.queue.tickets[ticket]?.department
                default: waitingFor = nil
                }
                results.append(Self.describe(
                    turn, conversation: "\(transcript.id)#\(number)", language: transcript.locale ?? classification.locale,
                    classification: classification, effects: effects, before: before, after: after, waitingFor: waitingFor))
                if after == .closed { break }
            }
        }
        return results
    }

    static func describe(
        _ turn: Transcript.UserTurn, conversation: String, language: String, classification: Classification,
        effects: [Effect], before: SessionState?, after: SessionState?, waitingFor: String?
    ) -> ReplayedTurn {
        var outcome = "answer"
        var department: String?
        var kinds: [String] = []
        for effect in effects {
            switch effect {
            case .enqueued(let ticket):
                outcome = "handoff"
                department = ticket.department
            case .send(let message):
                kinds.append(message.kind)
            case .notifyAgent, .notifyDepartment, .schedule:
                continue
            }
        }
        if outcome != "handoff" {
            if kinds.contains(where: { ["clarify", "not_helped", "fallback"].contains($0) }) {
                outcome = "clarify"
            } else if kinds.contains(where: { $0.hasPrefix("slot:") }) {
                outcome = "collect"
            } else if let waitingFor {
                // Already with people (queued or with an agent): the turn stays a handoff.
                outcome = "handoff"
                department = waitingFor
            }
        }
        var intent = classification.intent ?? IntentDataset.outOfScope
        if case .collecting(let collecting, _)? = before {
            // A detail given while collecting counts as the collect intent, unless the message
            // escaped (gambling harm, a person) and was answered as its own intent.
            let escaped = kinds.contains { $0.hasPrefix("answer:") && $0 != "answer:\(collecting)" }
            if !escaped { intent = collecting }
        }
        let top = classification.candidates.first
        return ReplayedTurn(
            conversation: conversation, source: turn.source, language: language, text: turn.text, expected: turn.expect,
            intent: intent, confidence: classification.confidence, topCandidate: top?.intent, topConfidence: top?.confidence ?? 0,
            outcome: outcome, department: department)
    }
}
