import Foundation
import FirstlineNLU

/// The fair queue of handoffs and the agents who take them. Pure: time is an argument.
///
/// **Order.** Tickets returned by an agent who left come first. Then each ticket is ordered by
/// `queuedAt − rank(priority) × ageingStep` (rank: normal 0, high 1, urgent 2), earliest
/// first. So priority buys a head start, not a pass: an urgent ticket waits behind a normal
/// one only if that normal ticket arrived more than `2 × ageingStep` earlier, and a normal
/// ticket is never starved — after `2 × ageingStep` it is ahead of any urgent ticket that
/// arrives later.
///
/// **Assignment.** Waiting tickets are offered, in order, to the least-loaded online agent
/// with the skill and room; an offer not taken within `offerTimeout` goes to the next agent.
public struct HandoffQueue: Codable, Equatable, Sendable {
    /// Tunables.
    public struct Settings: Codable, Equatable, Sendable {
        /// Head start per priority level.
        public var ageingStep: TimeInterval = 600
        /// How long an agent has to take an offered chat.
        public var offerTimeout: TimeInterval = 45
        /// Expected wait per ticket ahead before any service time is known.
        public var defaultServiceTime: TimeInterval = 120
        /// How many recent waits per department the expected wait averages.
        public var serviceSamples = 20

        public init() {}
    }

    public var settings = Settings()
    /// Tickets waiting or held.
    public private(set) var tickets: [String: Ticket] = [:]
    public private(set) var agents: [String: Agent] = [:]
    /// Recent waits (queued → claimed, seconds) per department.
    private var recentWaits: [String: [Double]] = [:]
    private var nextTicketNumber = 1

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: Reading

    /// Sort key: returned tickets first, then by aged arrival, then by id.
    func orderKey(_ ticket: Ticket) -> (Int, Double, String) {
        (ticket.isReturned ? 0 : 1,
         ticket.queuedAt.timeIntervalSinceReferenceDate - Double(ticket.priority.rank) * settings.ageingStep, ticket.id)
    }

    /// Waiting tickets, in the order they are served (one department, or all).
    /// - Complexity: O(n log n) in the number of open tickets.
    public func waiting(department: String? = nil) -> [Ticket] {
        tickets.values.filter { $0.isWaiting && (department == nil || $0.department == department) }
            .sorted { orderKey($0) < orderKey($1) }
    }

    /// 1-based position of a waiting ticket in its department's queue.
    public func position(of ticketID: String) -> Int? {
        guard let ticket = tickets[ticketID], ticket.isWaiting else { return nil }
        return waiting(department: ticket.department).firstIndex { $0.id == ticketID }.map { $0 + 1 }
    }

    /// Expected wait for a ticket at `position`: recent waits of the department (or the
    /// default), spread over the agents online for it.
    public func expectedWait(department: String, position: Int) -> TimeInterval {
        let samples = recentWaits[department] ?? []
        let perTicket = samples.isEmpty ? settings.defaultServiceTime : samples.reduce(0, +) / Double(samples.count)
        let online = max(1, agents.values.filter { $0.presence == .online && $0.skills.contains(department) }.count)
        return perTicket * Double(max(position, 1)) / Double(online)
    }

    /// Whether an agent of the department is online.
    public func isStaffed(_ department: String) -> Bool {
        agents.values.contains { $0.presence == .online && $0.skills.contains(department) }
    }

    // MARK: Agents

    /// Adds or updates an agent (presence and held chats are kept on update).
    mutating func register(id: String, name: String, skills: [String], capacity: Int) {
        var agent = agents[id] ?? Agent(id: id, name: name, skills: skills, capacity: capacity)
        agent.name = name
        agent.skills = skills
        agent.capacity = capacity
        // Offers beyond the new capacity or skills go back to the queue.
        for ticketID in agent.offers where agent.load > capacity || !skills.contains(tickets[ticketID]?.department ?? "") {
            agent.offers.removeAll { $0 == ticketID }
            tickets[ticketID]?.offeredTo = nil
            tickets[ticketID]?.offerExpires = nil
        }
        agents[id] = agent
    }

