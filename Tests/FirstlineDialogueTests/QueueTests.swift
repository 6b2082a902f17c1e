import Foundation
import Testing
import FirstlineNLU
@testable import FirstlineDialogue

@Suite("Handoffs: queue, agents, offers")
struct QueueTests {
    typealias F = DeskFixture

    /// A desk with one payments agent online and a user whose deposit is missing.
    func queuedDeposit(_ d: inout DeskDriver, session: String = "s") throws -> Ticket {
        try d.run(.sessionOpened(session: session, locale: "en"))
        return try #require(DeskDriver.ticket(try d.say(session, "my deposit is missing", F.understood("deposit.missing"))))
    }

    @Test("with nobody online: a ticket number and the promised time; the ticket waits")
    func offline() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        let effects = try d.say("s", "my deposit is missing", F.understood("deposit.missing"))
        #expect(DeskDriver.texts(effects) == ["answer:deposit.missing", "offline_ack"])
        let ticket = try #require(DeskDriver.ticket(effects))
        #expect(d.desk.state.queue.tickets[ticket.id]?.isOfflineAcknowledged == true)
        guard case .send(let ack) = effects.first(where: { if case .send(let m) = $0 { return m.kind == "offline_ack" } else { return false } })! else { return }
        #expect(ack.text.contains(ticket.id))
        // An agent comes online later and gets the waiting ticket offered.
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 2))
        let online = try d.run(.agentPresence(agent: "a", presence: .online))
        #expect(online.contains(.notifyAgent(agent: "a", notice: .offered(ticket: ticket.id))))
    }

    @Test("queued with position and expected wait when someone is online")
    func queuedPosition() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 1))
        try d.run(.agentPresence(agent: "a", presence: .online))
        let first = try queuedDeposit(&d, session: "s1")
        let second = try queuedDeposit(&d, session: "s2")
        #expect(d.desk.state.queue.position(of: first.id) == 1)
        #expect(d.desk.state.queue.position(of: second.id) == 2)
        #expect(d.desk.session("s2")?.transcript.last?.text.contains("2") == true)
    }

    @Test("an agent claims, replies, and hands the chat back to the bot")
    func claimReplyHandBack() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments", "general"], capacity: 2))
        try d.run(.agentPresence(agent: "a", presence: .online))
        let ticket = try queuedDeposit(&d)
        #expect(DeskDriver.texts(try d.run(.agentClaimed(agent: "a", ticket: nil))) == ["agent_joined"])
        #expect(d.state("s") == .withAgent(ticket: ticket.id, agent: "a"))
        // While the agent holds the chat the bot is silent: the message goes to the agent.
        let relay = try d.say("s", "it was 50 EUR", F.understood("deposit.methods"))
        #expect(relay.contains(.notifyAgent(agent: "a", notice: .userMessage(session: "s", text: "it was 50 EUR"))))
        #expect(DeskDriver.texts(relay).isEmpty)
        try d.run(.agentMessage(agent: "a", session: "s", text: "Found it, credited now."))
        #expect(d.desk.state.queue.tickets[ticket.id]?.firstAgentReplyAt != nil)
        #expect(DeskDriver.texts(try d.run(.agentHandedBack(agent: "a", session: "s"))) == ["handed_back"])
        #expect(d.state("s") == .open)
        #expect(d.desk.state.queue.agents["a"]?.holding.isEmpty == true)
    }

    @Test("an agent who goes away puts the chat back at the front of the queue")
    func agentLost() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 3))
        try d.run(.agentRegistered(agent: "b", name: "Bo", skills: ["payments"], capacity: 3))
        try d.run(.agentPresence(agent: "a", presence: .online))
        let held = try queuedDeposit(&d, session: "s1")
        try d.run(.agentClaimed(agent: "a", ticket: held.id))
        let later = try queuedDeposit(&d, session: "s2")
        _ = later
        let effects = try d.run(.agentPresence(agent: "a", presence: .offline))
        #expect(DeskDriver.texts(effects) == ["agent_left"])
        #expect(d.state("s1") == .queued(ticket: held.id))
        #expect(d.desk.state.queue.waiting(department: "payments").first?.id == held.id)
        #expect(d.desk.state.queue.tickets[held.id]?.queuedAt == held.queuedAt)
    }

    @Test("an offer not taken in time goes to the next agent")
    func offerTimeout() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 1))
        try d.run(.agentRegistered(agent: "b", name: "Bo", skills: ["payments"], capacity: 1))
        try d.run(.agentPresence(agent: "a", presence: .online))
        try d.run(.agentPresence(agent: "b", presence: .online))
        let ticket = try queuedDeposit(&d)
        let first = try #require(d.desk.state.queue.tickets[ticket.id]?.offeredTo)
        let next = try d.run(.offerExpired(ticket: ticket.id, agent: first), after: 45)
        let second = try #require(d.desk.state.queue.tickets[ticket.id]?.offeredTo)
        #expect(second != first)
        #expect(next.contains(.notifyAgent(agent: second, notice: .offered(ticket: ticket.id))))
        // A stale timer for an offer already moved on changes nothing.
        #expect(try d.run(.offerExpired(ticket: ticket.id, agent: first)).isEmpty)
    }

    @Test("claiming what another agent holds, or beyond capacity, is refused")
    func claimErrors() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 1))
        try d.run(.agentRegistered(agent: "b", name: "Bo", skills: ["payments"], capacity: 1))
        try d.run(.agentPresence(agent: "a", presence: .online))
        try d.run(.agentPresence(agent: "b", presence: .online))
        let ticket = try queuedDeposit(&d)
        try d.run(.agentClaimed(agent: "a", ticket: ticket.id))
        let before = d.desk.state
        #expect(throws: DialogueError.heldByAnother(ticket: ticket.id, agent: "a")) { try d.run(.agentClaimed(agent: "b", ticket: ticket.id)) }
        #expect(throws: DialogueError.agentUnavailable(agent: "a", reason: "at capacity (1)")) { try d.run(.agentClaimed(agent: "a", ticket: nil)) }
        #expect(throws: DialogueError.notHolding(agent: "b", session: "s")) { try d.run(.agentMessage(agent: "b", session: "s", text: "hi")) }
        #expect(throws: DialogueError.unknownDepartment("vip")) { try d.run(.agentTransferred(agent: "a", session: "s", department: "vip")) }
        #expect(d.desk.state == before)
    }

    @Test("transfer moves the chat to another department's queue")
    func transfer() throws {
        var d = DeskDriver()
        try d.run(.agentRegistered(agent: "a", name: "Ana", skills: ["payments"], capacity: 1))
        try d.run(.agentPresence(agent: "a", presence: .online))
        let ticket = try queuedDeposit(&d)
        try d.run(.agentClaimed(agent: "a", ticket: ticket.id))
        let effects = try d.run(.agentTransferred(agent: "a", session: "s", department: "complaints"))
        #expect(d.desk.state.queue.tickets[ticket.id]?.department == "complaints")
        #expect(d.state("s") == .queued(ticket: ticket.id))
        #expect(DeskDriver.texts(effects) == ["offline_ack"])
    }

    @Test("ageing: urgent goes first, but a normal ticket waiting long enough is served before it")
    func ageing() throws {
        var queue = HandoffQueue()
        let evidence = HandoffEvidence(summary: "", locale: "en", intent: nil, confidence: nil, reason: "", transcript: [], collected: [:], entities: [])
        let step = queue.settings.ageingStep
        let old = queue.enqueue(session: "1", department: "general", priority: .normal, evidence: evidence, now: F.at(0))
        let urgentSoon = queue.enqueue(session: "2", department: "general", priority: .urgent, evidence: evidence, now: F.at(60))
        #expect(queue.waiting().map(\.id) == [urgentSoon.id, old.id])
        let urgentLate = queue.enqueue(session: "3", department: "general", priority: .urgent, evidence: evidence, now: F.at(2 * step + 1))
        #expect(queue.waiting().map(\.id) == [urgentSoon.id, old.id, urgentLate.id])
    }

    @Test("a queued user who reveals gambling harm is re-routed to responsible gambling, urgent")
    func harmWhileQueued() throws {
        var d = DeskDriver()
        let ticket = try queuedDeposit(&d)
        try d.say("s", "honestly i cannot stop gambling", F.understood("responsible.self_exclusion"))
        #expect(d.desk.state.queue.tickets[ticket.id]?.department == "responsible-gambling")
        #expect(d.desk.state.queue.tickets[ticket.id]?.priority == .urgent)
    }
}
