import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FirstlineStore

/// A child process appends under load and is killed with SIGKILL at random moments; after
/// each kill the journal must hold every acknowledged record, in order, and nothing that is
/// not a record the child tried to append.
///
/// SIGKILL loses what the process had not handed to the kernel, not what the kernel had not
/// yet written to the device, so this checks the writer's and recovery's logic (acknowledge
/// only after the write returned, torn tails, rotation mid-load), not the disk's honesty.
@Suite("Crash: SIGKILL while appending")
struct CrashTests {
    /// The child's executable, built beside the test bundle.
    static var childPath: String? {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        if folder.lastPathComponent == "MacOS" {  // inside an .xctest bundle on macOS
            folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let path = folder.appendingPathComponent("firstline-journal-child").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The child's payload for one append (the same function as in its `main.swift`).
    static func payload(round: Int, appender: Int, count: Int) -> Data {
        let header = "r\(round) a\(appender) c\(count) "
        let length = (round * 7919 + appender * 104_729 + count * 31) % 400
        let letter = Character(UnicodeScalar(UInt8(97 + (round + appender + count) % 26)))
        return Data((header + String(repeating: letter, count: length)).utf8)
    }

    /// Whether `payload` is one the child could have appended.
    static func isWellFormed(_ payload: Data) -> Bool {
        let text = String(decoding: payload, as: UTF8.self)
        let fields = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3,
              let round = Int(fields[0].dropFirst()), let appender = Int(fields[1].dropFirst()), let count = Int(fields[2].dropFirst())
        else { return false }
        return payload == Self.payload(round: round, appender: appender, count: count)
    }

    /// Complete lines from a pipe, blocking for more.
    struct LineReader {
        let handle: FileHandle
        var pending = Data()
        var isAtEnd = false

        mutating func next() -> String? {
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    return line
                }
                if isAtEnd { return nil }
                let chunk = handle.availableData
                if chunk.isEmpty { isAtEnd = true } else { pending += chunk }
            }
        }
    }

    @Test("every acknowledged record survives SIGKILL, in order, and nothing else appears", .timeLimit(.minutes(1)))
    func killWhileAppending() throws {
        let child = try #require(Self.childPath, "firstline-journal-child is built next to the test bundle")
        let directory = TemporaryDirectory("crash")
        var generator = SeededGenerator(seed: 0xC0FFEE)
        var acknowledged: [UInt64: Data] = [:]
        var rounds = 0
        var droppedTails = 0
        let started = ContinuousClock.now
        for round in 0..<30 where ContinuousClock.now - started < .seconds(40) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: child)
            process.arguments = [directory.path, String(round), "8"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var reader = LineReader(handle: output.fileHandleForReading)
            // A few rounds kill the child while it is still opening the journal.
            let killEarly = round % 10 == 9
            if !killEarly {
                #expect(reader.next() == "ready", "round \(round): the child opened the journal")
                let target = Int.random(in: 0...300, using: &generator)
                var seen = 0
                while seen < target, let line = reader.next() {
                    try record(line, into: &acknowledged)
                    seen += 1
                }
            }
            kill(process.processIdentifier, SIGKILL)
            while let line = reader.next() {
                if line != "ready" { try record(line, into: &acknowledged) }
            }
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the child ran until killed")

            let (journal, recovered) = try Journal.open(directory: directory.path, options: JournalOptions(segmentSize: 64 << 10))
            journal.close()
            if recovered.report.droppedTail != nil { droppedTails += 1 }
            let sequences = recovered.records.map(\.sequence)
            #expect(sequences == Array(1..<(1 + UInt64(sequences.count))), "round \(round): a consecutive run from 1")
            let highest = UInt64(sequences.count)
            for (sequence, payload) in acknowledged {
                #expect(sequence <= highest, "round \(round): acknowledged record \(sequence) is missing")
                if sequence <= highest { #expect(recovered.records[Int(sequence - 1)].payload == payload) }
            }
            #expect(recovered.records.allSatisfy { Self.isWellFormed($0.payload) }, "round \(round): only records the child wrote")
            rounds += 1
        }
        #expect(rounds >= 10)
        #expect(acknowledged.count > 100)
        _ = droppedTails  // how often a kill landed mid-write: informative only
    }

    private func record(_ line: String, into acknowledged: inout [UInt64: Data]) throws {
        let fields = line.split(separator: " ").compactMap { Int($0) }
        try #require(fields.count == 4, "child line \"\(line)\"")
        let sequence = UInt64(fields[0])
        #expect(acknowledged[sequence] == nil, "sequence \(sequence) acknowledged twice")
        acknowledged[sequence] = Self.payload(round: fields[1], appender: fields[2], count: fields[3])
    }
}