    /// Changes presence; an agent who leaves returns held chats to the front of the queue and
    /// loses pending offers. Returns the tickets put back.
    mutating func setPresence(_ agentID: String, _ presence: Agent.Presence) -> [Ticket] {
        guard var agent = agents[agentID] else { return [] }
        agent.presence = presence
        var returned: [Ticket] = []
        if presence != .online {
            for id in agent.holding {
                guard var ticket = tickets[id] else { continue }
                ticket.claimedBy = nil
                ticket.claimedAt = nil
                ticket.isReturned = true
                tickets[id] = ticket
                returned.append(ticket)
            }
            for id in agent.offers { tickets[id]?.offeredTo = nil; tickets[id]?.offerExpires = nil }
            agent.holding = []
            agent.offers = []
        }
        agents[agentID] = agent
        return returned
    }

    // MARK: Tickets

    /// Creates a waiting ticket with the next number ("T-000001").
    mutating func enqueue(session: String, department: String, priority: IntentDefinition.Priority, evidence: HandoffEvidence, now: Date) -> Ticket {
        let ticket = Ticket(
            id: Self.ticketID(nextTicketNumber), session: session, department: department, priority: priority,
            queuedAt: now, evidence: evidence)
        nextTicketNumber += 1
        tickets[ticket.id] = ticket
        return ticket
    }

