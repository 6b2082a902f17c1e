import Foundation

/// One record of the journal: its sequence number and its opaque payload.
public struct JournalRecord: Sendable, Hashable {
    /// Position in the journal, consecutive from 1.
    public var sequence: UInt64
    /// The bytes the caller appended.
    public var payload: Data

    /// Creates a record.
    public init(sequence: UInt64, payload: Data) {
        self.sequence = sequence
        self.payload = payload
    }

    /// Bytes the record takes on disk.
    public var encodedSize: Int { JournalFormat.recordHeaderSize + payload.count }
}
