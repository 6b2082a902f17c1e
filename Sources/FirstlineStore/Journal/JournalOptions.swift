/// How a journal is opened and run. Every field has a default; the defaults are what `serve`
/// uses.
public struct JournalOptions: Sendable {
    /// A segment is closed and a new one started once adding a record would take it past this
    /// many bytes (a single larger record still gets a segment of its own). Default 64 MiB.
    public var segmentSize: UInt64 = 64 << 20
    /// The largest payload accepted by `append`; recovery treats a larger length field as
    /// damage. Default 16 MiB.
    public var maxPayloadSize: Int = JournalFormat.defaultMaxPayloadSize
    /// When recovery meets damage in the middle, keep every record before it, move the rest
    /// aside to `.corrupt` files and open anyway (reported in `RecoveryReport.salvage`),
    /// instead of refusing to start. Default off: damage stops start-up with the file and offset.
    public var salvage = false
    /// Snapshots kept after a new one is written (at least 1). Segments are deleted only once
    /// the oldest kept snapshot covers them, so with the default 2 a damaged newest snapshot
    /// can still fall back to the previous one and replay from there.
    public var retainedSnapshots = 2
    /// Zeros written ahead of the last record, up to the segment size, so most syncs only
    /// flush data (see `ActiveSegment.preallocate`); 0 turns it off. The zeros are cut when
    /// a segment is closed; after a crash, recovery treats zeros after the last record as the
    /// end of the segment. Default 8 MiB.
    public var preallocationSize: UInt64 = 8 << 20
    /// Bytes read from a segment at a time during recovery. Default 1 MiB.
    public var readChunkSize = 1 << 20
    /// Failures to inject into the writer, for tests of ENOSPC and EIO.
    var faults: FaultInjector?

    /// The defaults.
    public init() {}

    /// The defaults with some fields changed.
    public init(segmentSize: UInt64 = 64 << 20, salvage: Bool = false, retainedSnapshots: Int = 2) {
        self.segmentSize = segmentSize
        self.salvage = salvage
        self.retainedSnapshots = retainedSnapshots
    }
}
