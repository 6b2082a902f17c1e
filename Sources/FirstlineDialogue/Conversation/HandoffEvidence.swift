import Foundation

/// Everything an agent needs to take over without asking again.
public struct HandoffEvidence: Codable, Equatable, Sendable {
    /// One line: language, intent (confidence), numbers found, turns.
    public var summary: String
    public var locale: String
    /// The intent that caused the handoff (nil: the bot did not understand).
    public var intent: String?
    public var confidence: Float?
    /// Why: `intent`, `human_request`, `not_understood`, `not_helped`, `frustration`, `transfer`.
    public var reason: String
    /// The conversation so far, with intent and confidence per user turn.
    public var transcript: [Turn]
    /// Details collected by a `collect` intent.
    public var collected: [String: String]
    /// Amounts, ids, dates and times found in the user's messages.
    public var entities: [Understanding.Entity]
}
