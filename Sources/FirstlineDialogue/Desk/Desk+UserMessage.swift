import Foundation
import FirstlineNLU

/// The bot's side of a conversation: what it does with each user message, by state.
extension Desk {
    mutating func userMessage(_ id: String, text: String, understanding: Understanding, choice: String?, now: Date) throws(DialogueError) -> [Effect] {
        // Taken out of the dictionary so the transcript grows in place (no copy per message).
        guard var session = state.sessions.removeValue(forKey: id) else {
            throw state.archivedSessions.contains(id) ? .sessionClosed(id) : .unknownSession(id)
        }
        guard session.state != .closed else {
            state.sessions[id] = session
            throw .sessionClosed(id)
        }
        defer { state.sessions[id] = session }
        session.lastActivity = now
        if bundle.locales.contains(understanding.locale) { session.locale = understanding.locale }
        session.transcript.append(Turn(role: .user, text: text, at: now, intent: understanding.intent, confidence: understanding.confidence))
        for entity in understanding.entities where entity.kind != "word" && entity.kind != "number" && !session.entities.contains(entity) {
            session.entities.append(entity)
        }
        let hits = understanding.frustration
        session.frustrationHits += hits
        let isFrustrated = hits >= policy.frustrationHitsToEscalate
            || (hits > 0 && session.frustrationHits >= policy.frustrationHitsToEscalate)
        var effects: [Effect] = []
        switch session.state {
        case .queued(let ticket):
            effects = whileQueued(&session, ticket: ticket, understanding: understanding, isFrustrated: isFrustrated, text: text, now: now)
        case .withAgent(_, let agent):
            effects = [.notifyAgent(agent: agent, notice: .userMessage(session: id, text: text))]
        case .awaitingSurvey:
            if let rating = Int(text.trimmingCharacters(in: .whitespaces)), (1...5).contains(rating) {
                session.rating = rating
                effects = [say(&session, .surveyThanks, now: now)]
                session.state = .closed
            } else {
                session.state = .open
                effects = botTurn(&session, text: text, understanding: understanding, choice: choice, isFrustrated: isFrustrated, now: now)
            }
        case .open, .awaitingConfirmation, .clarifying, .collecting:
            effects = botTurn(&session, text: text, understanding: understanding, choice: choice, isFrustrated: isFrustrated, now: now)
        case .closed:
            effects = []  // unreachable: openSessionNamed refuses closed sessions
        }
        if session.state.isBotHandled { effects.append(idleTimer(session)) }
        return effects
    }

    /// A queued user writes: still silent, but gambling harm re-routes the ticket at once
    /// and frustration raises its priority.
    mutating func whileQueued(_ session: inout Session, ticket: String, understanding: Understanding, isFrustrated: Bool, text: String, now: Date) -> [Effect] {
        guard let current = state.queue.tickets[ticket] else { return [] }
        if let intent = understanding.intent.flatMap(bundle.intent), intent.priority == .urgent,
           let department = intent.department, department != current.department {
            state.queue.transfer(ticket, to: department)
            state.queue.raise(ticket, to: .urgent)
            var effects = [send(&session, bundle.answer(intent.id, locale: session.locale) ?? "", kind: "answer:\(intent.id)", now: now)]
            effects.append(.notifyDepartment(department: department, notice: .ticketQueued(ticket: ticket, priority: "urgent")))
            effects += offer(now: now)
            return effects
        }
        if isFrustrated { state.queue.raise(ticket, to: .high) }
        return [.notifyDepartment(department: current.department, notice: .userMessage(session: session.id, text: text))]
    }

