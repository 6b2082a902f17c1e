import FirstlineDialogue
import FirstlineStore
import Foundation

/// Carries out the desk's effects once their events are durable: pushes messages, state
/// changes and queue places to the users' event streams, tickets and user messages to the
/// agents' streams, arms timers, and counts handoffs. Runs on the desk runner's thread.
final class EffectDispatcher: @unchecked Sendable {  // confined to the runner thread, except `runner`, set once before start
    let hub: EventHub
    let timers: DeskTimers
    let metrics: ServiceMetrics
    weak var runner: DeskRunner?
    private var lastState: [String: String] = [:]
    private var lastPosition: [String: Int] = [:]
    private var lastAgentQueuePush = Date.distantPast
    private var agentQueuePushPending = false
    /// Least time between two pushes of the queue to the agents' consoles.
    let agentQueueInterval: TimeInterval = 0.25
    /// Reports a journal that stopped accepting writes.
    var onJournalFailure: @Sendable (String) -> Void = { _ in }

    init(hub: EventHub, timers: DeskTimers, metrics: ServiceMetrics) {
        self.hub = hub
        self.timers = timers
        self.metrics = metrics
    }

    func dispatch(_ effects: [(effect: Effect, repliedTo: String?)], desk: Desk, now: Date) {
        var touched = Set<String>()
        var queueChanged = false
        for (effect, repliedTo) in effects {
            switch effect {
            case .send(let message):
                touched.insert(message.session)
                if message.role != .bot { queueChanged = true }
                if message.session != repliedTo {
                    hub.publish(EventHub.sessionChannel(message.session), event: "message", data: Representation.message(message, at: now))
                }
            case .enqueued(let ticket):
                queueChanged = true
                touched.insert(ticket.session)
                metrics.handoff(department: ticket.department, priority: ticket.priority.rawValue)
            case .notifyAgent(let agent, let notice):
                queueChanged = true
                notify(agent, notice, desk: desk, now: now, touched: &touched)
            case .notifyDepartment(let department, let notice):
                queueChanged = true
                for agent in desk.state.queue.agents.values where agent.skills.contains(department) {
                    notify(agent.id, notice, desk: desk, now: now, touched: &touched)
                }
            case .schedule(let at, let timer):
                if case .offer = timer { queueChanged = true }
                timers.schedule(timer, at: at)
            }
        }
        for id in touched { publishStateIfChanged(id, desk: desk) }
        if queueChanged {
            publishQueuePlaces(desk: desk)
            pushAgentQueues(desk: desk, now: now)
        }
    }

    private func notify(_ agent: String, _ notice: AgentNotice, desk: Desk, now: Date, touched: inout Set<String>) {
        let channel = EventHub.agentChannel(agent)
        switch notice {
        case .ticketQueued(let id, _), .offered(let id), .ticketChanged(let id):
            let change: String
            switch notice {
            case .ticketQueued: change = "queued"
            case .offered: change = "offered"
            default: change = "changed"
            }
            guard let ticket = desk.state.queue.tickets[id] else {
                hub.publish(channel, event: "ticket", data: ["change": "closed", "ticket": .string(id)])
                return
            }
            touched.insert(ticket.session)
            guard case .object(let members) = Representation.ticket(ticket, for: agent, now: now) else { return }
            hub.publish(channel, event: "ticket", data: .object([("change", .string(change))] + members))
        case .userMessage(let session, let text):
            hub.publish(channel, event: "user_message", data: ["session": .string(session), "text": .string(text), "at": Representation.time(now)])
        case .userLeft(let session):
            touched.insert(session)
            hub.publish(channel, event: "user_left", data: ["session": .string(session)])
        }
    }

    private func publishStateIfChanged(_ id: String, desk: Desk) {
        guard let session = desk.session(id) else { return }
        let name = session.state.name
        guard lastState[id] != name else { return }
        let previous = lastState[id]
        lastState[id] = name
        var agentName: JSONValue = .null
        if case .withAgent(_, let agent) = session.state { agentName = .optional(desk.state.queue.agents[agent]?.name) }
        if previous != nil || name != "open" {
            hub.publish(EventHub.sessionChannel(id), event: "state", data: ["state": .string(name), "agent_name": agentName])
        }
        if session.state == .closed {
            lastState[id] = nil
            lastPosition[id] = nil
            metrics.sessionClosed(contained: !session.transcript.contains { $0.role == .agent } && session.handoffIntent == nil)
            let hub = hub
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { hub.retire(EventHub.sessionChannel(id)) }
        }
    }

    /// Tells every waiting user whose place changed where they are now.
    private func publishQueuePlaces(desk: Desk) {
        let queue = desk.state.queue
        var waitingNow = Set<String>()
        for department in Set(queue.tickets.values.lazy.filter(\.isWaiting).map(\.department)) {
            for (index, ticket) in queue.waiting(department: department).enumerated() {
                waitingNow.insert(ticket.session)
                guard lastPosition[ticket.session] != index + 1, let session = desk.session(ticket.session) else { continue }
                lastPosition[ticket.session] = index + 1
                hub.publish(EventHub.sessionChannel(ticket.session), event: "queue", data: Representation.queue(session, desk: desk, position: index + 1))
            }
        }
        for session in lastPosition.keys where !waitingNow.contains(session) { lastPosition[session] = nil }
        metrics.queueLength = waitingNow.count
    }

    /// Sends each listening agent their queue, at most every `agentQueueInterval`.
    func pushAgentQueues(desk: Desk, now: Date) {
        let wait = agentQueueInterval - Date().timeIntervalSince(lastAgentQueuePush)
        guard wait <= 0 else {
            guard !agentQueuePushPending else { return }
            agentQueuePushPending = true
            DispatchQueue.global().asyncAfter(deadline: .now() + wait) { [weak self] in
                self?.runner?.submit({ turn in
                    self?.agentQueuePushPending = false
                    self?.pushAgentQueues(desk: turn.desk, now: turn.now)
                    return .null
                }, completion: { _ in })
            }
            return
        }
        lastAgentQueuePush = Date()
        for agent in desk.state.queue.agents.values where hub.hasListeners(EventHub.agentChannel(agent.id)) {
            hub.broadcast(EventHub.agentChannel(agent.id), event: "queue", data: Representation.agentQueue(agent, desk: desk, now: now))
        }
    }

    /// Remembers the states and places users already know (after a restart: as recovered).
    func prime(desk: Desk) {
        for (id, session) in desk.state.sessions where session.state != .closed { lastState[id] = session.state.name }
        publishQueuePlaces(desk: desk)
    }

    func journalFailed(_ description: String) { onJournalFailure(description) }

    private let snapshotQueue = DispatchQueue(label: "firstline-snapshot")

    /// Archives closed chats here, then encodes and writes the snapshot on a queue of its
    /// own, so the desk keeps answering meanwhile.
    func snapshotDue(_ store: DeskJournal) {
        do {
            let write = try store.beginSnapshot()
            let report = onJournalFailure
            snapshotQueue.async {
                do { try write() } catch { report("snapshot failed (the journal is intact; the next one retries): \(error)") }
            }
        } catch {
            onJournalFailure("snapshot failed: \(error)")
        }
    }

    /// Waits for a snapshot being written (before the journal closes).
    func finishSnapshots() { snapshotQueue.sync {} }
}
