import Foundation

/// An incremental decoder of journal records: feed it bytes as they come, in any split, and
/// ask for the next record; it answers a record or "need more". It never owns a file, so the
/// same code serves recovery, tools and tests.
///
/// ```swift
/// var decoder = RecordDecoder(startingAt: UInt64(JournalFormat.segmentHeaderSize))
/// decoder.feed(chunk)
/// while case .record(let record) = try decoder.next() { fold(record) }
/// ```
///
/// A record whose checksum does not match, or whose length is above `maxPayloadSize`, throws
/// `JournalError.Kind.corruptRecord` with the stream offset of the record's first byte; the
/// decoder stays at that record (a later `next()` throws the same), so the caller decides
/// whether it is a torn tail or damage. Sequence numbers are not checked here.
public struct RecordDecoder: Sendable {
    /// What `next()` found.
    public enum Step: Sendable, Hashable {
        /// A whole, checked record.
        case record(JournalRecord)
        /// The buffered bytes end inside a record (or there are none).
        case needMore
    }

    /// The largest payload accepted; a larger length field is reported as damage.
    public let maxPayloadSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The stream offset of the next undecoded byte (the start of the next record).
    public private(set) var offset: UInt64

    /// Creates a decoder whose first byte is at stream offset `offset` (used in errors).
    public init(startingAt offset: UInt64 = 0, maxPayloadSize: Int = JournalFormat.defaultMaxPayloadSize) {
        self.offset = offset
        self.maxPayloadSize = maxPayloadSize
    }

    /// Bytes fed but not yet returned as records: a partial record at the end of the input.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds bytes to decode.
    /// - Complexity: O(bytes.count), amortised; consumed bytes are dropped as it goes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes to decode.
    /// - Complexity: O(bytes.count), amortised.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Decodes the next record, or says more bytes are needed.
    /// - Throws: `JournalError.Kind.corruptRecord` at the record's offset when its length is
    ///   above the limit or its checksum does not match.
    /// - Complexity: O(payload size).
    public mutating func next() throws(JournalError) -> Step {
        let available = buffer.count - readIndex
        guard available >= JournalFormat.recordHeaderSize else { return .needMore }
        let start = readIndex
        let limit = maxPayloadSize
        let at = offset
        let result: JournalRecord? = try buffer.withBytes { raw throws(JournalError) -> JournalRecord? in
            let length = Int(raw.loadLittleEndian(at: start, as: UInt32.self))
            guard length <= limit else { throw JournalError(.corruptRecord, offset: at) }
            guard available >= JournalFormat.recordHeaderSize + length else { return nil }
            let stored = raw.loadLittleEndian(at: start + 4, as: UInt32.self)
            let covered = UnsafeRawBufferPointer(rebasing: raw[(start + 8)..<(start + 16 + length)])
            guard CRC32C.update(0, covered) == stored else { throw JournalError(.corruptRecord, offset: at) }
            let sequence = raw.loadLittleEndian(at: start + 8, as: UInt64.self)
            let payload = Data(UnsafeRawBufferPointer(rebasing: raw[(start + 16)..<(start + 16 + length)]))
            return JournalRecord(sequence: sequence, payload: payload)
        }
        guard let result else { return .needMore }
        readIndex += result.encodedSize
        offset += UInt64(result.encodedSize)
        return .record(result)
    }

    /// Drops consumed bytes once they are at least half the buffer, so feeding stays linear.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
