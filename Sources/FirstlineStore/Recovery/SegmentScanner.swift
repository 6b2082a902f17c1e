#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one segment file during recovery: checks its header, streams its records through a
/// `RecordDecoder` in chunks (memory stays bounded by the chunk size), checks the sequence
/// numbers, and says how the segment ends.
struct SegmentScanner {
    /// How a segment ended.
    enum Ending {
        /// Every byte was a good record, or zeros written ahead follow the last one.
        case clean
        /// The header is missing or zeroed: a crash while the segment was being created.
        case tornHeader(size: UInt64)
        /// A record at `offset` is cut short or fails its checksum and nothing valid follows:
        /// a torn write. Only reported for the last segment.
        case tornRecord(offset: UInt64, reason: String)
        /// Damage: the error names the file and offset.
        case damaged(JournalError)
    }

    /// The result of a scan.
    struct Scan {
        var header: SegmentHeader?
        /// Offset just after the last good record.
        var endOffset: UInt64
        /// The sequence number after the last good record.
        var nextSequence: UInt64
        /// The file's size.
        var fileSize: UInt64
        var ending: Ending
    }

    let path: String
    /// The sequence number in the file name.
    let nameSequence: UInt64
    /// Whether this is the last segment, the only place a torn write can be.
    let isLast: Bool
    let options: JournalOptions

    /// Scans the segment, handing every good record to `deliver`.
    /// - Parameter expectedFirst: the sequence number the segment must start with (nil for
    ///   the first segment); `allowedJump` a first sequence number also accepted (just after
    ///   a snapshot that is ahead of the log).
    /// - Throws: only `.newerFormat` and I/O failures; damage is returned as `.damaged`.
    func scan(expectedFirst: UInt64?, allowedJump: UInt64, deliver: (JournalRecord) -> Void) throws(JournalError) -> Scan {
        let file = try FileDescriptor.open(path, O_RDONLY)
        defer { file.close() }
        let size = try file.size()
        let headerSize = UInt64(JournalFormat.segmentHeaderSize)
        let headerBytes = try file.read(count: JournalFormat.segmentHeaderSize, at: 0)
        if headerBytes.count < JournalFormat.segmentHeaderSize || headerBytes.allSatisfy({ $0 == 0 }) {
            let ending: Ending = isLast
                ? .tornHeader(size: size)
                : .damaged(JournalError(.badHeader("segment header missing (\(size) bytes in file)"), file: path, offset: 0))
            return Scan(header: nil, endOffset: 0, nextSequence: expectedFirst ?? nameSequence, fileSize: size, ending: ending)
        }
        let header: SegmentHeader
        do throws(JournalError) {
            header = try SegmentHeader.decode(headerBytes, file: path)
        } catch where isNewerFormat(error) {
            throw error
        } catch {
            return Scan(header: nil, endOffset: 0, nextSequence: expectedFirst ?? nameSequence, fileSize: size, ending: .damaged(error))
        }
        guard header.firstSequence == nameSequence else {
            let error = JournalError(.badHeader("file name says first record \(nameSequence), header says \(header.firstSequence)"), file: path, offset: 16)
            return Scan(header: header, endOffset: 0, nextSequence: expectedFirst ?? nameSequence, fileSize: size, ending: .damaged(error))
        }
        if let expectedFirst, header.firstSequence != expectedFirst,
           !(header.firstSequence == allowedJump && expectedFirst < allowedJump) {
            let error = JournalError(.sequenceGap(expected: expectedFirst, found: header.firstSequence), file: path, offset: 16)
            return Scan(header: header, endOffset: 0, nextSequence: expectedFirst, fileSize: size, ending: .damaged(error))
        }

        var expected = header.firstSequence
        var decoder = RecordDecoder(startingAt: headerSize, maxPayloadSize: options.maxPayloadSize)
        var position = headerSize
        var chunk = [UInt8](repeating: 0, count: max(options.readChunkSize, 4096))
        while true {
            let count = try chunk.withMutableBytes { buffer throws(JournalError) in try file.read(into: buffer, at: position) }
            position += UInt64(count)
            if count > 0 {
                chunk.withUnsafeBytes { decoder.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            do {
                while case .record(let record) = try decoder.next() {
                    guard record.sequence == expected else {
                        let at = decoder.offset - UInt64(record.encodedSize)
                        let error = JournalError(.sequenceGap(expected: expected, found: record.sequence), file: path, offset: at)
                        return Scan(header: header, endOffset: at, nextSequence: expected, fileSize: size, ending: .damaged(error))
                    }
                    deliver(record)
                    expected += 1
                }
            } catch {
                let ending = try classify(offset: decoder.offset, reason: "checksum or length mismatch", file: file, size: size, expected: expected)
                return Scan(header: header, endOffset: decoder.offset, nextSequence: expected, fileSize: size, ending: ending)
            }
            if count == 0 { break }
        }
        if decoder.bufferedByteCount > 0 {
            let ending = try classify(offset: decoder.offset, reason: "record cut short (\(decoder.bufferedByteCount) bytes)", file: file, size: size, expected: expected)
            return Scan(header: header, endOffset: decoder.offset, nextSequence: expected, fileSize: size, ending: ending)
        }
        return Scan(header: header, endOffset: decoder.offset, nextSequence: expected, fileSize: size, ending: .clean)
    }

    private func isNewerFormat(_ error: JournalError) -> Bool {
        if case .newerFormat = error.kind { return true }
        return false
    }

    /// Zeros from `offset` to the end of the last segment are space the writer zeroed ahead
    /// (`JournalOptions.preallocationSize`): the segment simply ends there. Otherwise a bad
    /// record is a torn write only at the end of the last segment with no valid record after
    /// it; anything else is damage.
    private func classify(offset: UInt64, reason: String, file: FileDescriptor, size: UInt64, expected: UInt64) throws(JournalError) -> Ending {
        if isLast, try isZero(file, from: offset, size: size) {
            return .clean
        }
        if isLast, try !hasValidRecord(in: file, after: offset, size: size, expected: expected) {
            return .tornRecord(offset: offset, reason: reason)
        }
        return .damaged(JournalError(.corruptRecord, file: path, offset: offset))
    }

    /// Whether every byte from `offset` to the end of the file is zero.
    private func isZero(_ file: FileDescriptor, from offset: UInt64, size: UInt64) throws(JournalError) -> Bool {
        var position = offset
        while position < size {
            let bytes = try file.read(count: Int(min(size - position, 1 << 20)), at: position)
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 == 0 }) else { return false }
            position += UInt64(bytes.count)
        }
        return true
    }

