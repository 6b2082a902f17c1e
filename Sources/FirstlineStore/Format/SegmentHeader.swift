/// The 32-byte header at the start of every segment (layout in `JournalFormat`).
public struct SegmentHeader: Sendable, Hashable {
    /// The format version the segment was written with.
    public var version: UInt32
    /// The sequence number of the segment's first record.
    public var firstSequence: UInt64

    /// Creates a header for this build's format version.
    public init(firstSequence: UInt64, version: UInt32 = JournalFormat.version) {
        self.version = version
        self.firstSequence = firstSequence
    }

    /// The header's bytes.
    public func encoded() -> [UInt8] {
        var bytes = JournalFormat.segmentMagic
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(firstSequence)
        bytes.appendLittleEndian(CRC32C.checksum(bytes[8..<24]))
        bytes.appendLittleEndian(UInt32(0))
        return bytes
    }

    /// Reads a header, checking the magic, then the version (so a newer file says "upgrade"
    /// even if the rest of its header changed), then the checksum.
    /// - Parameters:
    ///   - bytes: at least `JournalFormat.segmentHeaderSize` bytes from the start of the file.
    ///   - file: the path, for errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(JournalError) -> SegmentHeader {
        guard bytes.count >= JournalFormat.segmentHeaderSize else {
            throw JournalError(.badHeader("segment header is \(bytes.count) bytes, expected \(JournalFormat.segmentHeaderSize)"), file: file, offset: 0)
        }
        guard Array(bytes[0..<8]) == JournalFormat.segmentMagic else {
            throw JournalError(.badHeader("not a Firstline journal segment (wrong magic bytes)"), file: file, offset: 0)
        }
        return try bytes.withBytes { raw throws(JournalError) in
            let version = raw.loadLittleEndian(at: 8, as: UInt32.self)
            guard version <= JournalFormat.version else {
                throw JournalError(.newerFormat(found: version, supported: JournalFormat.version), file: file, offset: 8)
            }
            guard version >= 1 else { throw JournalError(.badHeader("format version 0"), file: file, offset: 8) }
            let stored = raw.loadLittleEndian(at: 24, as: UInt32.self)
            guard stored == CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[8..<24])) else {
                throw JournalError(.badHeader("segment header checksum mismatch"), file: file, offset: 24)
            }
            return SegmentHeader(firstSequence: raw.loadLittleEndian(at: 16, as: UInt64.self), version: version)
        }
    }
}
