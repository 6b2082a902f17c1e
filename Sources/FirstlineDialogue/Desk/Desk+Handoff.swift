import Foundation
import FirstlineNLU

/// Handing a chat to people: the ticket, its evidence, what the user is told, and offers to agents.
extension Desk {
    /// Queues the session for `department` and tells the user where they stand: position and
    /// expected wait, or — nobody of the department online — a ticket number and the promised
    /// response time (the ticket still waits).
    mutating func handoff(
        _ session: inout Session, intent: String?, department: String, priority: IntentDefinition.Priority,
        reason: String, understanding: Understanding, now: Date
    ) -> [Effect] {
        let department = bundle.departments[department] == nil ? policy.generalDepartment : department
        session.handoffIntent = intent
        let evidence = makeEvidence(session, intent: intent, reason: reason, understanding: understanding)
        let ticket = state.queue.enqueue(session: session.id, department: department, priority: priority, evidence: evidence, now: now)
        session.state = .queued(ticket: ticket.id)
        var effects: [Effect] = [.enqueued(ticket), .notifyDepartment(department: department, notice: .ticketQueued(ticket: ticket.id, priority: priority.rawValue))]
        effects.append(queueNotice(&session, ticket: ticket.id, now: now))
        effects += offer(now: now)
        return effects
    }

    /// "You are number N, about M min" or the offline acknowledgement.
    mutating func queueNotice(_ session: inout Session, ticket: String, now: Date) -> Effect {
        guard let current = state.queue.tickets[ticket] else { return say(&session, .fallback, now: now) }
        let department = bundle.departments[current.department]
        let name = department?.name[session.locale] ?? current.department
        if state.queue.isStaffed(current.department) {
            let position = state.queue.position(of: ticket) ?? 1
            let wait = state.queue.expectedWait(department: current.department, position: position)
            return say(&session, .handoffQueued, values: [
                "department": name, "position": "\(position)", "wait": Durations.minutes(wait, locale: session.locale),
            ], now: now, role: .system)
        }
        state.queue.acknowledgeOffline(ticket)
        return say(&session, .offlineAck, values: [
            "department": name, "ticket": ticket,
            "response_time": Durations.hours(department?.responseHours ?? 24, locale: session.locale),
        ], now: now, role: .system)
    }

    /// Offers waiting tickets to available agents, with a timer per offer.
    mutating func offer(now: Date) -> [Effect] {
        state.queue.offerWaiting(now: now).flatMap { offer -> [Effect] in
            [.notifyAgent(agent: offer.agent, notice: .offered(ticket: offer.ticket.id)),
             .schedule(at: offer.ticket.offerExpires ?? now, .offer(ticket: offer.ticket.id, agent: offer.agent))]
        }
    }

    /// What the agent reads first.
    func makeEvidence(_ session: Session, intent: String?, reason: String, understanding: Understanding) -> HandoffEvidence {
        let confidence = session.transcript.last { $0.role == .user && $0.intent == intent }?.confidence ?? understanding.confidence
        let entities = session.entities
        let userTurns = session.transcript.filter { $0.role == .user }.count
        let hundredths = Int((confidence * 100).rounded())
        let shown = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        var parts = [session.locale, intent.map { "\($0) (\(shown))" } ?? "not understood", reason]
        if !entities.isEmpty { parts.append(entities.prefix(4).map { "\($0.kind) \($0.text)" }.joined(separator: ", ")) }
        if !session.collected.isEmpty { parts.append("details: " + session.collected.keys.sorted().joined(separator: ", ")) }
        parts.append("\(userTurns) user turn\(userTurns == 1 ? "" : "s")")
        return HandoffEvidence(
            summary: parts.joined(separator: " · "), locale: session.locale, intent: intent, confidence: confidence, reason: reason,
            transcript: session.transcript, collected: session.collected, entities: entities)
    }
}

/// Waits and response times in the user's language, for the queue messages.
enum Durations {
    static let minuteUnit = ["tr": "dk", "az": "dəq", "lt": "min", "pl": "min", "ru": "мин", "en": "min"]
    static let hourUnit = ["tr": "saat", "az": "saat", "lt": "h", "pl": "h", "ru": "ч", "en": "hours"]

    static func minutes(_ seconds: TimeInterval, locale: String) -> String {
        "\(max(1, Int((seconds / 60).rounded(.up)))) \(minuteUnit[locale] ?? "min")"
    }

    static func hours(_ hours: Int, locale: String) -> String {
        "\(hours) \(hourUnit[locale] ?? "h")"
    }
}
