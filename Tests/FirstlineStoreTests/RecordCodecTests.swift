import Foundation
import Testing
@testable import FirstlineStore

@Suite("Record encoder and incremental decoder")
struct RecordCodecTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func records(_ count: Int, using generator: inout SeededGenerator) -> [JournalRecord] {
        (1...count).map { JournalRecord(sequence: UInt64($0), payload: Data(Fixture.bytes(Int.random(in: 0...300, using: &generator), using: &generator))) }
    }

    @Test("golden bytes: length, CRC-32C of sequence and payload, sequence, payload")
    func goldenRecords() {
        #expect(RecordEncoder.encode(JournalRecord(sequence: 1, payload: Data("hi".utf8))) == Self.hex("02000000de25772c01000000000000006869"))
        #expect(RecordEncoder.encode(JournalRecord(sequence: 2, payload: Data())) == Self.hex("00000000c448501e0200000000000000"))
    }

    @Test("golden bytes: segment header")
    func goldenHeader() throws {
        let bytes = SegmentHeader(firstSequence: 1).encoded()
        #expect(bytes == Self.hex("464c4a524e4c0d0a0100000000000000010000000000000033ea40f900000000"))
        #expect(try SegmentHeader.decode(bytes, file: "x") == SegmentHeader(firstSequence: 1))
    }

    @Test("fed one byte at a time: need more until each record's last byte, then the record")
    func byteByByte() throws {
        var generator = SeededGenerator(seed: 3)
        let records = Self.records(40, using: &generator)
        var stream: [UInt8] = []
        var ends: Set<Int> = []
        for record in records {
            stream += RecordEncoder.encode(record)
            ends.insert(stream.count)
        }
        var decoder = RecordDecoder(startingAt: 32)
        var decoded: [JournalRecord] = []
        for (index, byte) in stream.enumerated() {
            decoder.feed(CollectionOfOne(byte))
            let step = try decoder.next()
            if ends.contains(index + 1) {
                guard case .record(let record) = step else { Issue.record("no record after byte \(index)"); return }
                decoded.append(record)
                #expect(try decoder.next() == .needMore)
            } else {
                #expect(step == .needMore)
            }
        }
        #expect(decoded == records)
        #expect(decoder.offset == UInt64(32 + stream.count))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("fed in random batches, the same records come out", arguments: 1...20)
    func batches(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let records = Self.records(30, using: &generator)
        let stream = records.flatMap(RecordEncoder.encode)
        var decoder = RecordDecoder()
        var decoded: [JournalRecord] = []
        var position = 0
        while position < stream.count {
            let end = min(stream.count, position + Int.random(in: 1...700, using: &generator))
            decoder.feed(stream[position..<end])
            position = end
            while case .record(let record) = try decoder.next() { decoded.append(record) }
        }
        #expect(decoded == records)
    }

    @Test("a checksum mismatch throws at the record's offset and the decoder stays there")
    func checksumMismatch() throws {
        var stream = RecordEncoder.encode(JournalRecord(sequence: 1, payload: Data("first".utf8)))
        let second = stream.count
        stream += RecordEncoder.encode(JournalRecord(sequence: 2, payload: Data("second".utf8)))
        stream[second + 18] ^= 1
        var decoder = RecordDecoder(startingAt: 32)
        decoder.feed(stream)
        #expect(try decoder.next() == .record(JournalRecord(sequence: 1, payload: Data("first".utf8))))
        for _ in 0..<2 {
            #expect(throws: JournalError(.corruptRecord, offset: UInt64(32 + second))) { try decoder.next() }
        }
    }

    @Test("a length above the limit is damage, not a wait for more bytes")
    func lengthLimit() {
        var decoder = RecordDecoder(maxPayloadSize: 100)
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt32(101))
        bytes += [UInt8](repeating: 0, count: 12)
        decoder.feed(bytes)
        #expect(throws: JournalError(.corruptRecord, offset: 0)) { try decoder.next() }
    }
}
