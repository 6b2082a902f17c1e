import FirstlineDialogue
import FirstlineNLU
import Foundation

/// One journal record: an accepted desk event and the time it was handled (stored in the
/// binary form of `DeskRecordCodec`).
public struct DeskRecord: Codable, Equatable, Sendable {
    public var at: Date
    public var event: DeskEvent

    public init(at: Date, event: DeskEvent) {
        self.at = at
        self.event = event
    }
}

/// The desk made durable. Every event the desk accepts is appended to the journal and made
/// durable (fdatasync) **before** `handle` returns its effects, so nothing a user or agent
/// was told had happened can be lost; start-up folds the journal (from the newest snapshot)
/// back into exactly the state it had. A snapshot is written every `snapshotInterval`
/// records, so a restart stays fast however long the desk runs.
///
/// Not thread-safe: one owner (the CLI's loop, or the service's desk actor) calls it.
public final class DeskJournal {
    /// The journal underneath.
    public let journal: Journal
    /// The desk, as of the last durable event.
    public private(set) var desk: Desk
    /// What recovery found.
    public let report: RecoveryReport
    /// Records between snapshots (each snapshot first archives closed sessions).
    public var snapshotInterval: UInt64 = 50_000
    /// Where closed sessions' transcripts go (masked, one JSON object a line) before they
    /// leave memory; nil keeps every session in memory.
    public let archivePath: String?
    private var lastEventAt = Date(timeIntervalSinceReferenceDate: 0)
    private var recordsSinceSnapshot: UInt64 = 0
    private var failure: JournalError?
    private var staged: [Data] = []

    /// Opens (or creates) the journal in `directory` and rebuilds the desk from it.
    /// - Throws: `JournalError` (a corrupt record names the file and offset; `options.salvage`
    ///   keeps what is readable), or `DeskRecordError` for a record this version cannot decode.
    public init(directory: String, bundle: IntentBundle, policy: EscalationPolicy = EscalationPolicy(), options: JournalOptions = JournalOptions(), archivePath: String? = nil) throws {
        self.archivePath = archivePath
        let decoder = JSONDecoder()
        var failure: Error?
        let (journal, desk, report) = try Journal.open(
            directory: directory, options: options,
            initial: { snapshot -> Desk in
                if let snapshot, let state = try? decoder.decode(DeskState.self, from: snapshot.data) {
                    return Desk(bundle: bundle, policy: policy, state: state)
                }
                if let snapshot { failure = DeskRecordError(sequence: snapshot.sequence, problem: "snapshot does not decode") }
                return Desk(bundle: bundle, policy: policy)
            },
            fold: { desk, record in
                guard failure == nil else { return }
                do {
                    let entry = try DeskRecordCodec.decode(record.payload)
                    _ = try? desk.handle(entry.event, now: entry.at)
                } catch {
                    failure = DeskRecordError(sequence: record.sequence, problem: "does not decode: \(error)")
                }
            })
        if let failure {
            journal.close()
            throw failure
        }
        self.journal = journal
        self.desk = desk
        self.report = report
    }

    /// Handles an event and makes it durable before returning its effects. A refused event
    /// is not recorded.
    /// - Throws: `DialogueError` for a refused event (nothing changes), `JournalError` when
    ///   the journal cannot make it durable (then nothing may be acknowledged).
    public func handle(_ event: DeskEvent, now: Date) throws -> [Effect] {
        if let failure { throw failure }
        let payload = DeskRecordCodec.encode(DeskRecord(at: now, event: event))
        // The reducer leaves the state untouched when it refuses, so it runs in place; if the
        // journal then fails, the desk is ahead of the disk and refuses everything after.
        let effects = try desk.handle(event, now: now)
        lastEventAt = max(lastEventAt, now)
        do {
            _ = try journal.append(contentsOf: [payload])
        } catch {
            failure = error
            throw error
        }
        recordsSinceSnapshot += 1
        if recordsSinceSnapshot >= snapshotInterval { try snapshot() }
        return effects
    }

