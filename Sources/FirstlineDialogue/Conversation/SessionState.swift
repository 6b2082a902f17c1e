/// Where a conversation is. Switched exhaustively everywhere: a new state breaks the build
/// until every switch handles it.
public enum SessionState: Codable, Equatable, Sendable {
    /// The bot handles the chat and waits for a question.
    case open
    /// The bot answered `intent` and asked whether it helped; `hasDenied` once the user said
    /// no and was asked to rephrase (a second no hands off).
    case awaitingConfirmation(intent: String, hasDenied: Bool)
    /// The bot offered the two likeliest intents and waits for a choice.
    case clarifying(options: [String])
    /// The bot is asking for slot number `slot` of a `collect` intent.
    case collecting(intent: String, slot: Int)
    /// Handed off; the ticket waits for an agent.
    case queued(ticket: String)
    /// An agent holds the chat; the bot stays silent.
    case withAgent(ticket: String, agent: String)
    /// The conversation ended; the bot asked for a rating.
    case awaitingSurvey
    /// Over; no further messages are accepted.
    case closed

    /// A short name for logs, metrics and `chat --json`.
    public var name: String {
        switch self {
        case .open: return "open"
        case .awaitingConfirmation: return "awaiting_confirmation"
        case .clarifying: return "clarifying"
        case .collecting: return "collecting"
        case .queued: return "queued"
        case .withAgent: return "with_agent"
        case .awaitingSurvey: return "awaiting_survey"
        case .closed: return "closed"
        }
    }

    /// Whether the bot, not a person, answers the user in this state.
    public var isBotHandled: Bool {
        switch self {
        case .open, .awaitingConfirmation, .clarifying, .collecting, .awaitingSurvey: return true
        case .queued, .withAgent, .closed: return false
        }
    }
}
