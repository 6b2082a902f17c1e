import Foundation
import Testing
import FirstlineNLU
@testable import FirstlineDialogue

@Suite("Random event sequences keep every invariant")
struct RandomisedDeskTests {
    typealias F = DeskFixture

    static let intents = ["greeting", "bonus.wagering", "technical.problem", "deny", "affirm", "deposit.missing",
                          "withdrawal.pending", "complaint", "responsible.self_exclusion", "human.request", "goodbye", "thanks"]
    static let departments = ["payments", "accounts", "technical", "complaints", "responsible-gambling", "general"]

    struct Generator: RandomNumberGenerator {
        var inner: SplitMix64
        mutating func next() -> UInt64 { inner.next() }
    }

    func randomEvent(_ g: inout Generator, desk: Desk, sessions: Int, agents: Int) -> DeskEvent {
        let session = "s\(Int.random(in: 0..<sessions, using: &g))"
        let agent = "a\(Int.random(in: 0..<agents, using: &g))"
        let ticket = desk.state.queue.tickets.keys.sorted().randomElement(using: &g) ?? "T-000001"
        switch Int.random(in: 0..<100, using: &g) {
        case 0..<8: return .sessionOpened(session: session, locale: ["en", "tr", nil].randomElement(using: &g)!)
        case 8..<45:
            let intent: String? = Int.random(in: 0..<6, using: &g) == 0 ? nil : Self.intents.randomElement(using: &g)!
            let choice: String? = Int.random(in: 0..<8, using: &g) == 0 ? [QuickReply.human, QuickReply.yes, QuickReply.no].randomElement(using: &g)! : nil
            let ambiguous = Int.random(in: 0..<10, using: &g) == 0
            return .userMessage(session: session, text: ["hi", "4", "so bad, scam", "500 TL"].randomElement(using: &g)!,
                                understanding: {
                                    var u = F.understood(intent, ["en", "tr"].randomElement(using: &g)!, candidates: ["bonus.expiry"], ambiguous: ambiguous)
                                    u.frustration = Int.random(in: 0...2, using: &g)
                                    return u
                                }(),
                                choice: choice)
        case 45..<48: return .userClosed(session: session)
        case 48..<50: return .surveyGiven(session: session, rating: Int.random(in: 0...6, using: &g), comment: nil)
        case 50..<52: return .idleTimeout(session: session)
        case 52..<55:
            return .agentRegistered(agent: agent, name: agent, skills: Array(Self.departments.shuffled(using: &g).prefix(Int.random(in: 1...3, using: &g))),
                                    capacity: Int.random(in: 1...3, using: &g))
        case 55..<62: return .agentPresence(agent: agent, presence: Agent.Presence.allCases.randomElement(using: &g)!)
        case 62..<72: return .agentClaimed(agent: agent, ticket: Bool.random(using: &g) ? nil : ticket)
        case 72..<76:
            let offered = desk.state.queue.tickets[ticket]?.offeredTo ?? agent
            return .offerExpired(ticket: ticket, agent: offered)
        case 76..<84: return .agentMessage(agent: agent, session: session, text: "hello")
        case 84..<88: return .agentTransferred(agent: agent, session: session, department: (Self.departments + ["nowhere"]).randomElement(using: &g)!)
        case 88..<95: return .agentResolved(agent: agent, session: session)
        default: return .agentHandedBack(agent: agent, session: session)
        }
    }

    /// Every invariant of the desk; empty when all hold.
    func violations(_ desk: Desk) -> [String] {
        var problems = desk.state.queue.invariantViolations()
        let queue = desk.state.queue
        for (id, session) in desk.state.sessions {
            switch session.state {
            case .queued(let ticket):
                if queue.tickets[ticket]?.session != id || queue.tickets[ticket]?.isWaiting != true { problems.append("\(id) queued on \(ticket) which is not waiting for it") }
            case .withAgent(let ticket, let agent):
                if queue.tickets[ticket]?.claimedBy != agent { problems.append("\(id) with \(agent) but \(ticket) not held by it") }
            case .open, .awaitingConfirmation, .clarifying, .collecting, .awaitingSurvey, .closed:
                break
            }
        }
        for ticket in queue.tickets.values {
            let state = desk.state.sessions[ticket.session]?.state
            let matches: Bool
            switch state {
            case .queued(let t)?: matches = t == ticket.id && ticket.isWaiting
            case .withAgent(let t, let a)?: matches = t == ticket.id && ticket.claimedBy == a
            default: matches = false
            }
            if !matches { problems.append("ticket \(ticket.id) not matched by its session \(ticket.session) (\(String(describing: state)))") }
        }
        let bound = 2 * queue.settings.ageingStep
        for department in Self.departments {
            let order = queue.waiting(department: department)
            for (i, earlier) in order.enumerated() where earlier.priority == .normal && !earlier.isReturned {
                for later in order[(i + 1)...] where later.priority == .urgent && !later.isReturned {
                    if later.queuedAt.timeIntervalSince(earlier.queuedAt) < bound {
                        problems.append("urgent \(later.id) waits behind normal \(earlier.id) arrived only \(later.queuedAt.timeIntervalSince(earlier.queuedAt)) s earlier")
                    }
                }
            }
        }
        return problems
    }

    @Test("invariants after every step, and the fold of the log equals the live state", arguments: [1, 2, 3, 4, 5])
    func randomSequences(seed: UInt64) throws {
        var g = Generator(inner: SplitMix64(seed: seed))
        var d = DeskDriver()
        var refused = 0
        for step in 0..<3_000 {
            let event = randomEvent(&g, desk: d.desk, sessions: 25, agents: 6)
            let before = d.desk.state
            do {
                try d.run(event, after: Double(Int.random(in: 1...120, using: &g)))
            } catch {
                refused += 1
                #expect(d.desk.state == before, "refused \(event) changed the state")
            }
            let problems = violations(d.desk)
            #expect(problems.isEmpty, "after step \(step) (\(event)): \(problems)")
            if !problems.isEmpty { return }
            if step % 500 == 499 {
                #expect(Desk.fold(d.log, bundle: F.bundle).state == d.desk.state)
            }
        }
        #expect(Desk.fold(d.log, bundle: F.bundle).state == d.desk.state)
        #expect(refused > 0 && refused < 3_000)
        #expect(d.desk.state.sessions.values.contains { if case .withAgent = $0.state { return true } else { return false } }
                || d.log.contains { if case .agentClaimed = $0.event { return true } else { return false } })
    }
}
