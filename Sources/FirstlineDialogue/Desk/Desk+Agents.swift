import Foundation

/// The agents' side: accounts, presence, claiming, replying, transferring, resolving.
extension Desk {
    mutating func registerAgent(_ id: String, name: String, skills: [String], capacity: Int, now: Date) throws(DialogueError) -> [Effect] {
        guard !id.isEmpty, !skills.isEmpty else { throw .invalidAgent("an agent needs an id and at least one skill") }
        guard (1...100).contains(capacity) else { throw .invalidAgent("capacity \(capacity) is not between 1 and 100") }
        if let unknown = skills.first(where: { bundle.departments[$0] == nil }) { throw .unknownDepartment(unknown) }
        if let holding = state.queue.agents[id]?.holding.count, holding > capacity {
            throw .invalidAgent("\(id) holds \(holding) chats; capacity cannot go below that")
        }
        state.queue.register(id: id, name: name, skills: skills, capacity: capacity)
        return offer(now: now)
    }

    mutating func changePresence(_ id: String, _ presence: Agent.Presence, now: Date) throws(DialogueError) -> [Effect] {
        guard state.queue.agents[id] != nil else { throw .unknownAgent(id) }
        var effects: [Effect] = []
        for ticket in state.queue.setPresence(id, presence) {
            guard var session = state.sessions[ticket.session] else { continue }
            session.state = .queued(ticket: ticket.id)
            effects.append(say(&session, .agentLeft, now: now, role: .system))
            effects.append(.notifyDepartment(department: ticket.department, notice: .ticketQueued(ticket: ticket.id, priority: ticket.priority.rawValue)))
            state.sessions[ticket.session] = session
        }
        return effects + offer(now: now)
    }

    mutating func claim(_ agentID: String, ticket ticketID: String?, now: Date) throws(DialogueError) -> [Effect] {
        let ticket = try state.queue.claim(agentID: agentID, ticketID: ticketID, now: now)
        guard var session = state.sessions[ticket.session] else { return [] }
        session.state = .withAgent(ticket: ticket.id, agent: agentID)
        let name = state.queue.agents[agentID]?.name ?? agentID
        let effects: [Effect] = [
            say(&session, .agentJoined, values: ["agent": name], now: now, role: .system),
            .notifyAgent(agent: agentID, notice: .ticketChanged(ticket: ticket.id)),
        ]
        state.sessions[ticket.session] = session
        return effects
    }

    mutating func offerExpired(_ ticketID: String, agent: String, now: Date) -> [Effect] {
        guard state.queue.expireOffer(ticketID: ticketID, agentID: agent) else { return [] }
        return [.notifyAgent(agent: agent, notice: .ticketChanged(ticket: ticketID))] + offer(now: now)
    }

    /// The session and ticket an agent holds, or an error.
    func held(by agentID: String, session id: String) throws(DialogueError) -> (Session, String) {
        guard state.queue.agents[agentID] != nil else { throw .unknownAgent(agentID) }
        let session = try openSessionNamed(id)
        guard case .withAgent(let ticket, let holder) = session.state, holder == agentID else {
            throw .notHolding(agent: agentID, session: id)
        }
        return (session, ticket)
    }

    mutating func agentMessage(_ agentID: String, session id: String, text: String, now: Date) throws(DialogueError) -> [Effect] {
        let ticket = try held(by: agentID, session: id).1
        var session = state.sessions.removeValue(forKey: id)!
        session.lastActivity = now
        session.transcript.append(Turn(role: .agent, text: text, at: now, agent: agentID))
        state.queue.noteAgentReply(ticket, now: now)
        state.sessions[id] = session
        return [.send(OutgoingMessage(session: id, role: .agent, text: text, kind: "agent"))]
    }

    mutating func transfer(_ agentID: String, session id: String, to department: String, now: Date) throws(DialogueError) -> [Effect] {
        guard bundle.departments[department] != nil else { throw .unknownDepartment(department) }
        var (session, ticket) = try held(by: agentID, session: id)
        state.queue.transfer(ticket, to: department)
        session.state = .queued(ticket: ticket)
        var effects: [Effect] = [.notifyDepartment(department: department, notice: .ticketQueued(ticket: ticket, priority: state.queue.tickets[ticket]?.priority.rawValue ?? "normal"))]
        effects.append(queueNotice(&session, ticket: ticket, now: now))
        state.sessions[id] = session
        return effects + offer(now: now)
    }

    /// Resolve (the survey follows) or hand back to the bot.
    mutating func finishWithAgent(_ agentID: String, session id: String, handBack: Bool, now: Date) throws(DialogueError) -> [Effect] {
        var (session, ticket) = try held(by: agentID, session: id)
        state.queue.close(ticket)
        session.lastActivity = now
        var effects: [Effect]
        if handBack {
            session.state = .open
            effects = [say(&session, .handedBack, now: now), idleTimer(session)]
        } else {
            session.state = .awaitingSurvey
            effects = [surveyPrompt(&session, now: now), idleTimer(session)]
        }
        state.sessions[id] = session
        return effects + offer(now: now)
    }
}
