import Foundation

/// One line of a conversation's transcript.
public struct Turn: Codable, Equatable, Sendable {
    /// Who spoke.
    public enum Role: String, Codable, Sendable {
        case user, bot, agent, system
    }

    public var role: Role
    public var text: String
    public var at: Date
    /// For user turns: the intent recognised (nil: not understood).
    public var intent: String?
    /// For user turns: the confidence of the likeliest intent.
    public var confidence: Float?
    /// For agent turns: the agent.
    public var agent: String?

    public init(role: Role, text: String, at: Date, intent: String? = nil, confidence: Float? = nil, agent: String? = nil) {
        self.role = role
        self.text = text
        self.at = at
        self.intent = intent
        self.confidence = confidence
        self.agent = agent
    }
}
