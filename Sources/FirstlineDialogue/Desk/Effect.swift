import Foundation

/// A quick-reply button under a bot message.
public struct QuickReply: Codable, Equatable, Sendable {
    /// The button's text, in the session's language.
    public var label: String
    /// What pressing it sends back as `choice`.
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }

    /// Values with a fixed meaning.
    public static let yes = "yes", no = "no", human = "human"
}

/// A message to the user: from the bot, an agent, or a system notice.
public struct OutgoingMessage: Codable, Equatable, Sendable {
    public var session: String
    public var role: Turn.Role
    public var text: String
    public var quickReplies: [QuickReply]
    /// Which bundle message or intent answer this is (`did_it_help`, `answer:bonus.wagering`…).
    public var kind: String

    public init(session: String, role: Turn.Role, text: String, quickReplies: [QuickReply] = [], kind: String) {
        self.session = session
        self.role = role
        self.text = text
        self.quickReplies = quickReplies
        self.kind = kind
    }
}

/// What a timer should deliver back as an event.
public enum DeskTimer: Codable, Equatable, Sendable {
    case idle(session: String)
    case offer(ticket: String, agent: String)
}

/// What the desk asks the outside world to do after an event. The reducer never does I/O:
/// the service (or `chat`, or `replay`) carries effects out.
public enum Effect: Equatable, Sendable {
    /// Show a message to the user.
    case send(OutgoingMessage)
    /// A new ticket entered the queue (for the agents' live view and metrics).
    case enqueued(Ticket)
    /// Tell an agent something (a chat offered or assigned, a user message, a ticket change).
    case notifyAgent(agent: String, notice: AgentNotice)
    /// Tell every agent with the skill (a new or changed ticket in a department's queue).
    case notifyDepartment(department: String, notice: AgentNotice)
    /// Deliver an event when the time comes.
    case schedule(at: Date, DeskTimer)
}

/// What agents are told.
public enum AgentNotice: Equatable, Sendable {
    case ticketQueued(ticket: String, priority: String)
    case offered(ticket: String)
    case userMessage(session: String, text: String)
    case userLeft(session: String)
    case ticketChanged(ticket: String)
}
