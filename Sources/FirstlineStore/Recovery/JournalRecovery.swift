import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The start-up procedure: find the newest valid snapshot, replay the segments after it,
/// cut a torn tail, stop at (or salvage) damage, and say where the writer continues.
struct JournalRecovery {
    /// Where the writer continues after recovery.
    struct WriterStart {
        /// The segments left in the directory, oldest first: first sequence number and path.
        var segments: [(firstSequence: UInt64, path: String)]
        /// The next sequence number to assign.
        var nextSequence: UInt64
        /// The last segment's size, when the writer appends to it; nil when it must start a
        /// new segment at `nextSequence`.
        var appendOffset: UInt64?
        /// Sequence numbers of the snapshot files kept, oldest first.
        var snapshots: [UInt64]
    }

    let directory: String
    let options: JournalOptions

    private func path(_ name: String) -> String { directory + "/" + name }

    /// Runs recovery, handing the snapshot (or nil) to `start` and then every later record to
    /// `deliver`, in order.
    func run(start: (JournalSnapshot?) -> Void, deliver: (JournalRecord) -> Void) throws(JournalError) -> (RecoveryReport, WriterStart) {
        try DirectoryOperations.create(directory)
        var report = RecoveryReport()
        var segments: [(firstSequence: UInt64, path: String)] = []
        var snapshotFiles: [(sequence: UInt64, path: String)] = []
        var removedTemporary = false
        for name in try DirectoryOperations.list(directory) {
            switch JournalFileName(name) {
            case .segment(let first): segments.append((first, path(name)))
            case .snapshot(let sequence): snapshotFiles.append((sequence, path(name)))
            case .temporary:
                try DirectoryOperations.remove(path(name))
                removedTemporary = true
            case .other: break
            }
        }
        if removedTemporary { try DirectoryOperations.sync(directory) }
        segments.sort { $0.firstSequence < $1.firstSequence }
        snapshotFiles.sort { $0.sequence > $1.sequence }

        // The newest snapshot that passes its checks; damaged newer ones are set aside.
        var snapshot: JournalSnapshot?
        var discarded: [String] = []
        for file in snapshotFiles {
            do throws(JournalError) {
                snapshot = try SnapshotFiles.read(file.path)
                break
            } catch {
                if case .newerFormat = error.kind { throw error }
                discarded.append(file.path)
            }
        }
        let base = snapshot?.sequence ?? 0
        if let first = segments.first, first.firstSequence > base + 1 {
            throw JournalError(.missingRecords(from: base + 1, through: first.firstSequence - 1), file: discarded.first ?? first.path)
        }
        report.snapshotSequence = snapshot?.sequence
        start(snapshot)

        var next = segments.first?.firstSequence ?? base + 1
        var appendOffset: UInt64?
        var kept: [(firstSequence: UInt64, path: String)] = []
        var index = 0
        scanning: while index < segments.count {
            let segment = segments[index]
            let isLast = index == segments.count - 1
            let scanner = SegmentScanner(path: segment.path, nameSequence: segment.firstSequence, isLast: isLast, options: options)
            let scan = try scanner.scan(expectedFirst: index == 0 ? nil : next, allowedJump: base + 1) { record in
                if record.sequence > base {
                    report.replayedCount += 1
                    deliver(record)
                }
            }
            report.segmentCount += 1
            switch scan.ending {
            case .clean:
                kept.append(segment)
                next = scan.nextSequence
                appendOffset = scan.endOffset
            case .tornHeader(let size):
                try DirectoryOperations.remove(segment.path)
                try DirectoryOperations.sync(directory)
                report.droppedTail = DroppedTail(file: segment.path, offset: 0, byteCount: size, reason: "segment header cut short")
                appendOffset = nil
            case .tornRecord(let offset, let reason):
                try truncate(segment.path, to: offset)
                report.droppedTail = DroppedTail(file: segment.path, offset: offset, byteCount: scan.fileSize - offset, reason: reason)
                kept.append(segment)
                next = scan.nextSequence
                appendOffset = offset
            case .damaged(let error):
                guard options.salvage else { throw error }
                let salvage = try salvage(segments[index...], damage: error, at: scan.header == nil ? 0 : scan.endOffset, fileSize: scan.fileSize)
                report.salvage = SalvageReport(damage: error, firstLostSequence: scan.nextSequence, movedAside: salvage.movedAside, byteCount: salvage.byteCount)
                if scan.header != nil {
                    kept.append(segment)
                    next = scan.nextSequence
                    appendOffset = scan.endOffset
                } else {
                    appendOffset = nil
                }
                break scanning
            }
            index += 1
        }

        for file in discarded {
            try DirectoryOperations.rename(file, to: file + ".corrupt")
        }
        if !discarded.isEmpty { try DirectoryOperations.sync(directory) }
        report.discardedSnapshots = discarded

        // A snapshot ahead of the log (possible only if the disk lost acknowledged data) is
        // honoured: numbering continues after it, in a new segment.
        let nextSequence = max(next, base + 1)
        if nextSequence != next || kept.isEmpty { appendOffset = nil }
        report.lastSequence = nextSequence - 1
        let snapshots = snapshotFiles.filter { !discarded.contains($0.path) }.map(\.sequence).sorted()
        return (report, WriterStart(segments: kept, nextSequence: nextSequence, appendOffset: appendOffset, snapshots: snapshots))
    }

    private func truncate(_ path: String, to size: UInt64) throws(JournalError) {
        let file = try FileDescriptor.open(path, O_WRONLY)
        defer { file.close() }
        try file.truncate(to: size)
        try file.sync()
    }

    /// Keeps the damaged segment's bytes before `offset` (none when its header is bad), and
    /// moves the bytes from `offset` on, and every later segment, into `.corrupt` files.
    private func salvage(
        _ segments: ArraySlice<(firstSequence: UInt64, path: String)>, damage: JournalError, at offset: UInt64, fileSize: UInt64
    ) throws(JournalError) -> (movedAside: [String], byteCount: UInt64) {
        var moved: [String] = []
        var bytes: UInt64 = 0
        let damaged = segments.first!
        if offset == 0 {
            let aside = asideName(damaged.path)
            try DirectoryOperations.rename(damaged.path, to: aside)
            moved.append(aside)
            bytes += fileSize
        } else {
            let source = try FileDescriptor.open(damaged.path, O_RDWR)
            defer { source.close() }
            let tail = try source.read(count: Int(fileSize - offset), at: offset)
            let aside = asideName(damaged.path)
            let copy = try FileDescriptor.open(aside, O_WRONLY | O_CREAT | O_EXCL)
            defer { copy.close() }
            try tail.withBytes { buffer throws(JournalError) in try copy.write(buffer, at: 0) }
            try copy.sync()
            try source.truncate(to: offset)
            try source.sync()
            moved.append(aside)
            bytes += UInt64(tail.count)
        }
        for later in segments.dropFirst() {
            let aside = asideName(later.path)
            let size = (try? FileManager.default.attributesOfItem(atPath: later.path)[.size] as? UInt64) ?? 0
            try DirectoryOperations.rename(later.path, to: aside)
            moved.append(aside)
            bytes += size
        }
        try DirectoryOperations.sync(directory)
        return (moved, bytes)
    }

    /// `name.corrupt`, or `name.2.corrupt`... when an earlier salvage used that name.
    private func asideName(_ path: String) -> String {
        var candidate = path + ".corrupt"
        var number = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = path + ".\(number).corrupt"
            number += 1
        }
        return candidate
    }
}