    /// Runs an event through the reducer and holds its record for the next `commitStaged()`
    /// (the service's group commit: stage the events of every request that arrived, then
    /// one write and one sync for all). The effects must not be carried out, nor the event
    /// acknowledged, before that commit returns. A refused event throws and is not staged.
    /// - Throws: `DialogueError`, or the journal's failure once it has failed.
    public func stage(_ event: DeskEvent, now: Date) throws -> [Effect] {
        if let failure { throw failure }
        let effects = try desk.handle(event, now: now)
        staged.append(DeskRecordCodec.encode(DeskRecord(at: now, event: event)))
        lastEventAt = max(lastEventAt, now)
        return effects
    }

    /// Makes every staged record durable with one write and one sync. On failure nothing
    /// staged may be acknowledged, and the desk (which is ahead of the disk) refuses every
    /// later event.
    public func commitStaged() throws {
        if let failure { throw failure }
        guard !staged.isEmpty else { return }
        let payloads = staged
        staged.removeAll(keepingCapacity: true)
        do {
            _ = try journal.append(contentsOf: payloads)
        } catch {
            failure = error
            throw error
        }
        recordsSinceSnapshot += UInt64(payloads.count)
    }

    /// Whether enough records were written since the last snapshot that one is due.
    public var isSnapshotDue: Bool { recordsSinceSnapshot >= snapshotInterval }

    /// Swaps the intent bundle (a trainer's reload), keeping every session and ticket.
    public func replaceBundle(_ bundle: IntentBundle) {
        desk = Desk(bundle: bundle, policy: desk.policy, state: desk.state)
    }

    /// Handles recorded events in one durable group (imports, benchmarks): refused events are
    /// skipped and not recorded; one write and one sync for the whole batch.
    public func handleBatch(_ records: [DeskRecord]) throws {
        if let failure { throw failure }
        var payloads: [Data] = []
        payloads.reserveCapacity(records.count)
        for record in records where (try? desk.handle(record.event, now: record.at)) != nil {
            payloads.append(DeskRecordCodec.encode(record))
            lastEventAt = max(lastEventAt, record.at)
        }
        do {
            _ = try journal.append(contentsOf: payloads)
        } catch {
            failure = error
            throw error
        }
        recordsSinceSnapshot += UInt64(payloads.count)
        if recordsSinceSnapshot >= snapshotInterval { try snapshot() }
    }

    /// Archives closed sessions (their masked transcripts appended to `archivePath` and
    /// synced, then a `sessionsArchived` event), then writes a snapshot of the desk. A crash
    /// between the two writes archives those sessions again on the next snapshot: lines in
    /// the archive may repeat an id, never miss one.
    public func snapshot() throws {
        try beginSnapshot()()
    }

    /// The first half of a snapshot, on the owner's thread: archives closed sessions and
    /// takes the desk's state as of the last durable record. Returns the second half —
    /// encoding and writing the snapshot — which may run on another thread while the desk
    /// goes on (the service does, so a snapshot never stalls replies). Call it before the
    /// next `beginSnapshot`'s write.
    public func beginSnapshot() throws -> @Sendable () throws -> Void {
        try commitStaged()
        if let archivePath {
            let closed = desk.state.sessions.values.filter { $0.state == .closed }.sorted { $0.id < $1.id }
            if !closed.isEmpty {
                let lines = TranscriptExporter().jsonLines(closed)
                try Self.appendDurably(lines.map { $0 + "\n" }.joined(), to: archivePath)
                recordsSinceSnapshot = 0  // the archive event below must not recurse into a snapshot
                _ = try handle(.sessionsArchived(sessions: closed.map(\.id)), now: lastEventAt)
            }
        }
        let state = desk.state
        let sequence = journal.lastDurableSequence
        let journal = journal
        recordsSinceSnapshot = 0
        return {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try journal.writeSnapshot(try encoder.encode(state), upTo: sequence)
        }
    }

    /// Appends text to a file and syncs it before returning.
    static func appendDurably(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw JournalError(.failed("cannot create the transcript archive"), file: path)
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }

    /// Writes what is pending and closes the journal.
    public func close() { journal.close() }
}

/// A journal record or snapshot that does not decode as a desk event (a newer version wrote
/// it, or it was altered).
public struct DeskRecordError: Error, CustomStringConvertible, Sendable {
    public var sequence: UInt64
    public var problem: String
    public var description: String { "journal record \(sequence): \(problem); upgrade firstline or restore the journal" }
}