    /// The bot answers, clarifies, collects or hands off.
    mutating func botTurn(_ session: inout Session, text: String, understanding: Understanding, choice: String?, isFrustrated: Bool, now: Date) -> [Effect] {
        var intent = understanding.intent
        if choice == QuickReply.human {
            intent = policy.humanRequestIntent
        } else if case .clarifying(let options) = session.state {
            if let choice, options.contains(choice) {
                intent = choice
            } else if let top = understanding.candidates.first?.intent, options.contains(top), intent == nil || intent == top {
                intent = top
            }
        } else if case .awaitingConfirmation = session.state {
            if choice == QuickReply.yes { intent = policy.affirmIntent }
            if choice == QuickReply.no { intent = policy.denyIntent }
        }
        let entry = intent.flatMap { texts.intents[$0] }
        let definition = entry?.definition

        if case .collecting(let collecting, let slot) = session.state, let owner = bundle.intent(collecting) {
            let escapes = definition.map { $0.priority == .urgent || $0.id == policy.humanRequestIntent } ?? false
            if !escapes {
                session.collected[owner.slots[slot].name] = text
                if slot + 1 < owner.slots.count {
                    session.state = .collecting(intent: collecting, slot: slot + 1)
                    return [send(&session, owner.slots[slot + 1].prompt[session.locale] ?? owner.slots[slot + 1].prompt.values.first ?? "", kind: "slot:\(owner.slots[slot + 1].name)", now: now)]
                }
                return handoff(&session, intent: collecting, department: owner.department ?? policy.generalDepartment,
                               priority: isFrustrated ? max(owner.priority, .high) : owner.priority, reason: "intent", understanding: understanding, now: now)
            }
        }

        if case .awaitingConfirmation(let previous, let hasDenied) = session.state {
            if intent == policy.affirmIntent {
                session.state = .open
                return [answer(&session, policy.affirmIntent, now: now)]
            }
            if intent == policy.denyIntent {
                if !hasDenied && policy.denialsToHandoff > 1 {
                    session.state = .awaitingConfirmation(intent: previous, hasDenied: true)
                    return [say(&session, .notHelped, now: now)]
                }
                let department = bundle.intent(previous)?.department ?? policy.generalDepartment
                return handoff(&session, intent: previous, department: department, priority: isFrustrated ? .high : .normal,
                               reason: "not_helped", understanding: understanding, now: now)
            }
        }

        guard let definition, definition.action != .none else {
            if understanding.isAmbiguous, understanding.candidates.count >= 2, choice == nil {
                return clarify(&session, understanding, now: now)
            }
            session.lowConfidenceStreak += 1
            if session.lowConfidenceStreak >= policy.lowConfidenceTurnsToHandoff {
                session.lowConfidenceStreak = 0
                return handoff(&session, intent: nil, department: policy.generalDepartment, priority: isFrustrated ? .high : .normal,
                               reason: "not_understood", understanding: understanding, now: now)
            }
            session.state = .open
            return [say(&session, .fallback, quickReplies: [humanButton(session)], now: now)]
        }
        session.lowConfidenceStreak = 0
        if understanding.isAmbiguous, understanding.candidates.count >= 2, choice == nil, !isClarifying(session) {
            return clarify(&session, understanding, now: now)
        }
        if definition.id == policy.humanRequestIntent {
            let reply = answer(&session, definition.id, now: now)
            return [reply] + handoff(&session, intent: definition.id, department: definition.department ?? policy.generalDepartment,
                                     priority: isFrustrated ? .high : definition.priority, reason: "human_request", understanding: understanding, now: now)
        }
        switch definition.action {
        case .handoff:
            let reply = answer(&session, definition.id, now: now)
            let priority = isFrustrated ? max(definition.priority, .high) : definition.priority
            return [reply] + handoff(&session, intent: definition.id, department: definition.department ?? policy.generalDepartment,
                                     priority: priority, reason: "intent", understanding: understanding, now: now)
        case .collect:
            session.collected = [:]
            session.state = .collecting(intent: definition.id, slot: 0)
            let first = definition.slots[0]
            return [answer(&session, definition.id, now: now),
                    send(&session, first.prompt[session.locale] ?? first.prompt.values.first ?? "", kind: "slot:\(first.name)", now: now)]
        case .answer, .none:
            var effects = [answer(&session, definition.id, now: now)]
            if definition.id == policy.goodbyeIntent {
                session.state = .awaitingSurvey
                effects.append(surveyPrompt(&session, now: now))
            } else if entry?.isConversational == true {
                session.state = .open
            } else if isFrustrated {
                session.state = .awaitingConfirmation(intent: definition.id, hasDenied: false)
                effects.append(say(&session, .frustration, quickReplies: [humanButton(session)], now: now))
            } else {
                session.state = .awaitingConfirmation(intent: definition.id, hasDenied: false)
                effects.append(say(&session, .didItHelp, quickReplies: yesNoButtons(session), now: now))
            }
            return effects
        }
    }

    func isClarifying(_ session: Session) -> Bool {
        if case .clarifying = session.state { return true }
        return false
    }

    /// Offers the two likeliest intents as buttons.
    mutating func clarify(_ session: inout Session, _ understanding: Understanding, now: Date) -> [Effect] {
        let options = understanding.candidates.prefix(2).map(\.intent)
        let labels = options.map { label(of: $0, locale: session.locale) }
        session.state = .clarifying(options: options)
        let buttons = zip(labels, options).map { QuickReply(label: $0, value: $1) } + [humanButton(session)]
        return [say(&session, .clarify, values: ["option1": labels[0], "option2": labels[1]], quickReplies: buttons, now: now)]
    }

    /// How an intent is named to a user: its first example in the locale (trainers put the
    /// most typical phrasing first), else its summary.
    func label(of intentID: String, locale: String) -> String {
        guard let intent = bundle.intent(intentID) else { return intentID }
        return intent.examples[locale]?.first ?? intent.summary
    }

    func answer(_ session: inout Session, _ intentID: String, now: Date) -> Effect {
        guard let entry = texts.intents[intentID] else {
            return send(&session, texts.text(.fallback, session.locale), kind: "answer:\(intentID)", now: now)
        }
        return send(&session, entry.answers[texts.index(session.locale)], kind: entry.kind, now: now)
    }

    /// The buttons the user can still press in a session's state (a page reloaded while the
    /// bot waits for "did that help?", a choice, or a rating shows them again).
    public func pendingQuickReplies(for session: Session) -> [QuickReply] {
        switch session.state {
        case .awaitingConfirmation: return yesNoButtons(session)
        case .clarifying(let options):
            return options.map { QuickReply(label: label(of: $0, locale: session.locale), value: $0) } + [humanButton(session)]
        case .awaitingSurvey: return (1...5).map { QuickReply(label: "\($0)", value: "\($0)") }
        case .open, .collecting, .queued, .withAgent, .closed: return []
        }
    }

    func humanButton(_ session: Session) -> QuickReply { texts.humanButtons[texts.index(session.locale)] }

    func yesNoButtons(_ session: Session) -> [QuickReply] { texts.yesNoButtons[texts.index(session.locale)] }

}
