/// The names of the files in a journal directory, and what a name says.
enum JournalFileName: Hashable {
    /// `journal-<first sequence, 20 digits>.seg`.
    case segment(firstSequence: UInt64)
    /// `snapshot-<last included sequence, 20 digits>.snap`.
    case snapshot(sequence: UInt64)
    /// A `.tmp` file left by an interrupted snapshot write.
    case temporary
    /// Anything else (`.corrupt` files moved aside, files of other tools): left alone.
    case other

    /// Classifies a file name.
    init(_ name: String) {
        if name.hasSuffix(".tmp") {
            self = .temporary
        } else if let number = Self.number(in: name, prefix: "journal-", suffix: ".seg") {
            self = .segment(firstSequence: number)
        } else if let number = Self.number(in: name, prefix: "snapshot-", suffix: ".snap") {
            self = .snapshot(sequence: number)
        } else {
            self = .other
        }
    }

    /// The name of the segment starting at `firstSequence`.
    static func segment(_ firstSequence: UInt64) -> String { "journal-\(padded(firstSequence)).seg" }

    /// The name of the snapshot through `sequence`.
    static func snapshot(_ sequence: UInt64) -> String { "snapshot-\(padded(sequence)).snap" }

    private static func padded(_ number: UInt64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    private static func number(in name: String, prefix: String, suffix: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return UInt64(digits)
    }
}
