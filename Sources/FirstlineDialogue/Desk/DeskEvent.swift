/// Everything that can happen at the support desk. The journal stores these, one record
/// each; the state after a restart is the fold of them, in order, through `Desk.handle`.
public enum DeskEvent: Codable, Equatable, Sendable {
    /// A chat starts (locale: the caller's choice, nil to follow the user).
    case sessionOpened(session: String, locale: String?)
    /// The user wrote; `choice` is a quick reply's value when the user pressed one
    /// (`QuickReply.human`, `.yes`, `.no`, or an intent id offered in a clarification).
    case userMessage(session: String, text: String, understanding: Understanding, choice: String?)
    /// The user closed the chat.
    case userClosed(session: String)
    /// The user rated the conversation.
    case surveyGiven(session: String, rating: Int, comment: String?)
    /// The idle timer of a session fired.
    case idleTimeout(session: String)
    /// An agent account exists (created or changed).
    case agentRegistered(agent: String, name: String, skills: [String], capacity: Int)
    /// An agent's presence changed; leaving (away/offline) returns their chats to the queue.
    case agentPresence(agent: String, presence: Agent.Presence)
    /// An agent takes a ticket: a given one, or the next for their skills when nil.
    case agentClaimed(agent: String, ticket: String?)
    /// An offer made to an agent was not taken in time.
    case offerExpired(ticket: String, agent: String)
    /// An agent wrote to the user.
    case agentMessage(agent: String, session: String, text: String)
    /// An agent moved the chat to another department's queue.
    case agentTransferred(agent: String, session: String, department: String)
    /// An agent finished the chat.
    case agentResolved(agent: String, session: String)
    /// An agent gave the chat back to the bot.
    case agentHandedBack(agent: String, session: String)
    /// Closed sessions whose transcripts were archived leave memory; their ids are kept so a
    /// late message still gets "closed", not "unknown". Keeps memory and snapshots bounded by
    /// the chats in progress, however long the desk runs.
    case sessionsArchived(sessions: [String])
}