    /// Whether any byte position after `offset` starts a record that passes its checksum and
    /// carries a plausible sequence number (at least `expected`, at most one per 16 bytes
    /// left), which would mean the bad record is damage with good data after it.
    /// - Complexity: O(bytes after offset); the sequence filter keeps checksums rare.
    private func hasValidRecord(in file: FileDescriptor, after offset: UInt64, size: UInt64, expected: UInt64) throws(JournalError) -> Bool {
        guard size > offset + 1 else { return false }
        let bytes = try file.read(count: Int(size - offset - 1), at: offset + 1)
        let headerSize = JournalFormat.recordHeaderSize
        guard bytes.count >= headerSize else { return false }
        let highest = expected + UInt64(bytes.count / headerSize)
        let limit = options.maxPayloadSize
        return bytes.withUnsafeBytes { raw in
            for start in 0...(raw.count - headerSize) {
                let sequence = raw.loadLittleEndian(at: start + 8, as: UInt64.self)
                guard sequence >= expected, sequence <= highest else { continue }
                let length = Int(raw.loadLittleEndian(at: start, as: UInt32.self))
                guard length <= limit, start + headerSize + length <= raw.count else { continue }
                let covered = UnsafeRawBufferPointer(rebasing: raw[(start + 8)..<(start + headerSize + length)])
                if CRC32C.update(0, covered) == raw.loadLittleEndian(at: start + 4, as: UInt32.self) { return true }
            }
            return false
        }
    }
}
