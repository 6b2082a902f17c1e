#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the journal could not do what was asked, with what a person needs to fix it: the
/// file, the byte offset inside it, and the system call and errno where one failed.
///
/// `description` reads like "journal-00000000000000000001.seg at byte 4128: record checksum
/// mismatch with more data after it (corruption in the middle of the journal; ...)".
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A system call failed; `errno` holds the code.
        case systemCall(String)
        /// A record whose checksum or length is wrong, with valid data after it, or in a
        /// segment that is not the last: damage, not a torn write.
        case corruptRecord
        /// A record whose sequence number does not follow the one before it.
        case sequenceGap(expected: UInt64, found: UInt64)
        /// A segment or snapshot header that is not ours or is damaged.
        case badHeader(String)
        /// A file written by a newer Firstline: the format version is above what this build reads.
        case newerFormat(found: UInt32, supported: UInt32)
        /// A payload above the configured limit.
        case recordTooLarge(length: Int, limit: Int)
        /// Records needed to rebuild state are gone (compacted behind a snapshot that is now corrupt).
        case missingRecords(from: UInt64, through: UInt64)
        /// An earlier write or sync failed; the journal refuses appends rather than guess what is durable.
        case failed(String)
        /// The journal was closed.
        case closed
        /// Another process (or another `Journal` in this one) has the directory open.
        case locked
        /// A snapshot request that would not be safe, such as covering records not yet durable.
        case invalidSnapshot(String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The file concerned, as a path, when there is one.
    public var file: String?
    /// The byte offset in `file` where the problem starts, when known.
    public var offset: UInt64?
    /// The system error code, for `.systemCall` and `.failed`.
    public var errno: Int32?

    /// Creates an error.
    public init(_ kind: Kind, file: String? = nil, offset: UInt64? = nil, errno: Int32? = nil) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.errno = errno
    }

    /// `file at byte offset: problem (errno)`.
    public var description: String {
        var place = file ?? "journal"
        if let offset { place += " at byte \(offset)" }
        return "\(place): \(problem)"
    }

    private var problem: String {
        let code = errno.map { " (\(String(cString: strerror($0))), errno \($0))" } ?? ""
        switch kind {
        case .systemCall(let call):
            return "\(call) failed\(code)"
        case .corruptRecord:
            return "record checksum or length mismatch with more data after it (corruption in the middle of the journal); open with salvage to keep the records before it and move the rest aside"
        case .sequenceGap(let expected, let found):
            return "sequence gap: expected record \(expected), found \(found); open with salvage to keep the records before it"
        case .badHeader(let reason):
            return "bad header: \(reason)"
        case .newerFormat(let found, let supported):
            return "written by a newer Firstline (format version \(found); this build reads up to \(supported)); upgrade Firstline to open this journal"
        case .recordTooLarge(let length, let limit):
            return "record of \(length) bytes is above the limit of \(limit) bytes"
        case .missingRecords(let from, let through):
            return "records \(from) through \(through) are missing (compacted behind a snapshot that is now unreadable); restore the snapshot from a backup"
        case .failed(let cause):
            return "the journal refuses appends after a failed write: \(cause)\(code)"
        case .closed:
            return "the journal is closed"
        case .locked:
            return "the journal is open in another process (or another Journal value); only one writer may have it"
        case .invalidSnapshot(let reason):
            return "snapshot refused: \(reason)"
        }
    }
}
