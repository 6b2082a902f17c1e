import Foundation

/// What `Journal.open` found and did, for the log at start-up.
public struct RecoveryReport: Sendable, Hashable {
    /// The snapshot recovery started from, if any.
    public var snapshotSequence: UInt64?
    /// Records replayed after the snapshot.
    public var replayedCount = 0
    /// The last record in the journal (0 when empty); the next append gets this plus one.
    public var lastSequence: UInt64 = 0
    /// Segment files read.
    public var segmentCount = 0
    /// A torn last record cut off, if there was one: the normal trace of a crash mid-append.
    public var droppedTail: DroppedTail?
    /// What salvage moved aside, when `JournalOptions.salvage` was needed.
    public var salvage: SalvageReport?
    /// Snapshot files that failed their checks and were renamed to `.corrupt`, newest first.
    public var discardedSnapshots: [String] = []

    /// An empty report.
    public init() {}
}

/// A torn tail cut off the last segment: bytes of a record whose write never completed
/// (so it was never acknowledged).
public struct DroppedTail: Sendable, Hashable {
    /// The segment.
    public var file: String
    /// Where the torn record began; the file now ends here.
    public var offset: UInt64
    /// Bytes removed.
    public var byteCount: UInt64
    /// Why the bytes are not a record ("record cut short", "checksum mismatch", ...).
    public var reason: String
}

/// What salvage kept and what it moved aside.
public struct SalvageReport: Sendable, Hashable {
    /// The damage that stopped the reading.
    public var damage: JournalError
    /// The first sequence number that could not be read; records from here on are lost from
    /// the journal (their bytes are in `movedAside`), and new appends reuse these numbers.
    public var firstLostSequence: UInt64
    /// The `.corrupt` files holding the bytes after the damage.
    public var movedAside: [String]
    /// How many bytes were moved aside.
    public var byteCount: UInt64
}

/// Everything `Journal.open(directory:options:)` recovered: the snapshot and the records after it.
public struct RecoveredJournal: Sendable {
    /// The newest valid snapshot, if any.
    public var snapshot: JournalSnapshot?
    /// The records after the snapshot, in order.
    public var records: [JournalRecord]
    /// What recovery found and did.
    public var report: RecoveryReport
}
