/// An event the desk refuses; the state is left exactly as it was.
public enum DialogueError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownSession(String)
    case sessionClosed(String)
    case sessionExists(String)
    case sessionNotClosed(String)
    case unknownAgent(String)
    case unknownTicket(String)
    case unknownDepartment(String)
    case unknownLocale(String)
    /// The ticket is held by another agent.
    case heldByAnother(ticket: String, agent: String)
    /// The agent does not hold this chat.
    case notHolding(agent: String, session: String)
    case agentUnavailable(agent: String, reason: String)
    case nothingToClaim(agent: String)
    case invalidRating(Int)
    case invalidAgent(String)

    public var description: String {
        switch self {
        case .unknownSession(let id): return "no session \(id)"
        case .sessionClosed(let id): return "session \(id) is closed; open a new one"
        case .sessionExists(let id): return "session \(id) already exists"
        case .sessionNotClosed(let id): return "session \(id) is not closed; only closed sessions are archived"
        case .unknownAgent(let id): return "no agent \(id)"
        case .unknownTicket(let id): return "no waiting or held ticket \(id)"
        case .unknownDepartment(let id): return "no department \(id) in the bundle"
        case .unknownLocale(let id): return "locale \(id) is not one of the bundle's"
        case .heldByAnother(let ticket, let agent): return "ticket \(ticket) is held by \(agent)"
        case .notHolding(let agent, let session): return "agent \(agent) does not hold session \(session)"
        case .agentUnavailable(let agent, let reason): return "agent \(agent) cannot take chats: \(reason)"
        case .nothingToClaim(let agent): return "no waiting ticket for the skills of \(agent)"
        case .invalidRating(let rating): return "rating \(rating) is not between 1 and 5"
        case .invalidAgent(let reason): return "invalid agent: \(reason)"
        }
    }
}
