/// Everything the desk knows: the sessions and the queue. Equatable, so tests can check that
/// folding the journal gives exactly the live state.
public struct DeskState: Codable, Equatable, Sendable {
    public var sessions: [String: Session] = [:]
    /// Ids of closed sessions archived out of memory.
    public var archivedSessions: Set<String> = []
    public var queue: HandoffQueue

    public init(queue: HandoffQueue = HandoffQueue()) {
        self.queue = queue
    }
}
