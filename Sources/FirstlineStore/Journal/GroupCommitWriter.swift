import Dispatch
import Foundation

/// The journal's single writer: callers queue records; a dedicated thread takes everything
/// queued, writes it with one `pwrite`, calls `fdatasync`, and only then tells the callers.
/// While one sync is in flight the next group gathers, so many concurrent appenders share
/// each sync (group commit).
///
/// After a failed write or sync the writer stops: the callers in that group get the system
/// error, everyone queued and every later caller gets `.failed`, since what is on disk is no
/// longer known.
// @unchecked Sendable: the fields marked "guarded" are only touched with `condition` locked;
// `active`, `buffer` and `faults` belong to the writer thread once it has started (the
// initialiser sets them before `Thread.start`, which orders those writes before the thread).
final class GroupCommitWriter: @unchecked Sendable {
    private enum State {
        case running
        case closing
        case failed(JournalError)
    }

    private let directory: String
    private let segmentSize: UInt64
    private let preallocationSize: UInt64
    private let faults: FaultInjector?
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    // guarded
    private var state = State.running
    private var pending: [PendingAppend] = []
    private var nextSequence: UInt64
    private var durableSequence: UInt64
    private var segments: [(firstSequence: UInt64, path: String)]
    private var isJoined = false

    // writer thread
    private var active: ActiveSegment
    private var buffer: [UInt8] = []

    /// Opens the writer where recovery left off and starts its thread.
    init(directory: String, options: JournalOptions, start: JournalRecovery.WriterStart) throws(JournalError) {
        self.directory = directory
        self.segmentSize = options.segmentSize
        self.preallocationSize = options.preallocationSize
        self.faults = options.faults
        self.nextSequence = start.nextSequence
        self.durableSequence = start.nextSequence - 1
        var segments = start.segments
        if let offset = start.appendOffset, let last = segments.last {
            active = try ActiveSegment.reopen(last.path, firstSequence: last.firstSequence, at: offset)
        } else {
            active = try ActiveSegment.create(in: directory, firstSequence: start.nextSequence)
            segments.append((start.nextSequence, directory + "/" + JournalFileName.segment(start.nextSequence)))
        }
        self.segments = segments
        let thread = Thread { [self] in run() }
        thread.name = "journal-writer"
        thread.start()
    }

    /// The last sequence number known durable.
    var lastDurableSequence: UInt64 {
        condition.withLock { durableSequence }
    }

    /// Queues one record; the continuation is resumed once it is durable.
    func enqueue(_ payload: Data, continuation: CheckedContinuation<Result<UInt64, JournalError>, Never>) {
        condition.lock()
        if let refusal = refusal() {
            condition.unlock()
            continuation.resume(returning: .failure(refusal))
            return
        }
        pending.append(PendingAppend(sequence: nextSequence, payload: payload, waiter: .continuation(continuation)))
        nextSequence += 1
        condition.signal()
        condition.unlock()
    }

    /// Queues records as one group and blocks until all are durable.
    /// - Returns: their sequence numbers.
    func appendSynchronously(_ payloads: [Data]) throws(JournalError) -> Range<UInt64> {
        guard !payloads.isEmpty else {
            let next = condition.withLock { nextSequence }
            return next..<next
        }
        let ticket = BatchTicket()
        condition.lock()
        if let refusal = refusal() {
            condition.unlock()
            throw refusal
        }
        let first = nextSequence
        pending.reserveCapacity(pending.count + payloads.count)
        for (index, payload) in payloads.enumerated() {
            let waiter: PendingAppend.Waiter = index == payloads.count - 1 ? .batch(ticket) : .none
            pending.append(PendingAppend(sequence: nextSequence, payload: payload, waiter: waiter))
            nextSequence += 1
        }
        condition.signal()
        condition.unlock()
        try ticket.wait()
        return first..<(first + UInt64(payloads.count))
    }

