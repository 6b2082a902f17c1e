import Foundation
import Testing
@testable import FirstlineStore

@Suite("Snapshots and compaction")
struct SnapshotTests {
    /// 40 records of 36 bytes in 200-byte segments (4 records each: 1-4, 5-8, ...).
    static let options = JournalOptions(segmentSize: 200, retainedSnapshots: 1)

    @Test("recovery starts at the newest snapshot and replays only later records")
    func snapshotThenRecords() throws {
        let directory = try Fixture.journal(10)
        let (journal, _) = try Journal.open(directory: directory.path)
        try journal.writeSnapshot(Data("state@6".utf8), upTo: 6)
        journal.close()
        let (again, recovered) = try Journal.open(directory: directory.path)
        again.close()
        #expect(recovered.snapshot == JournalSnapshot(sequence: 6, data: Data("state@6".utf8)))
        #expect(recovered.records.map(\.sequence) == [7, 8, 9, 10])
        #expect(recovered.report.snapshotSequence == 6 && recovered.report.replayedCount == 4)
        #expect(!directory.names().contains { $0.hasSuffix(".tmp") })
    }

    @Test("the streaming open folds records without collecting them")
    func folding() throws {
        let directory = try Fixture.journal(10)
        let (journal, _) = try Journal.open(directory: directory.path)
        try journal.writeSnapshot(Data("4".utf8), upTo: 4)
        journal.close()
        let (again, sum, report) = try Journal.open(
            directory: directory.path,
            initial: { snapshot in UInt64(String(decoding: snapshot?.data ?? Data(), as: UTF8.self)) ?? 0 },
            fold: { sum, record in sum += record.sequence })
        again.close()
        #expect(sum == 4 + (5...10).reduce(0, +))
        #expect(report.lastSequence == 10)
    }

    @Test("segments wholly covered by the snapshot are deleted, the rest replay")
    func compaction() async throws {
        let directory = try Fixture.journal(40, options: Self.options)
        #expect(directory.segments().count == 10)
        let (journal, _) = try Journal.open(directory: directory.path, options: Self.options)
        try journal.writeSnapshot(Data("s".utf8), upTo: 10)
        // 1-4 and 5-8 are covered; 9-12 still holds 11 and 12.
        #expect(directory.segments().map { ($0 as NSString).lastPathComponent }.first == JournalFileName.segment(9))
        #expect(directory.segments().count == 8)
        #expect(try await journal.append(Data("41".utf8)) == 41)
        journal.close()
        let (again, recovered) = try Journal.open(directory: directory.path, options: Self.options)
        again.close()
        #expect(recovered.records.map(\.sequence) == Array(11...41))
    }

    @Test("the active segment is kept even when the snapshot covers all of it")
    func activeSegmentKept() async throws {
        let directory = try Fixture.journal(40, options: Self.options)
        let (journal, _) = try Journal.open(directory: directory.path, options: Self.options)
        try journal.writeSnapshot(Data("all".utf8), upTo: 40)
        #expect(directory.segments().count == 1)
        #expect(try await journal.append(Data("41".utf8)) == 41)
        journal.close()
        let (again, recovered) = try Journal.open(directory: directory.path, options: Self.options)
        again.close()
        #expect(recovered.snapshot?.sequence == 40 && recovered.records.map(\.sequence) == [41])
    }

    @Test("with two snapshots kept, compaction stops at the older one")
    func retention() throws {
        var options = Self.options
        options.retainedSnapshots = 2
        let directory = try Fixture.journal(40, options: options)
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        try journal.writeSnapshot(Data("a".utf8), upTo: 10)
        #expect(directory.segments().count == 10, "one snapshot: full replay must stay possible")
        try journal.writeSnapshot(Data("b".utf8), upTo: 20)
        #expect(directory.segments().count == 8, "compacted through the older snapshot, 10")
        try journal.writeSnapshot(Data("c".utf8), upTo: 30)
        #expect(directory.segments().count == 5, "compacted through 20: segment 17-20 is wholly covered")
        #expect(directory.names().filter { $0.hasSuffix(".snap") } == [JournalFileName.snapshot(20), JournalFileName.snapshot(30)])
        journal.close()
    }

