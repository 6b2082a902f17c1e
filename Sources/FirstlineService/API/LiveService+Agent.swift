import FirstlineDialogue
import FirstlineHTTP
import FirstlineNLU
import Foundation

/// The agent API the console uses (bearer token of an account in `agents.json`).
extension LiveService {
    func routeAgent(_ parts: [String], _ request: HTTPRequest, _ reply: Reply) throws(APIError) {
        guard let token = Self.bearer(request), let account = agents.authenticate(token) else { throw .unauthorized }
        let agent = account.id
        let route = parts.count >= 2 && parts[0] == "conversations" ? (["conversations", "*"] + parts.dropFirst(2)).joined(separator: "/") : parts.joined(separator: "/")
        let id = parts.count >= 2 ? parts[1] : ""
        switch (request.method, route) {
        case ("GET", "me"), ("HEAD", "me"):
            agentJob(account, reply) { turn in try Self.me(agent, turn) }
        case ("POST", "presence"):
            let body = try RequestBody(request)
            guard let value = try body.string("presence", maxLength: 16, required: true), let presence = Agent.Presence(rawValue: value) else {
                throw .invalid("'presence' must be one of \(Agent.Presence.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            agentJob(account, reply) { turn in
                try turn.stage(.agentPresence(agent: agent, presence: presence))
                return try Self.me(agent, turn)
            }
        case ("GET", "queue"):
            agentJob(account, reply) { turn in
                guard let state = turn.desk.state.queue.agents[agent] else { throw APIError.unauthorized }
                return Representation.agentQueue(state, desk: turn.desk, now: turn.now)
            }
        case ("POST", "claim"):
            let ticket = try RequestBody(request).string("ticket", maxLength: 64)
            let metrics = metrics
            agentJob(account, reply) { turn in
                let holdingBefore = Set(turn.desk.state.queue.agents[agent]?.holding ?? [])
                try turn.stage(.agentClaimed(agent: agent, ticket: ticket))
                let queue = turn.desk.state.queue
                let claimed = ticket ?? queue.agents[agent]?.holding.first { !holdingBefore.contains($0) }
                guard let claimed, let record = queue.tickets[claimed], let session = turn.desk.session(record.session) else {
                    throw APIError(409, "conflict", "the ticket was not claimed")
                }
                metrics.claimed(afterWaiting: max(0, (record.claimedAt ?? turn.now).timeIntervalSince(record.queuedAt)))
                return Representation.conversation(session, desk: turn.desk)
            }
        case ("GET", "conversations/*"):
            agentJob(account, reply) { turn in
                guard let session = turn.desk.session(id) else { throw APIError.notFound }
                try Self.checkVisible(session, to: account, desk: turn.desk)
                return Representation.conversation(session, desk: turn.desk)
            }
        case ("POST", let action) where action.hasPrefix("conversations/*/"):
            let action = String(action.dropFirst("conversations/*/".count))
            let body = try RequestBody(request)
            let event: DeskEvent
            switch action {
            case "messages":
                let text = try body.string("text", maxLength: configuration.maxMessageCharacters, required: true) ?? ""
                event = .agentMessage(agent: agent, session: id, text: text)
            case "transfer":
                let department = try body.string("department", maxLength: 64, required: true) ?? ""
                event = .agentTransferred(agent: agent, session: id, department: department)
            case "handback": event = .agentHandedBack(agent: agent, session: id)
            case "resolve": event = .agentResolved(agent: agent, session: id)
            case "typing":
                return runner.submit({ [hub] turn in
                    if case .withAgent(_, let holder)? = turn.desk.session(id)?.state, holder == agent {
                        hub.broadcast(EventHub.sessionChannel(id), event: "typing", data: ["role": "agent"])
                    }
                    return .null
                }, completion: { _ in reply.noContent() })
            default: throw .notFound
            }
            agentJob(account, reply) { turn in
                try turn.stage(event)
                return ["ok": true, "state": .optional(turn.desk.session(id)?.state.name)]
            }
        case ("GET", "canned"):
            let locale = request.query["locale"]
            let bundle = runner.bundle
            var answers: [JSONValue] = []
            for intent in bundle.intents where intent.action == .answer {
                for code in bundle.locales where locale == nil || code == locale {
                    guard let text = bundle.answer(intent.id, locale: code) else { continue }
                    answers.append(["id": .string(intent.id), "title": .string(intent.summary), "locale": .string(code), "text": .string(text)])
                }
            }
            reply.json(["answers": .array(answers)])
        case ("GET", "events"):
            openAgentEvents(account, request, reply)
        case (_, "me"), (_, "presence"), (_, "queue"), (_, "claim"), (_, "canned"), (_, "events"), (_, "conversations/*"):
            throw APIError(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        default:
            throw .notFound
        }
    }

    /// Runs an agent's job after making sure the desk knows the account as it is in
    /// `agents.json` (registered on first use, updated when its skills changed).
    private func agentJob(_ account: AgentDirectory.Account, _ reply: Reply, _ work: @escaping (inout DeskTurn) throws -> JSONValue) {
        runner.submit({ turn in
            try Self.ensureRegistered(account, &turn)
            return try work(&turn)
        }, completion: { reply.complete($0) })
    }

    /// Registers the account with the desk when it is new or changed in `agents.json`.
    private static func ensureRegistered(_ account: AgentDirectory.Account, _ turn: inout DeskTurn) throws {
        let known = turn.desk.state.queue.agents[account.id]
        if known == nil || known?.skills != account.skills || known?.capacity != account.capacity || known?.name != account.name {
            try turn.stage(.agentRegistered(agent: account.id, name: account.name, skills: account.skills, capacity: account.capacity))
        }
    }

    private static func me(_ agent: String, _ turn: DeskTurn) throws -> JSONValue {
        guard let state = turn.desk.state.queue.agents[agent] else { throw APIError.unauthorized }
        return Representation.agent(state, bundle: turn.desk.bundle)
    }

    /// An agent sees a chat they hold, or one waiting in a department they serve.
    private static func checkVisible(_ session: Session, to account: AgentDirectory.Account, desk: Desk) throws {
        switch session.state {
        case .withAgent(_, let holder) where holder == account.id: return
        case .queued(let ticket):
            if let department = desk.state.queue.tickets[ticket]?.department, account.skills.contains(department) { return }
        default: break
        }
        throw APIError(403, "forbidden", "this chat is not yours and not waiting in your departments")
    }

    private func openAgentEvents(_ account: AgentDirectory.Account, _ request: HTTPRequest, _ reply: Reply) {
        openStream(EventHub.agentChannel(account.id), request, reply) { turn in
            try Self.ensureRegistered(account, &turn)
            guard let state = turn.desk.state.queue.agents[account.id] else { throw APIError.unauthorized }
            return [("queue", Representation.agentQueue(state, desk: turn.desk, now: turn.now))]
        }
    }
}
