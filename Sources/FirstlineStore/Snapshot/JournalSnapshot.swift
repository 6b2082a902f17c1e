import Foundation

/// The caller's state folded through record `sequence`, stored so recovery can start there
/// instead of at record 1 (layout in `JournalFormat`).
public struct JournalSnapshot: Sendable, Hashable {
    /// The last record the state includes.
    public var sequence: UInt64
    /// The state's bytes, opaque to the journal.
    public var data: Data

    /// Creates a snapshot.
    public init(sequence: UInt64, data: Data) {
        self.sequence = sequence
        self.data = data
    }

    /// The snapshot file's bytes: header with checksum, then the data.
    /// - Complexity: O(data size).
    public func encoded() -> [UInt8] {
        var bytes = JournalFormat.snapshotMagic
        bytes.reserveCapacity(JournalFormat.snapshotHeaderSize + data.count)
        bytes.appendLittleEndian(JournalFormat.version)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(sequence)
        bytes.appendLittleEndian(UInt64(data.count))
        let checksum = data.withUnsafeBytes { CRC32C.update(CRC32C.checksum(bytes[8..<32]), $0) }
        bytes.appendLittleEndian(checksum)
        bytes.appendLittleEndian(UInt32(0))
        data.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads a snapshot file's bytes, checking magic, version, length and checksum.
    /// - Throws: `.badHeader` for damage, `.newerFormat` for a newer version.
    /// - Complexity: O(bytes.count).
    public static func decode(_ bytes: [UInt8], file: String) throws(JournalError) -> JournalSnapshot {
        let headerSize = JournalFormat.snapshotHeaderSize
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == JournalFormat.snapshotMagic else {
            throw JournalError(.badHeader("not a Firstline snapshot, or its header is cut short"), file: file, offset: 0)
        }
        return try bytes.withBytes { raw throws(JournalError) in
            let version = raw.loadLittleEndian(at: 8, as: UInt32.self)
            guard version <= JournalFormat.version else {
                throw JournalError(.newerFormat(found: version, supported: JournalFormat.version), file: file, offset: 8)
            }
            let sequence = raw.loadLittleEndian(at: 16, as: UInt64.self)
            let length = raw.loadLittleEndian(at: 24, as: UInt64.self)
            guard length == UInt64(bytes.count - headerSize) else {
                throw JournalError(.badHeader("snapshot says \(length) bytes of data, file has \(bytes.count - headerSize)"), file: file, offset: 24)
            }
            let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            let expected = CRC32C.update(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[8..<32])), payload)
            guard raw.loadLittleEndian(at: 32, as: UInt32.self) == expected else {
                throw JournalError(.badHeader("snapshot checksum mismatch"), file: file, offset: 32)
            }
            return JournalSnapshot(sequence: sequence, data: Data(payload))
        }
    }
}
