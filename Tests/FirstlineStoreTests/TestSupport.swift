import Foundation
@testable import FirstlineStore

/// A fresh directory under the system's temporary folder, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "journal") {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("firstline-store-tests-\(label)-\(UUID().uuidString)").path
    }

    /// A path inside it (not created).
    func child(_ name: String) -> String { path + "/" + name }

    /// The names in it, sorted.
    func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// The segment files, oldest first.
    func segments() -> [String] { names().filter { $0.hasSuffix(".seg") }.map(child) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A deterministic random number generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fixture {
    /// A recognisable payload for record `index`.
    static func payload(_ index: Int, size: Int = 20) -> Data {
        let head = Array("record-\(index)-".utf8)
        return Data((head + [UInt8](repeating: UInt8(65 + index % 26), count: max(0, size - head.count))).prefix(max(size, head.count)))
    }

    /// Random bytes.
    static func bytes(_ count: Int, using generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func read(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// Flips one bit of the byte at `offset` in the file.
    static func corrupt(_ path: String, at offset: Int) {
        var bytes = read(path)
        bytes[offset] ^= 0x40
        write(bytes, to: path)
    }

    /// A journal with `count` records appended and closed; returns the directory.
    static func journal(_ count: Int, options: JournalOptions = JournalOptions(), size: Int = 20) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let (journal, _) = try Journal.open(directory: directory.path, options: options)
        _ = try journal.append(contentsOf: (1...count).map { payload($0, size: size) })
        journal.close()
        return directory
    }

    /// The byte offset of record `sequence` in a single-segment journal of fixed-size records.
    static func offset(ofRecord sequence: Int, size: Int = 20) -> Int {
        JournalFormat.segmentHeaderSize + (sequence - 1) * (JournalFormat.recordHeaderSize + size)
    }
}
