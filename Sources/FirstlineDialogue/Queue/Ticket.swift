import Foundation
import FirstlineNLU

/// A handoff waiting for, or held by, an agent: where it goes, how urgent, when things
/// happened (for service levels), and the evidence the agent reads first.
public struct Ticket: Codable, Equatable, Sendable {
    public var id: String
    public var session: String
    public var department: String
    public var priority: IntentDefinition.Priority
    /// When it first entered the queue; kept when an agent leaves and it is queued again.
    public var queuedAt: Date
    /// Put back by an agent who left: served before every other waiting ticket.
    public var isReturned = false
    /// The agent it is offered to, and until when.
    public var offeredTo: String?
    public var offerExpires: Date?
    /// Agents who let an offer expire; not offered again.
    public var declinedBy: [String] = []
    public var claimedBy: String?
    public var claimedAt: Date?
    public var firstAgentReplyAt: Date?
    /// Whether the user was told nobody is online (the ticket still waits).
    public var isOfflineAcknowledged = false
    public var evidence: HandoffEvidence

    /// Whether no agent holds it.
    public var isWaiting: Bool { claimedBy == nil }
}

extension IntentDefinition.Priority: Codable {}
