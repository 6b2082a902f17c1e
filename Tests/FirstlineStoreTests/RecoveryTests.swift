import Foundation
import Testing
@testable import FirstlineStore

@Suite("Recovery: torn tails, damage, salvage, versions")
struct RecoveryTests {
    @Test("a missing directory is created and is a new, empty journal")
    func newJournal() async throws {
        let directory = TemporaryDirectory()
        let (journal, recovered) = try Journal.open(directory: directory.child("a/b"))
        #expect(recovered.records.isEmpty && recovered.snapshot == nil)
        #expect(recovered.report.lastSequence == 0 && recovered.report.droppedTail == nil)
        #expect(try await journal.append(Data("one".utf8)) == 1)
        journal.close()
        let (again, reread) = try Journal.open(directory: directory.child("a/b"))
        #expect(reread.records == [JournalRecord(sequence: 1, payload: Data("one".utf8))])
        #expect(try await again.append(Data("two".utf8)) == 2)
        again.close()
    }

    @Test("a journal open elsewhere is refused until it is closed")
    func locked() throws {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error?.kind == .locked)
        journal.close()
        let (again, _) = try Journal.open(directory: directory.path)
        again.close()
    }

    @Test("a torn last record of every possible length is cut off and reported")
    func tornTailsOfEveryLength() throws {
        let source = try Fixture.journal(3)
        let whole = Fixture.read(source.segments()[0])
        let start = Fixture.offset(ofRecord: 3)
        #expect(whole.count == Fixture.offset(ofRecord: 4))
        for cut in start..<whole.count {
            let directory = TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
            let segment = directory.child(JournalFileName.segment(1))
            Fixture.write(Array(whole[..<cut]), to: segment)
            let (journal, recovered) = try Journal.open(directory: directory.path)
            #expect(recovered.records.map(\.sequence) == [1, 2], "cut at \(cut)")
            if cut == start {
                #expect(recovered.report.droppedTail == nil)
            } else {
                let dropped = try #require(recovered.report.droppedTail, "cut at \(cut)")
                #expect(dropped.file == segment && dropped.offset == UInt64(start) && dropped.byteCount == UInt64(cut - start))
            }
            _ = try journal.append(contentsOf: [Fixture.payload(3)])
            journal.close()
            #expect(Fixture.read(segment) == whole, "cut at \(cut): the rewritten record is byte for byte the original")
        }
    }

    @Test("a last record failing its checksum with nothing after it is a torn write")
    func tornByChecksum() throws {
        let directory = try Fixture.journal(3)
        let segment = directory.segments()[0]
        Fixture.corrupt(segment, at: Fixture.offset(ofRecord: 3) + 20)
        let (journal, recovered) = try Journal.open(directory: directory.path)
        journal.close()
        #expect(recovered.records.count == 2)
        #expect(recovered.report.droppedTail?.offset == UInt64(Fixture.offset(ofRecord: 3)))
        #expect(recovered.report.droppedTail?.reason.contains("checksum") == true)
    }

    @Test("zeros after the last record (space zeroed ahead) end the segment without a report")
    func zeroTail() throws {
        let directory = try Fixture.journal(2)
        let segment = directory.segments()[0]
        Fixture.write(Fixture.read(segment) + [UInt8](repeating: 0, count: 4096), to: segment)
        let (journal, recovered) = try Journal.open(directory: directory.path)
        #expect(try journal.append(contentsOf: [Fixture.payload(3)]) == 3..<4)
        journal.close()
        #expect(recovered.records.count == 2 && recovered.report.droppedTail == nil)
        #expect(Fixture.read(segment).count == Fixture.offset(ofRecord: 4), "record 3 went right after record 2; close cut the zeros")
    }

    @Test("a torn record followed by zeros is cut off and reported")
    func tornThenZeros() throws {
        let directory = try Fixture.journal(3)
        let segment = directory.segments()[0]
        var bytes = Fixture.read(segment)
        let start = Fixture.offset(ofRecord: 3)
        for index in (start + 10)..<bytes.count { bytes[index] = 0 }
        Fixture.write(bytes + [UInt8](repeating: 0, count: 1000), to: segment)
        let (journal, recovered) = try Journal.open(directory: directory.path)
        journal.close()
        #expect(recovered.records.count == 2)
        #expect(recovered.report.droppedTail?.offset == UInt64(start))
    }

    @Test("a bad record in the middle stops start-up naming the file and byte offset")
    func corruptionInTheMiddle() throws {
        let directory = try Fixture.journal(5)
        let segment = directory.segments()[0]
        let offset = Fixture.offset(ofRecord: 3)
        Fixture.corrupt(segment, at: offset + 17)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error == JournalError(.corruptRecord, file: segment, offset: UInt64(offset)))
        #expect(error?.description.contains("\(segment) at byte \(offset)") == true)
        #expect(Fixture.read(segment).count == Fixture.offset(ofRecord: 6), "nothing was cut")
    }

    @Test("a damaged length field in the middle is not mistaken for a torn tail")
    func corruptLengthInTheMiddle() throws {
        let directory = try Fixture.journal(5)
        let segment = directory.segments()[0]
        let offset = Fixture.offset(ofRecord: 2)
        var bytes = Fixture.read(segment)
        bytes[offset + 2] = 0x01  // length 20 + 65536: runs past the end of the file
        Fixture.write(bytes, to: segment)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error == JournalError(.corruptRecord, file: segment, offset: UInt64(offset)))
    }

    @Test("damage at the end of a segment that is not the last is not a torn tail")
    func corruptionInEarlierSegment() throws {
        let directory = try Fixture.journal(20, options: JournalOptions(segmentSize: 200))
        let segments = directory.segments()
        #expect(segments.count > 2)
        let first = segments[0]
        let size = Fixture.read(first).count
        Fixture.corrupt(first, at: size - 1)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error == JournalError(.corruptRecord, file: first, offset: UInt64(size - 36)))
    }

    @Test("a sequence gap is damage at the record that breaks the run")
    func sequenceGap() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        var bytes = SegmentHeader(firstSequence: 1).encoded()
        for sequence in [1, 2, 4, 5] as [UInt64] {
            bytes += RecordEncoder.encode(JournalRecord(sequence: sequence, payload: Fixture.payload(Int(sequence))))
        }
        let segment = directory.child(JournalFileName.segment(1))
        Fixture.write(bytes, to: segment)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error == JournalError(.sequenceGap(expected: 3, found: 4), file: segment, offset: UInt64(Fixture.offset(ofRecord: 3))))
    }

    @Test("salvage keeps the records before the damage and moves the rest aside")
    func salvage() async throws {
        let directory = try Fixture.journal(5)
        let segment = directory.segments()[0]
        let offset = Fixture.offset(ofRecord: 3)
        let original = Fixture.read(segment)
        Fixture.corrupt(segment, at: offset + 17)
        let (journal, recovered) = try Journal.open(directory: directory.path, options: JournalOptions(salvage: true))
        #expect(recovered.records.map(\.sequence) == [1, 2])
        let salvage = try #require(recovered.report.salvage)
        #expect(salvage.damage == JournalError(.corruptRecord, file: segment, offset: UInt64(offset)))
        #expect(salvage.firstLostSequence == 3)
        #expect(salvage.movedAside == [segment + ".corrupt"])
        #expect(salvage.byteCount == UInt64(original.count - offset))
        #expect(Fixture.read(segment + ".corrupt").count == original.count - offset)
        #expect(try await journal.append(Data("after".utf8)) == 3)
        journal.close()
        let (again, reread) = try Journal.open(directory: directory.path)
        again.close()
        #expect(reread.records.map(\.sequence) == [1, 2, 3] && reread.report.salvage == nil)
    }

    @Test("salvage moves every later segment aside too")
    func salvageAcrossSegments() throws {
        let directory = try Fixture.journal(20, options: JournalOptions(segmentSize: 200))
        let segments = directory.segments()
        Fixture.corrupt(segments[1], at: JournalFormat.segmentHeaderSize + 20)
        let (journal, recovered) = try Journal.open(directory: directory.path, options: JournalOptions(segmentSize: 200, salvage: true))
        journal.close()
        let firstLost = try #require(recovered.report.salvage?.firstLostSequence)
        #expect(recovered.records.map(\.sequence) == Array(1..<firstLost))
        #expect(recovered.report.salvage?.movedAside == segments.dropFirst().map { $0 + ".corrupt" })
    }

    @Test("a segment from a newer format version asks for an upgrade")
    func newerVersion() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let segment = directory.child(JournalFileName.segment(1))
        Fixture.write(SegmentHeader(firstSequence: 1, version: 2).encoded(), to: segment)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        #expect(error?.kind == .newerFormat(found: 2, supported: 1))
        #expect(error?.file == segment)
        #expect(error?.description.contains("upgrade") == true)
        #expect(throws: JournalError.self) { try Journal.open(directory: directory.path, options: JournalOptions(salvage: true)) }
    }

    @Test("a file that is not a journal segment is refused")
    func wrongMagic() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        Fixture.write(Array("this is not a journal segment, only some text".utf8), to: directory.child(JournalFileName.segment(1)))
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path) }
        guard case .badHeader = error?.kind else { Issue.record("expected a bad header, got \(String(describing: error))"); return }
    }

    @Test("a last segment whose header never reached the disk is dropped")
    func tornHeader() throws {
        let directory = try Fixture.journal(20, options: JournalOptions(segmentSize: 200))
        let count = directory.segments().count
        let torn = directory.child(JournalFileName.segment(21))
        Fixture.write(Array(SegmentHeader(firstSequence: 21).encoded().prefix(10)), to: torn)
        let (journal, recovered) = try Journal.open(directory: directory.path, options: JournalOptions(segmentSize: 200))
        #expect(recovered.records.count == 20)
        #expect(recovered.report.droppedTail == DroppedTail(file: torn, offset: 0, byteCount: 10, reason: "segment header cut short"))
        #expect(try journal.append(contentsOf: [Fixture.payload(21)]) == 21..<22)
        journal.close()
        #expect(directory.segments().count == count + 1)
    }
}
