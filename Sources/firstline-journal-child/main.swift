// The crash test's child: opens the journal in the directory given, appends from several
// concurrent tasks until it is killed, and writes one line "sequence round appender count" to
// standard output after each append returns (that is, once the record is durable). The test
// regenerates the payload from the last three numbers with the same `payload` function.
//
// usage: firstline-journal-child DIRECTORY ROUND [APPENDERS]
import FirstlineStore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3, let round = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: firstline-journal-child DIRECTORY ROUND [APPENDERS]\n".utf8))
    exit(64)
}
let appenders = arguments.count > 3 ? Int(arguments[3]) ?? 8 : 8
let options = JournalOptions(segmentSize: 64 << 10)

/// The payload for one append: its own coordinates, then filler of a length and letter they
/// determine, so the parent can tell a real record from garbage.
func payload(round: Int, appender: Int, count: Int) -> Data {
    let header = "r\(round) a\(appender) c\(count) "
    let length = (round * 7919 + appender * 104_729 + count * 31) % 400
    let letter = Character(UnicodeScalar(UInt8(97 + (round + appender + count) % 26)))
    return Data((header + String(repeating: letter, count: length)).utf8)
}

do {
    let (journal, _) = try Journal.open(directory: arguments[1], options: options)
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for appender in 0..<appenders {
            group.addTask {
                var count = 0
                while true {
                    let sequence = try await journal.append(payload(round: round, appender: appender, count: count))
                    // One write of a short line to a pipe is atomic, so lines never interleave.
                    FileHandle.standardOutput.write(Data("\(sequence) \(round) \(appender) \(count)\n".utf8))
                    count += 1
                }
            }
        }
        try await group.waitForAll()
    }
} catch {
    FileHandle.standardError.write(Data("firstline-journal-child: \(error)\n".utf8))
    exit(1)
}
