import Foundation
import FirstlineNLU

/// The support desk as a pure reducer: `(state, event, now) → (state, effects)`.
///
/// Every chat session runs its own state machine (`SessionState`); handoffs go through one
/// `HandoffQueue`. No I/O and no clock: the service appends each accepted event to the
/// journal, then carries out the effects; a restart folds the journal through the very same
/// `handle`, and trainers' replay calls it too. A refused event throws `DialogueError` and
/// leaves the state exactly as it was (every check runs before the first change).
public struct Desk: Sendable {
    public let bundle: IntentBundle
    public var policy: EscalationPolicy
    public internal(set) var state: DeskState
    let texts: DeskTexts

    public init(bundle: IntentBundle, policy: EscalationPolicy = EscalationPolicy(), queue: HandoffQueue.Settings = .init()) {
        self.bundle = bundle
        self.policy = policy
        state = DeskState(queue: HandoffQueue(settings: queue))
        texts = DeskTexts(bundle: bundle, policy: policy)
    }

    /// A desk resuming from a saved state (a snapshot); the queue keeps its saved settings.
    public init(bundle: IntentBundle, policy: EscalationPolicy = EscalationPolicy(), state: DeskState) {
        self.bundle = bundle
        self.policy = policy
        self.state = state
        texts = DeskTexts(bundle: bundle, policy: policy)
    }

    /// Folds recorded events into a fresh desk (recovery, tests). Refused events are skipped,
    /// as they were when first handled.
    public static func fold(_ events: [(event: DeskEvent, at: Date)], bundle: IntentBundle, policy: EscalationPolicy = .init(), queue: HandoffQueue.Settings = .init()) -> Desk {
        var desk = Desk(bundle: bundle, policy: policy, queue: queue)
        for (event, at) in events { _ = try? desk.handle(event, now: at) }
        return desk
    }

    /// Handles one event.
    /// - Returns: what the outside world must do (messages, notifications, timers).
    /// - Throws: `DialogueError` for an event that does not apply; the state is unchanged.
    public mutating func handle(_ event: DeskEvent, now: Date) throws(DialogueError) -> [Effect] {
        var effects: [Effect]
        switch event {
        case let .sessionOpened(session, locale):
            effects = try openSession(session, locale: locale, now: now)
        case let .userMessage(session, text, understanding, choice):
            effects = try userMessage(session, text: text, understanding: understanding, choice: choice, now: now)
        case let .userClosed(session):
            effects = try userClosed(session, now: now)
        case let .surveyGiven(session, rating, comment):
            effects = try surveyGiven(session, rating: rating, comment: comment, now: now)
        case let .idleTimeout(session):
            effects = try idleTimeout(session, now: now)
        case let .agentRegistered(agent, name, skills, capacity):
            effects = try registerAgent(agent, name: name, skills: skills, capacity: capacity, now: now)
        case let .agentPresence(agent, presence):
            effects = try changePresence(agent, presence, now: now)
        case let .agentClaimed(agent, ticket):
            effects = try claim(agent, ticket: ticket, now: now)
        case let .offerExpired(ticket, agent):
            effects = offerExpired(ticket, agent: agent, now: now)
        case let .agentMessage(agent, session, text):
            effects = try agentMessage(agent, session: session, text: text, now: now)
        case let .agentTransferred(agent, session, department):
            effects = try transfer(agent, session: session, to: department, now: now)
        case let .agentResolved(agent, session):
            effects = try finishWithAgent(agent, session: session, handBack: false, now: now)
        case let .agentHandedBack(agent, session):
            effects = try finishWithAgent(agent, session: session, handBack: true, now: now)
        case let .sessionsArchived(sessions):
            effects = try archive(sessions)
        }
        #if DEBUG
        assert(state.queue.invariantViolations().isEmpty, "\(state.queue.invariantViolations())")
        #endif
        return effects
    }

    /// A session by id.
    public func session(_ id: String) -> Session? { state.sessions[id] }

    // MARK: Sessions

    mutating func openSession(_ id: String, locale: String?, now: Date) throws(DialogueError) -> [Effect] {
        guard state.sessions[id] == nil, !state.archivedSessions.contains(id) else { throw .sessionExists(id) }
        if let locale, !bundle.locales.contains(locale) { throw .unknownLocale(locale) }
        var session = Session(id: id, locale: locale ?? bundle.defaultLocale, openedAt: now)
        let effects = [say(&session, .greeting, now: now), idleTimer(session)]
        state.sessions[id] = session
        return effects
    }

