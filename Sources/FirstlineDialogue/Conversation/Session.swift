import Foundation

/// One chat: its state, language, transcript and what the escalation policy counts.
public struct Session: Codable, Equatable, Sendable {
    public var id: String
    /// The user's language; follows the user turn by turn.
    public var locale: String
    public var state: SessionState
    public var openedAt: Date
    /// The last user or agent activity (for the idle timeout).
    public var lastActivity: Date
    public var transcript: [Turn] = []
    /// Consecutive user turns the bot did not understand.
    public var lowConfidenceStreak = 0
    /// Amounts, ids, dates and times found in the user's messages so far.
    public var entities: [Understanding.Entity] = []
    /// Frustration words seen so far.
    public var frustrationHits = 0
    /// Slot values of the `collect` intent in progress or handed off.
    public var collected: [String: String] = [:]
    /// The intent of the current or last handoff.
    public var handoffIntent: String?
    /// The rating given at the end, 1–5.
    public var rating: Int?
    public var ratingComment: String?

    public init(id: String, locale: String, openedAt: Date) {
        self.id = id
        self.locale = locale
        self.state = .open
        self.openedAt = openedAt
        self.lastActivity = openedAt
        transcript.reserveCapacity(12)
    }
}