    /// Takes the segments wholly covered by records up to `sequence` out of the catalogue
    /// (never the active one) and returns their paths for deletion.
    func releaseSegments(coveredThrough sequence: UInt64) -> [String] {
        condition.withLock {
            var released: [String] = []
            while segments.count > 1, segments[1].firstSequence - 1 <= sequence {
                released.append(segments.removeFirst().path)
            }
            return released
        }
    }

    /// Lets the thread write what is queued, then stops it and waits for it (once).
    func close() {
        condition.lock()
        if case .running = state { state = .closing }
        condition.signal()
        let mustJoin = !isJoined
        isJoined = true
        condition.unlock()
        if mustJoin { finished.wait() }
    }

    /// Asks the thread to stop after what is queued, without waiting.
    func requestClose() {
        condition.withLock {
            if case .running = state { state = .closing }
            condition.signal()
        }
    }

    /// Why a new record is refused, if it is. Call with `condition` locked.
    private func refusal() -> JournalError? {
        switch state {
        case .running: return nil
        case .closing: return JournalError(.closed, file: directory)
        case .failed(let error): return error
        }
    }

    // MARK: writer thread

    private func run() {
        var group: [PendingAppend] = []
        while true {
            condition.lock()
            while pending.isEmpty, case .running = state { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                break
            }
            swap(&group, &pending)
            condition.unlock()
            do throws(JournalError) {
                try write(group)
            } catch {
                stop(after: error, group: group)
                break
            }
            condition.withLock { durableSequence = group.last!.sequence }
            for append in group { append.succeed() }
            group.removeAll(keepingCapacity: true)
        }
        if case .closing = condition.withLock({ state }) { try? active.trimPreallocation() }
        active.file.close()
        finished.signal()
    }

    /// Encodes the group and writes it with one write and one sync (two when the segment
    /// rotates in the middle).
    private func write(_ group: [PendingAppend]) throws(JournalError) {
        buffer.removeAll(keepingCapacity: true)
        let headerSize = UInt64(JournalFormat.segmentHeaderSize)
        assert(zip(group, group.dropFirst()).allSatisfy { $0.sequence + 1 == $1.sequence }, "a group holds consecutive sequence numbers")
        for append in group {
            let end = active.size + UInt64(buffer.count)
            if end + UInt64(JournalFormat.recordHeaderSize + append.payload.count) > segmentSize, end > headerSize {
                try flush()
                try rotate(to: append.sequence)
            }
            RecordEncoder.encode(sequence: append.sequence, payload: append.payload, into: &buffer)
        }
        try flush()
    }

    private func flush() throws(JournalError) {
        guard !buffer.isEmpty else { return }
        let path = active.file.path
        try faults?.check("pwrite", path: path)
        let offset = active.size
        try buffer.withBytes { bytes throws(JournalError) in try active.file.write(bytes, at: offset) }
        active.size += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if active.size > active.allocated {
            // The write grew the file: zero the next stretch, covered by the same sync.
            active.allocated = active.size
            if preallocationSize > 0 {
                try active.preallocate(to: min(active.size + preallocationSize, max(segmentSize, active.size)))
            }
        }
        try faults?.check("fdatasync", path: path)
        try active.file.syncData()
    }

    private func rotate(to firstSequence: UInt64) throws(JournalError) {
        try active.trimPreallocation()
        let next = try ActiveSegment.create(in: directory, firstSequence: firstSequence)
        active.file.close()
        active = next
        let path = active.file.path
        condition.withLock { segments.append((firstSequence, path)) }
    }

    /// Fails the group with `error` and everything queued or later with `.failed`.
    private func stop(after error: JournalError, group: [PendingAppend]) {
        let refusal = JournalError(.failed(error.description), file: error.file, offset: error.offset, errno: error.errno)
        condition.lock()
        state = .failed(refusal)
        let queued = pending
        pending = []
        condition.unlock()
        for append in group { append.fail(error) }
        for append in queued { append.fail(refusal) }
    }
}
