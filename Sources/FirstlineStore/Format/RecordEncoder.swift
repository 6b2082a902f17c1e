import Foundation

/// Encodes records into the segment format described in `JournalFormat`.
public enum RecordEncoder {
    /// Appends the encoding of one record to `buffer`.
    /// - Complexity: O(payload size).
    public static func encode(sequence: UInt64, payload: Data, into buffer: inout [UInt8]) {
        var sequenceBytes: [UInt8] = []
        sequenceBytes.appendLittleEndian(sequence)
        let checksum = payload.withUnsafeBytes { CRC32C.update(CRC32C.checksum(sequenceBytes), $0) }
        buffer.appendLittleEndian(UInt32(payload.count))
        buffer.appendLittleEndian(checksum)
        buffer.append(contentsOf: sequenceBytes)
        payload.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }

    /// The encoding of one record.
    public static func encode(_ record: JournalRecord) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(record.encodedSize)
        encode(sequence: record.sequence, payload: record.payload, into: &buffer)
        return buffer
    }
}
