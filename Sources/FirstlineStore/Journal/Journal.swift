import Foundation

/// A durable, append-only journal of opaque records in a directory of its own.
///
/// ```swift
/// let (journal, state, report) = try Journal.open(directory: "data/journal",
///     initial: { snapshot in State(snapshot) }, fold: { state, record in state.apply(record) })
/// let sequence = try await journal.append(eventBytes)   // returns once durable
/// try journal.writeSnapshot(state.encoded(), upTo: sequence)
/// ```
///
/// `append` returns only after the record is on disk (`fdatasync`), so a caller may
/// acknowledge a user's message as soon as it returns. Concurrent appends share syncs (see
/// `GroupCommitWriter`) and get consecutive sequence numbers in the order they are written.
/// The format is in `JournalFormat`; what start-up does is in `open(directory:options:initial:fold:)`.
public final class Journal: Sendable {
    /// The journal's directory.
    public let directory: String
    /// The options it was opened with.
    public let options: JournalOptions
    private let writer: GroupCommitWriter
    private let snapshots: SnapshotCatalog
    private let lock: DirectoryLock

    private init(directory: String, options: JournalOptions, writer: GroupCommitWriter, snapshots: [UInt64], lock: DirectoryLock) {
        self.directory = directory
        self.options = options
        self.writer = writer
        self.snapshots = SnapshotCatalog(snapshots)
        self.lock = lock
    }

    deinit {
        writer.close()
        lock.release()
    }

    /// Opens (or creates) the journal in `directory`, folding what it holds into a state
    /// without keeping the records in memory.
    ///
    /// Recovery loads the newest snapshot that passes its checks (a damaged one is renamed
    /// `.corrupt` and the previous one, or a full replay, is used), then reads the segments
    /// after it. A torn record at the end of the last segment (cut short, or failing its
    /// checksum with nothing valid after it) is cut off and reported in `droppedTail`; it was
    /// never acknowledged. Damage anywhere else (a checksum mismatch with data after it, in a
    /// segment that is not the last, or a sequence gap) stops start-up with an error naming
    /// the file and byte offset, unless `options.salvage` is set. A file from a newer format
    /// version is refused with a request to upgrade. A missing directory is created. The
    /// directory is locked (`LOCK`, `flock`) until `close()`: a second opener gets `.locked`.
    /// - Parameters:
    ///   - initial: makes the starting state from the snapshot (nil: none).
    ///   - fold: applies one record to the state, in sequence order.
    /// - Complexity: O(bytes in the segments); memory O(read chunk + largest record).
    public static func open<State>(
        directory: String, options: JournalOptions = JournalOptions(),
        initial: (JournalSnapshot?) -> State, fold: (inout State, JournalRecord) -> Void
    ) throws(JournalError) -> (journal: Journal, state: State, report: RecoveryReport) {
        var state: State?
        try DirectoryOperations.create(directory)
        let lock = try DirectoryLock(directory: directory)
        do throws(JournalError) {
            let recovery = JournalRecovery(directory: directory, options: options)
            let (report, start) = try recovery.run(start: { state = initial($0) }, deliver: { fold(&state!, $0) })
            let writer = try GroupCommitWriter(directory: directory, options: options, start: start)
            let journal = Journal(directory: directory, options: options, writer: writer, snapshots: start.snapshots, lock: lock)
            return (journal, state!, report)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Opens (or creates) the journal in `directory` and returns the newest snapshot and every
    /// record after it; see `open(directory:options:initial:fold:)` for what recovery does.
    /// - Complexity: O(bytes in the segments); memory holds every record after the snapshot.
    public static func open(
        directory: String, options: JournalOptions = JournalOptions()
    ) throws(JournalError) -> (journal: Journal, recovered: RecoveredJournal) {
        let (journal, state, report) = try open(
            directory: directory, options: options,
            initial: { (snapshot: $0, records: [JournalRecord]()) },
            fold: { $0.records.append($1) })
        return (journal, RecoveredJournal(snapshot: state.snapshot, records: state.records, report: report))
    }

    /// Appends one record and returns its sequence number once it is durable.
    /// - Throws: `.recordTooLarge`; the system error when the write or sync of its group
    ///   failed; `.failed` once the journal has stopped after such a failure; `.closed`.
    ///   After an error the record may or may not be found by a later recovery.
    public func append(_ payload: Data) async throws(JournalError) -> UInt64 {
        try checkSize(payload)
        let result = await withCheckedContinuation { continuation in
            writer.enqueue(payload, continuation: continuation)
        }
        return try result.get()
    }

    /// Appends records as one group, blocking the calling thread until all are durable
    /// (one write and one sync): for replay, imports and benchmarks.
    /// - Returns: their sequence numbers, consecutive.
    /// - Throws: as `append(_:)`.
    public func append(contentsOf payloads: [Data]) throws(JournalError) -> Range<UInt64> {
        for payload in payloads { try checkSize(payload) }
        return try writer.appendSynchronously(payloads)
    }

    /// The last sequence number known durable (0 for an empty journal).
    public var lastDurableSequence: UInt64 { writer.lastDurableSequence }

    /// Stores `data`, the caller's state folded through record `sequence`, so recovery can
    /// start there; then deletes older snapshots beyond `options.retainedSnapshots` and the
    /// segments the oldest kept snapshot wholly covers (never the active segment).
    ///
    /// The file is written atomically (temp file, fsync, rename, fsync the directory). Blocks
    /// the calling thread for the writes.
    /// - Throws: `.invalidSnapshot` when `sequence` is beyond the durable records or older
    ///   than the newest snapshot; system errors.
    /// - Complexity: O(data size + segments).
    public func writeSnapshot(_ data: Data, upTo sequence: UInt64) throws(JournalError) {
        try snapshots.serialised { (present: inout [UInt64]) throws(JournalError) in
            let durable = writer.lastDurableSequence
            guard sequence <= durable else {
                throw JournalError(.invalidSnapshot("covers record \(sequence) but only \(durable) are durable"), file: directory)
            }
            if let newest = present.max(), sequence < newest {
                throw JournalError(.invalidSnapshot("covers record \(sequence), older than the newest snapshot (\(newest))"), file: directory)
            }
            _ = try SnapshotFiles.write(JournalSnapshot(sequence: sequence, data: data), in: directory)
            if !present.contains(sequence) { present.append(sequence) }
            let plan = SnapshotRetention(retained: options.retainedSnapshots).plan(present)
            var removed = false
            if let through = plan.compactThrough {
                for path in writer.releaseSegments(coveredThrough: through) {
                    try DirectoryOperations.remove(path)
                    removed = true
                }
            }
            for old in plan.delete {
                try DirectoryOperations.remove(directory + "/" + JournalFileName.snapshot(old))
                removed = true
            }
            present.removeAll { plan.delete.contains($0) }
            if removed { try DirectoryOperations.sync(directory) }
        }
    }

    /// Writes what is queued, stops the writer thread and closes the file. Later appends
    /// throw `.closed`, and the directory may be opened again.
    public func close() {
        writer.close()
        lock.release()
    }

    private func checkSize(_ payload: Data) throws(JournalError) {
        guard payload.count <= options.maxPayloadSize else {
            throw JournalError(.recordTooLarge(length: payload.count, limit: options.maxPayloadSize), file: directory)
        }
    }
}
