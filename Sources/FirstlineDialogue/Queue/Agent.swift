/// A person who takes handoffs: the departments they serve, how many chats at once, and
/// whether they are there.
public struct Agent: Codable, Equatable, Sendable {
    /// Whether an agent can take chats.
    public enum Presence: String, Codable, Sendable, CaseIterable {
        case online, away, offline
    }

    public var id: String
    public var name: String
    /// Department ids this agent serves.
    public var skills: [String]
    /// Most chats held (or offered) at once.
    public var capacity: Int
    public var presence: Presence = .offline
    /// Tickets this agent holds.
    public var holding: [String] = []
    /// Tickets offered to this agent and not yet taken.
    public var offers: [String] = []

    /// Chats held plus chats offered.
    public var load: Int { holding.count + offers.count }

    /// Whether the agent can be given one more chat of `department`.
    public func canTake(_ department: String) -> Bool {
        presence == .online && load < capacity && skills.contains(department)
    }
}
