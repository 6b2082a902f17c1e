/// The journal's on-disk format, version 1. Every integer is little-endian.
///
/// A journal is a directory of segment files and snapshot files:
///
/// ```text
/// journal-00000000000000000001.seg    records 1 ...
/// journal-00000000000000412977.seg    records 412977 ... (the active segment is the last)
/// snapshot-00000000000000400000.snap  state folded through record 400000
/// ```
///
/// **Segment** = a 32-byte header, then records back to back:
///
/// ```text
/// header  offset size
///         0      8    magic "FLJRNL\r\n"  (46 4C 4A 52 4E 4C 0D 0A)
///         8      4    format version (1)
///         12     4    flags (0)
///         16     8    sequence number of the segment's first record (also in the file name)
///         24     4    CRC-32C of bytes 8..<24
///         28     4    reserved (0)
/// record  0      4    payload length n
///         4      4    CRC-32C of bytes 8..<16+n (sequence number and payload)
///         8      8    sequence number
///         16     n    payload (opaque bytes)
/// ```
///
/// Sequence numbers start at 1 and are consecutive across segments. The version is read
/// before anything else in a header, so a newer file is refused with "upgrade" rather than
/// misread. A record is durable once its segment was `fdatasync`ed after it was written; a
/// crash can only leave the last record of the last segment torn.
///
/// **Snapshot** = a 40-byte header, then the state's bytes:
///
/// ```text
///         0      8    magic "FLSNAP\r\n"
///         8      4    format version (1)
///         12     4    flags (0)
///         16     8    sequence number of the last record the state includes
///         24     8    payload length n
///         32     4    CRC-32C of bytes 8..<32 followed by the payload
///         36     4    reserved (0)
///         40     n    payload
/// ```
public enum JournalFormat {
    /// The version this build writes and the highest it reads.
    public static let version: UInt32 = 1
    /// The first eight bytes of a segment.
    public static let segmentMagic: [UInt8] = Array("FLJRNL\r\n".utf8)
    /// The first eight bytes of a snapshot.
    public static let snapshotMagic: [UInt8] = Array("FLSNAP\r\n".utf8)
    /// Bytes in a segment header.
    public static let segmentHeaderSize = 32
    /// Bytes in a snapshot header.
    public static let snapshotHeaderSize = 40
    /// Bytes before a record's payload: length, checksum, sequence number.
    public static let recordHeaderSize = 16
    /// The default limit on one payload (16 MiB); a larger length field is treated as damage.
    public static let defaultMaxPayloadSize = 16 << 20
}

extension Array where Element == UInt8 {
    /// Appends `value` as little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian integer at `offset` (no alignment needed).
    func loadLittleEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `JournalError` (the standard one rethrows
    /// untyped).
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(JournalError) -> Result) throws(JournalError) -> Result {
        let outcome: Swift.Result<Result, JournalError> = withUnsafeBytes { raw in
            Swift.Result { () throws(JournalError) -> Result in try body(raw) }
        }
        return try outcome.get()
    }

    /// `withUnsafeMutableBytes` for a body that throws `JournalError`.
    mutating func withMutableBytes<Result>(_ body: (UnsafeMutableRawBufferPointer) throws(JournalError) -> Result) throws(JournalError) -> Result {
        let outcome: Swift.Result<Result, JournalError> = withUnsafeMutableBytes { raw in
            Swift.Result { () throws(JournalError) -> Result in try body(raw) }
        }
        return try outcome.get()
    }
}