    /// "T-000042": six digits at least, zero-padded.
    static func ticketID(_ number: Int) -> String {
        let digits = String(number)
        return "T-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Marks that the user was told nobody is online.
    mutating func acknowledgeOffline(_ ticketID: String) { tickets[ticketID]?.isOfflineAcknowledged = true }

    /// Raises a ticket's priority (never lowers it).
    mutating func raise(_ ticketID: String, to priority: IntentDefinition.Priority) {
        guard let current = tickets[ticketID]?.priority, current < priority else { return }
        tickets[ticketID]?.priority = priority
    }

    /// The agent takes a ticket: the given one, or the first waiting one for their skills.
    /// - Throws: `DialogueError` when the agent is unknown, away, full, or the ticket is held.
    mutating func claim(agentID: String, ticketID: String?, now: Date) throws(DialogueError) -> Ticket {
        guard var agent = agents[agentID] else { throw .unknownAgent(agentID) }
        guard agent.presence == .online else { throw .agentUnavailable(agent: agentID, reason: "not online") }
        let offered = ticketID.map { agent.offers.contains($0) } ?? false
        guard agent.holding.count < agent.capacity, offered || agent.load < agent.capacity else {
            throw .agentUnavailable(agent: agentID, reason: "at capacity (\(agent.capacity))")
        }
        let chosen: Ticket
        if let ticketID {
            guard let ticket = tickets[ticketID] else { throw .unknownTicket(ticketID) }
            if let holder = ticket.claimedBy { throw .heldByAnother(ticket: ticketID, agent: holder) }
            guard agent.skills.contains(ticket.department) else {
                throw .agentUnavailable(agent: agentID, reason: "no skill for \(ticket.department)")
            }
            chosen = ticket
        } else {
            let candidates = waiting().filter { agent.skills.contains($0.department) }
            guard let next = candidates.first(where: { $0.offeredTo == nil || $0.offeredTo == agentID }) ?? candidates.first else {
                throw .nothingToClaim(agent: agentID)
            }
            chosen = next
        }
        var ticket = chosen
        if let other = ticket.offeredTo, other != agentID { agents[other]?.offers.removeAll { $0 == ticket.id } }
        agent.offers.removeAll { $0 == ticket.id }
        ticket.offeredTo = nil
        ticket.offerExpires = nil
        ticket.claimedBy = agentID
        ticket.claimedAt = now
        ticket.isReturned = false
        agent.holding.append(ticket.id)
        agents[agentID] = agent
        tickets[ticket.id] = ticket
        var waits = recentWaits[ticket.department] ?? []
        waits.append(now.timeIntervalSince(ticket.queuedAt))
        recentWaits[ticket.department] = Array(waits.suffix(settings.serviceSamples))
        return ticket
    }

    /// Offers waiting tickets to the least-loaded available agents. Returns the new offers.
    mutating func offerWaiting(now: Date) -> [(ticket: Ticket, agent: String)] {
        var made: [(Ticket, String)] = []
        for ticket in waiting() where ticket.offeredTo == nil {
            let candidates = agents.values.filter { $0.canTake(ticket.department) && !ticket.declinedBy.contains($0.id) }
            guard let agent = candidates.min(by: { ($0.load, $0.id) < ($1.load, $1.id) }) else { continue }
            var offered = ticket
            offered.offeredTo = agent.id
            offered.offerExpires = now.addingTimeInterval(settings.offerTimeout)
            tickets[ticket.id] = offered
            agents[agent.id]?.offers.append(ticket.id)
            made.append((offered, agent.id))
        }
        return made
    }

    /// An offer ran out: the agent is skipped for this ticket. Returns false if the offer was
    /// already taken or withdrawn.
    mutating func expireOffer(ticketID: String, agentID: String) -> Bool {
        guard var ticket = tickets[ticketID], ticket.offeredTo == agentID, ticket.isWaiting else { return false }
        ticket.offeredTo = nil
        ticket.offerExpires = nil
        ticket.declinedBy.append(agentID)
        tickets[ticketID] = ticket
        agents[agentID]?.offers.removeAll { $0 == ticketID }
        return true
    }

    /// Moves a ticket to another department's queue, keeping its arrival time.
    mutating func transfer(_ ticketID: String, to department: String) {
        guard var ticket = tickets[ticketID] else { return }
        if let holder = ticket.claimedBy { agents[holder]?.holding.removeAll { $0 == ticketID } }
        if let offered = ticket.offeredTo { agents[offered]?.offers.removeAll { $0 == ticketID } }
        ticket.department = department
        ticket.claimedBy = nil
        ticket.claimedAt = nil
        ticket.offeredTo = nil
        ticket.offerExpires = nil
        ticket.declinedBy = []
        tickets[ticketID] = ticket
    }

    /// Records the first agent reply of a ticket.
    mutating func noteAgentReply(_ ticketID: String, now: Date) {
        if tickets[ticketID]?.firstAgentReplyAt == nil { tickets[ticketID]?.firstAgentReplyAt = now }
    }

    /// Removes a ticket (resolved, handed back, or the user left).
    @discardableResult
    mutating func close(_ ticketID: String) -> Ticket? {
        guard let ticket = tickets.removeValue(forKey: ticketID) else { return nil }
        if let holder = ticket.claimedBy { agents[holder]?.holding.removeAll { $0 == ticketID } }
        if let offered = ticket.offeredTo { agents[offered]?.offers.removeAll { $0 == ticketID } }
        return ticket
    }

    // MARK: Invariants

    /// Problems with the queue's own consistency (empty when consistent).
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var holders: [String: String] = [:]
        for agent in agents.values {
            if agent.load > agent.capacity && agent.presence == .online { problems.append("agent \(agent.id) over capacity") }
            for id in agent.holding {
                if let other = holders[id] { problems.append("ticket \(id) held by \(other) and \(agent.id)") }
                holders[id] = agent.id
                if tickets[id]?.claimedBy != agent.id { problems.append("agent \(agent.id) lists \(id) it does not hold") }
            }
            for id in agent.offers where tickets[id]?.offeredTo != agent.id {
                problems.append("agent \(agent.id) lists offer \(id) not made to it")
            }
        }
        for ticket in tickets.values {
            if let holder = ticket.claimedBy, holders[ticket.id] != holder { problems.append("ticket \(ticket.id) claims holder \(holder)") }
            if ticket.claimedBy != nil && ticket.offeredTo != nil { problems.append("ticket \(ticket.id) held and offered") }
        }
        return problems
    }
}
