import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FirstlineStore

@Suite("Writer: group commit, rotation, failures")
struct WriterTests {
    @Test("concurrent appends get distinct consecutive numbers, and each number holds its own payload")
    func concurrentAppends() async throws {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path)
        let tasks = 16, perTask = 40
        let results = try await withThrowingTaskGroup(of: [(UInt64, Data)].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var mine: [(UInt64, Data)] = []
                    for index in 0..<perTask {
                        let payload = Data("task \(task) append \(index)".utf8)
                        let sequence = try await journal.append(payload)
                        if let previous = mine.last { #expect(sequence > previous.0) }
                        mine.append((sequence, payload))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(journal.lastDurableSequence == UInt64(tasks * perTask))
        journal.close()
        #expect(results.map(\.0).sorted() == Array(1...UInt64(tasks * perTask)))
        let (again, recovered) = try Journal.open(directory: directory.path)
        again.close()
        let bySequence = Dictionary(uniqueKeysWithValues: results)
        #expect(recovered.records.map(\.sequence) == Array(1...UInt64(tasks * perTask)))
        for record in recovered.records { #expect(bySequence[record.sequence] == record.payload) }
    }

    @Test("a synchronous batch is one group with consecutive numbers")
    func synchronousBatch() throws {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path)
        #expect(try journal.append(contentsOf: (1...10).map { Fixture.payload($0) }) == 1..<11)
        #expect(try journal.append(contentsOf: []) == 11..<11)
        #expect(try journal.append(contentsOf: [Fixture.payload(11)]) == 11..<12)
        journal.close()
        #expect(Fixture.read(directory.segments()[0]).count == Fixture.offset(ofRecord: 12))
    }

    @Test("segments rotate at the configured size, named by their first record")
    func rotation() throws {
        let options = JournalOptions(segmentSize: 1024)
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        for start in stride(from: 1, through: 100, by: 10) {
            _ = try journal.append(contentsOf: (start..<(start + 10)).map { Fixture.payload($0, size: 100) })
        }
        journal.close()
        let segments = directory.segments()
        #expect(segments.count == 13)  // 8 records of 116 bytes fit after the 32-byte header
        var expectedFirst: UInt64 = 1
        for segment in segments {
            let bytes = Fixture.read(segment)
            #expect(bytes.count <= 1024)
            let header = try SegmentHeader.decode(bytes, file: segment)
            #expect(header.firstSequence == expectedFirst && segment.hasSuffix(JournalFileName.segment(expectedFirst)))
            expectedFirst += UInt64((bytes.count - 32) / 116)
        }
        let (again, recovered) = try Journal.open(directory: directory.path, options: options)
        again.close()
        #expect(recovered.records.map(\.payload) == (1...100).map { Fixture.payload($0, size: 100) })
        #expect(recovered.report.segmentCount == 13)
    }

    @Test("the active segment is zeroed ahead; a crash leaves zeros that recovery reads as its end")
    func preallocation() throws {
        var options = JournalOptions(segmentSize: 1 << 20)
        options.preallocationSize = 64 << 10
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        _ = try journal.append(contentsOf: (1...10).map { Fixture.payload($0) })
        let segment = directory.segments()[0]
        let live = Fixture.read(segment)
        #expect(live.count == Fixture.offset(ofRecord: 11) + (64 << 10))
        #expect(live[Fixture.offset(ofRecord: 11)...].allSatisfy { $0 == 0 })

        // What a crash leaves: the file as it is while the journal is open.
        let crashed = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: crashed.path, withIntermediateDirectories: true)
        let copy = crashed.child((segment as NSString).lastPathComponent)
        Fixture.write(live, to: copy)
        let (reopened, recovered) = try Journal.open(directory: crashed.path, options: options)
        #expect(recovered.records.count == 10 && recovered.report.droppedTail == nil)
        #expect(try reopened.append(contentsOf: [Fixture.payload(11)]) == 11..<12)
        reopened.close()
        #expect(Fixture.read(copy).count == Fixture.offset(ofRecord: 12))

        journal.close()
        #expect(Fixture.read(segment).count == Fixture.offset(ofRecord: 11), "close cuts the zeros")
    }

    @Test("a record larger than a segment gets a segment of its own")
    func oversizedRecord() throws {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path, options: JournalOptions(segmentSize: 100))
        _ = try journal.append(contentsOf: [Fixture.payload(1, size: 10), Fixture.payload(2, size: 500), Fixture.payload(3, size: 10)])
        journal.close()
        #expect(directory.segments().map { Fixture.read($0).count } == [32 + 26, 32 + 516, 32 + 26])
    }

    @Test("a full disk fails the waiting appends and every later one", arguments: [("pwrite", ENOSPC), ("fdatasync", EIO)])
    func writeFailure(call: String, code: Int32) async throws {
        let directory = TemporaryDirectory()
        var options = JournalOptions()
        let faults = FaultInjector()
        options.faults = faults
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        #expect(try await journal.append(Data("fine".utf8)) == 1)
        faults.fail(call, with: code)
        let first = await #expect(throws: JournalError.self) { try await journal.append(Data("lost".utf8)) }
        #expect(first?.kind == .systemCall(call) && first?.errno == code)
        let later = await #expect(throws: JournalError.self) { try await journal.append(Data("refused".utf8)) }
        guard case .failed = later?.kind else { Issue.record("expected .failed, got \(String(describing: later))"); return }
        #expect(later?.errno == code)
        #expect(throws: JournalError.self) { try journal.append(contentsOf: [Data("refused".utf8)]) }
        #expect(journal.lastDurableSequence == 1)
        journal.close()
    }

    @Test("after close, appends are refused")
    func closed() async throws {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path)
        journal.close()
        journal.close()
        let error = await #expect(throws: JournalError.self) { try await journal.append(Data("late".utf8)) }
        #expect(error?.kind == .closed)
    }

    @Test("a payload above the limit is refused before it is queued")
    func tooLarge() async throws {
        let directory = TemporaryDirectory()
        var options = JournalOptions()
        options.maxPayloadSize = 10
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        let error = await #expect(throws: JournalError.self) { try await journal.append(Data(count: 11)) }
        #expect(error?.kind == .recordTooLarge(length: 11, limit: 10))
        #expect(try await journal.append(Data(count: 10)) == 1)
        journal.close()
    }
}
