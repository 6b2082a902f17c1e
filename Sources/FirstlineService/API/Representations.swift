import FirstlineDialogue
import FirstlineNLU
import Foundation

/// How desk values appear in the API's JSON (the shapes are listed in the README's API
/// reference): messages, queue places, ticket summaries, conversations, agents.
enum Representation {
    /// Guarded by `formatterLock` (a formatter is not thread-safe).
    nonisolated(unsafe) private static let timeFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
    private static let formatterLock = NSLock()

    static func time(_ date: Date) -> JSONValue {
        .string(formatterLock.withLock { timeFormatter.string(from: date) })
    }

    static func confidence(_ value: Float?) -> JSONValue {
        value.map { .double((Double($0) * 1000).rounded() / 1000) } ?? .null
    }

    static func message(_ message: OutgoingMessage, at: Date) -> JSONValue {
        .object([
            ("role", .string(message.role.rawValue)), ("text", .string(message.text)), ("kind", .string(message.kind)),
            ("quick_replies", .array(message.quickReplies.map { ["label": .string($0.label), "value": .string($0.value)] })),
            ("at", time(at)),
        ])
    }

    static func turn(_ turn: Turn, includeUnderstanding: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [("role", .string(turn.role.rawValue)), ("text", .string(turn.text)), ("at", time(turn.at))]
        if includeUnderstanding {
            members += [("intent", .optional(turn.intent)), ("confidence", confidence(turn.confidence)), ("agent", .optional(turn.agent))]
        }
        return .object(members)
    }

    /// The ticket a session waits on or is served under.
    static func ticketID(_ session: Session) -> String? {
        switch session.state {
        case .queued(let ticket), .withAgent(let ticket, _): return ticket
        case .open, .awaitingConfirmation, .clarifying, .collecting, .awaitingSurvey, .closed: return nil
        }
    }

    /// The user's place in the queue, or null when not waiting.
    static func queue(_ session: Session, desk: Desk, position: Int? = nil) -> JSONValue {
        guard case .queued(let id) = session.state, let ticket = desk.state.queue.tickets[id] else { return .null }
        let place = position ?? desk.state.queue.position(of: id) ?? 1
        return .object([
            ("ticket", .string(id)), ("department", .string(ticket.department)),
            ("department_name", .string(departmentName(ticket.department, locale: session.locale, bundle: desk.bundle))),
            ("position", .int(place)),
            ("expected_wait_s", .int(Int(desk.state.queue.expectedWait(department: ticket.department, position: place).rounded()))),
            ("staffed", .bool(desk.state.queue.isStaffed(ticket.department))),
        ])
    }

    static func departmentName(_ id: String, locale: String, bundle: IntentBundle) -> String {
        guard let department = bundle.departments[id] else { return id }
        return department.name[locale] ?? department.name[bundle.defaultLocale] ?? id
    }

    static func ticket(_ ticket: Ticket, for agent: String?, now: Date) -> JSONValue {
        .object([
            ("ticket", .string(ticket.id)), ("session", .string(ticket.session)), ("department", .string(ticket.department)),
            ("priority", .string(ticket.priority.rawValue)), ("waiting_s", .int(max(0, Int(now.timeIntervalSince(ticket.queuedAt))))),
            ("queued_at", time(ticket.queuedAt)), ("summary", .string(ticket.evidence.summary)), ("locale", .string(ticket.evidence.locale)),
            ("intent", .optional(ticket.evidence.intent)), ("reason", .string(ticket.evidence.reason)),
            ("offered_to_me", .bool(agent != nil && ticket.offeredTo == agent)), ("claimed_by", .optional(ticket.claimedBy)),
            ("returned", .bool(ticket.isReturned)),
        ])
    }

    /// Tickets listed per department in an agent's queue (the first ones; the count is given).
    static let agentQueueDepth = 50

    /// The queue as one agent sees it: the waiting tickets of each of their departments, and
    /// the chats they hold.
    static func agentQueue(_ agent: Agent, desk: Desk, now: Date) -> JSONValue {
        let queue = desk.state.queue
        let departments: [JSONValue] = agent.skills.sorted().map { department in
            let waiting = queue.waiting(department: department)
            return .object([
                ("id", .string(department)), ("name", .string(departmentName(department, locale: "en", bundle: desk.bundle))),
                ("waiting", .array(waiting.prefix(agentQueueDepth).map { ticket($0, for: agent.id, now: now) })),
                ("waiting_count", .int(waiting.count)),
            ])
        }
        let mine = queue.tickets.values.filter { $0.claimedBy == agent.id }.sorted { $0.queuedAt < $1.queuedAt }
        return ["departments": .array(departments), "mine": .array(mine.map { ticket($0, for: agent.id, now: now) })]
    }

    static func agent(_ agent: Agent, bundle: IntentBundle) -> JSONValue {
        .object([
            ("id", .string(agent.id)), ("name", .string(agent.name)), ("skills", .array(agent.skills.map(JSONValue.string))),
            ("presence", .string(agent.presence.rawValue)), ("capacity", .int(agent.capacity)),
            ("holding", .array(agent.holding.map(JSONValue.string))),
            ("departments", .array(bundle.departments.keys.sorted().map { id in
                ["id": .string(id), "name": .string(departmentName(id, locale: "en", bundle: bundle))]
            })),
        ])
    }

    /// What an agent sees of a chat: the bot's context and the whole transcript.
    static func conversation(_ session: Session, desk: Desk) -> JSONValue {
        let ticketID = ticketID(session)
        let ticket = ticketID.flatMap { desk.state.queue.tickets[$0] }
        let evidence = ticket?.evidence
        return .object([
            ("session", .string(session.id)), ("ticket", .optional(ticketID)), ("department", .optional(ticket?.department)),
            ("priority", .optional(ticket?.priority.rawValue)), ("state", .string(session.state.name)), ("locale", .string(session.locale)),
            ("summary", .optional(evidence?.summary)), ("reason", .optional(evidence?.reason)),
            ("intent", .optional(evidence?.intent ?? session.handoffIntent)), ("confidence", confidence(evidence?.confidence)),
            ("collected", .object(session.collected.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("entities", .array(session.entities.map { ["kind": .string($0.kind), "text": .string($0.text)] })),
            ("turns", .array(session.transcript.map { turn($0, includeUnderstanding: true) })),
            ("rating", session.rating.map(JSONValue.int) ?? .null),
        ])
    }
}