    @Test("a damaged newest snapshot falls back to the previous one")
    func fallbackToPrevious() throws {
        var options = Self.options
        options.retainedSnapshots = 2
        let directory = try Fixture.journal(40, options: options)
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        try journal.writeSnapshot(Data("a".utf8), upTo: 10)
        try journal.writeSnapshot(Data("b".utf8), upTo: 20)
        journal.close()
        let newest = directory.child(JournalFileName.snapshot(20))
        Fixture.corrupt(newest, at: 40)
        let (again, recovered) = try Journal.open(directory: directory.path, options: options)
        again.close()
        #expect(recovered.snapshot == JournalSnapshot(sequence: 10, data: Data("a".utf8)))
        #expect(recovered.records.map(\.sequence) == Array(11...40))
        #expect(recovered.report.discardedSnapshots == [newest])
        #expect(directory.names().contains(JournalFileName.snapshot(20) + ".corrupt"))
    }

    @Test("a damaged only snapshot falls back to a full replay")
    func fallbackToFullReplay() throws {
        let directory = try Fixture.journal(10)
        let (journal, _) = try Journal.open(directory: directory.path)
        try journal.writeSnapshot(Data("a".utf8), upTo: 5)
        journal.close()
        let snapshot = directory.child(JournalFileName.snapshot(5))
        Fixture.write(Array(Fixture.read(snapshot).prefix(30)), to: snapshot)
        let (again, recovered) = try Journal.open(directory: directory.path)
        again.close()
        #expect(recovered.snapshot == nil && recovered.records.count == 10)
    }

    @Test("a damaged snapshot whose records were compacted away is an error naming it")
    func fallbackImpossible() throws {
        let directory = try Fixture.journal(40, options: Self.options)
        let (journal, _) = try Journal.open(directory: directory.path, options: Self.options)
        try journal.writeSnapshot(Data("a".utf8), upTo: 20)
        journal.close()
        let snapshot = directory.child(JournalFileName.snapshot(20))
        Fixture.corrupt(snapshot, at: 40)
        let error = #expect(throws: JournalError.self) { try Journal.open(directory: directory.path, options: Self.options) }
        #expect(error == JournalError(.missingRecords(from: 1, through: 20), file: snapshot))
    }

    @Test("a snapshot past the durable records, or older than the newest, is refused")
    func refusedSnapshots() throws {
        let directory = try Fixture.journal(5)
        let (journal, _) = try Journal.open(directory: directory.path)
        #expect(throws: JournalError.self) { try journal.writeSnapshot(Data(), upTo: 6) }
        try journal.writeSnapshot(Data(), upTo: 4)
        #expect(throws: JournalError.self) { try journal.writeSnapshot(Data(), upTo: 3) }
        journal.close()
    }

    @Test("a temporary file left by an interrupted snapshot write is removed")
    func leftoverTemporary() throws {
        let directory = try Fixture.journal(3)
        Fixture.write([1, 2, 3], to: directory.child(JournalFileName.snapshot(3) + ".tmp"))
        let (journal, recovered) = try Journal.open(directory: directory.path)
        journal.close()
        #expect(recovered.snapshot == nil && recovered.records.count == 3)
        #expect(!directory.names().contains { $0.hasSuffix(".tmp") })
    }

    @Test("snapshot golden layout and checksum")
    func snapshotFormat() throws {
        let snapshot = JournalSnapshot(sequence: 7, data: Data("abc".utf8))
        let bytes = snapshot.encoded()
        #expect(bytes.count == 43 && Array(bytes[0..<8]) == Array("FLSNAP\r\n".utf8))
        #expect(try JournalSnapshot.decode(bytes, file: "s") == snapshot)
        for index in 8..<bytes.count where !(36..<40).contains(index) {
            var damaged = bytes
            damaged[index] ^= 1
            #expect(throws: JournalError.self) { try JournalSnapshot.decode(damaged, file: "s") }
        }
    }
}