    mutating func userClosed(_ id: String, now: Date) throws(DialogueError) -> [Effect] {
        var session = try openSessionNamed(id)
        var effects = leaveQueue(&session)
        if session.state == .awaitingSurvey {
            session.state = .closed
        } else {
            session.state = .awaitingSurvey
            effects.append(surveyPrompt(&session, now: now))
        }
        state.sessions[id] = session
        return effects
    }

    mutating func surveyGiven(_ id: String, rating: Int, comment: String?, now: Date) throws(DialogueError) -> [Effect] {
        guard (1...5).contains(rating) else { throw .invalidRating(rating) }
        _ = try openSessionNamed(id)
        var session = state.sessions.removeValue(forKey: id)!  // in place: no transcript copy
        var effects = leaveQueue(&session)
        session.rating = rating
        session.ratingComment = comment
        effects.append(say(&session, .surveyThanks, now: now))
        session.state = .closed
        state.sessions[id] = session
        return effects
    }

    mutating func idleTimeout(_ id: String, now: Date) throws(DialogueError) -> [Effect] {
        if state.archivedSessions.contains(id) { return [] }
        guard var session = state.sessions[id] else { throw .unknownSession(id) }
        guard session.state.isBotHandled, now.timeIntervalSince(session.lastActivity) >= policy.idleTimeout else { return [] }
        let effect = say(&session, .idleClosed, now: now)
        session.state = .closed
        state.sessions[id] = session
        return [effect]
    }

    /// Removes closed sessions (their transcripts archived by the caller).
    /// - Throws: `sessionNotClosed`/`unknownSession` for any id that is not a closed session;
    ///   nothing is removed then.
    mutating func archive(_ ids: [String]) throws(DialogueError) -> [Effect] {
        for id in ids {
            guard let session = state.sessions[id] else { throw .unknownSession(id) }
            guard session.state == .closed else { throw .sessionNotClosed(id) }
        }
        for id in ids {
            state.sessions[id] = nil
            state.archivedSessions.insert(id)
        }
        return []
    }

    /// The session, or an error when it is unknown or closed.
    func openSessionNamed(_ id: String) throws(DialogueError) -> Session {
        if state.archivedSessions.contains(id) { throw .sessionClosed(id) }
        guard let session = state.sessions[id] else { throw .unknownSession(id) }
        guard session.state != .closed else { throw .sessionClosed(id) }
        return session
    }

    /// Takes the session's ticket out of the queue, if it has one.
    mutating func leaveQueue(_ session: inout Session) -> [Effect] {
        switch session.state {
        case .queued(let ticket):
            let department = state.queue.tickets[ticket]?.department ?? policy.generalDepartment
            state.queue.close(ticket)
            return [.notifyDepartment(department: department, notice: .userLeft(session: session.id))]
        case .withAgent(let ticket, let agent):
            state.queue.close(ticket)
            return [.notifyAgent(agent: agent, notice: .userLeft(session: session.id))]
        case .open, .awaitingConfirmation, .clarifying, .collecting, .awaitingSurvey, .closed:
            return []
        }
    }

    // MARK: Messages

    /// A bot message from the bundle, recorded in the transcript.
    func say(_ session: inout Session, _ message: BotMessage, values: [String: String] = [:], quickReplies: [QuickReply] = [], now: Date, role: Turn.Role = .bot) -> Effect {
        let text = texts.text(message, session.locale)
        let filled = values.isEmpty ? text : bundle.fill(text, locale: session.locale, values: values)
        return send(&session, filled, kind: message.key, quickReplies: quickReplies, role: role, now: now)
    }

    /// Any message to the user, recorded in the transcript.
    func send(_ session: inout Session, _ text: String, kind: String, quickReplies: [QuickReply] = [], role: Turn.Role = .bot, now: Date) -> Effect {
        session.transcript.append(Turn(role: role, text: text, at: now))
        return .send(OutgoingMessage(session: session.id, role: role, text: text, quickReplies: quickReplies, kind: kind))
    }

    func idleTimer(_ session: Session) -> Effect {
        .schedule(at: session.lastActivity.addingTimeInterval(policy.idleTimeout), .idle(session: session.id))
    }

    func surveyPrompt(_ session: inout Session, now: Date) -> Effect {
        let text = texts.text(.survey, session.locale)
        return send(&session, text, kind: "survey", quickReplies: (1...5).map { QuickReply(label: "\($0)", value: "\($0)") }, now: now)
    }
}
