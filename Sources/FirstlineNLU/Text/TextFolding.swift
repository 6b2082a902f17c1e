import Foundation

/// Turns raw user text into the two comparable forms every other NLU step works on.
///
/// - `folded`: Unicode-normalised (NFKC) and case-folded with the locale's rules, so
///   Turkish and Azerbaijani map `İ`→`i` and `I`→`ı` while every other locale maps `I`→`i`.
/// - `stripped`: `folded` with diacritics removed (`ş`→`s`, `ə`→`e`, `ł`→`l`, `ı`→`i`,
///   `ё`→`е`), because people type "sifre", "cekim", "qeydiyyat" and Lithuanian without
///   `ą č ė`. Features are computed on this form so both spellings meet.
public enum TextFolding {
    /// Locales whose dotted and dotless I are separate letters.
    static let turkicLocales: Set<String> = ["tr", "az"]

    /// NFKC-normalises `text` and lower-cases it with the rules of `locale`.
    /// - Complexity: O(n) in the number of Unicode scalars; ASCII text takes a fast path.
    public static func fold(_ text: String, locale: String? = nil) -> String {
        let turkic = locale.map { turkicLocales.contains($0) } ?? false
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 { isASCII = false; break }
        if isASCII {
            var bytes = Array(text.utf8)
            for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
                if turkic && bytes[i] == 0x49 { continue }  // handled below
                bytes[i] |= 0x20
            }
            if turkic && bytes.contains(0x49) {
                return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "I", with: "ı")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return string(of: foldedScalars(text, locale: locale))
    }

    /// The String of scalar values made by this type's own functions (all valid scalars).
    private static func string(of scalars: [UInt32]) -> String {
        String(String.UnicodeScalarView(scalars.map { Unicode.Scalar($0)! }))
    }

    /// The scalars of `fold(text, locale:)`, without building a `String` (the classifier's
    /// and the training's path, `TokenForms`).
    /// - Complexity: O(n) in the number of Unicode scalars.
    static func foldedScalars(_ text: String, locale: String?) -> [UInt32] {
        let turkic = locale.map { turkicLocales.contains($0) } ?? false
        // NFKC only changes text with combining marks or compatibility characters; most
        // messages have neither, and Foundation's normaliser is the slowest step otherwise.
        let normalised = text.unicodeScalars.contains(where: needsNormalisation) ? text.precomposedStringWithCompatibilityMapping : text
        var out: [UInt32] = []
        out.reserveCapacity(normalised.utf8.count)
        let scalars = normalised.unicodeScalars.map(\.value)
        var index = 0
        while index < scalars.count {
            let value = scalars[index]
            index += 1
            switch value {
            case 0x49 where turkic:  // I
                out.append(0x131)  // ı
            case 0x130:  // İ
                out.append(0x69)  // i
                // "İ" written as I + combining dot above is already composed by NFKC; a stray
                // combining dot after i is dropped so "i̇" and "i" fold alike.
                if index < scalars.count, scalars[index] == 0x307 { index += 1 }
            case 0x41...0x5A:
                out.append(value | 0x20)
            case ..<0x80:
                out.append(value)
            default:
                let changes = value < ScalarClasses.limit
                    ? ScalarClasses.changesWhenLowercased(value) : Unicode.Scalar(value)!.properties.changesWhenLowercased
                if !changes {
                    out.append(value)
                } else {
                    for scalar in Unicode.Scalar(value)!.properties.lowercaseMapping.unicodeScalars { out.append(scalar.value) }
                }
            }
        }
        return out
    }

    /// Whether NFKC may change this scalar: combining marks, spacing and letter-like
    /// compatibility characters, fullwidth forms, ligatures, superscripts and fractions.
    static func needsNormalisation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0xA0 { return false }
        if value <= 0xBF { return true }  // NBSP, ª, ², ³, µ, ¹, º, ¼…
        return isCombiningMark(value) || (0x1F00...0x1FFF).contains(value) || (0x2000...0x2FFF).contains(value)
            || (0x3000...0x33FF).contains(value) || (0xFB00...0xFB4F).contains(value) || (0xFE00...0xFFEF).contains(value)
            || value >= 0x1D400 || (0x2B0...0x2FF).contains(value) || (0x1100...0x11FF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || value == 0x149 || value == 0x17F || (0x1C4...0x1CC).contains(value)
            || (0x1F1...0x1F3).contains(value) || (0x132...0x133).contains(value) || (0x13F...0x140).contains(value)
    }

    /// Removes diacritics from already folded text.
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func stripDiacritics(_ folded: String) -> String {
        var isASCII = true
        for byte in folded.utf8 where byte >= 0x80 { isASCII = false; break }
        if isASCII { return folded }
        return string(of: strippedScalars(folded.unicodeScalars.map(\.value)))
    }

    /// The scalars of `stripDiacritics` of the folded text whose scalars are `folded`.
    /// - Complexity: O(n) in the number of scalars.
    static func strippedScalars(_ folded: [UInt32]) -> [UInt32] {
        let table = DiacriticTable.shared
        var out: [UInt32] = []
        out.reserveCapacity(folded.count)
        for value in folded {
            if value < 0x80 {
                out.append(value)
            } else if let replacement = table.replacement(for: value) {
                out.append(contentsOf: replacement)
            } else if !isCombiningMark(value) {
                out.append(value)
            }
        }
        return out
    }

    /// Whether the scalar is a combining mark that only decorates the letter before it.
    static func isCombiningMark(_ value: UInt32) -> Bool {
        (0x300...0x36F).contains(value) || (0x1AB0...0x1AFF).contains(value)
            || (0x1DC0...0x1DFF).contains(value) || (0x20D0...0x20FF).contains(value)
            || (0xFE20...0xFE2F).contains(value)
    }
}

/// Precomputed diacritic-free replacements for the Latin and Cyrillic letters people type.
struct DiacriticTable: Sendable {
    static let shared = DiacriticTable()

    /// Replacements of the scalars below `end`, back to back: scalar `v`'s are
    /// `values[starts[v]..<starts[v + 1]]` (none when that is empty). A flat table: the
    /// lookup is two reads, no hashing, on every non-ASCII scalar of every message.
    private let starts: [Int32]
    private let values: [UInt32]
    private static let end: UInt32 = 0x2020

    private init() {
        // Letters that Unicode does not decompose but users replace all the same.
        var table: [UInt32: [Unicode.Scalar]] = [
            0x131: ["i"], 0x142: ["l"], 0x141: ["l"], 0xF8: ["o"], 0x111: ["d"], 0xDF: ["s", "s"],
            0x259: ["e"], 0x18F: ["e"], 0xE6: ["a", "e"], 0x153: ["o", "e"], 0x127: ["h"],
            0x2019: ["'"], 0x2018: ["'"], 0x201C: ["\""], 0x201D: ["\""],
            0x451: ["е"],  // ё → е
            0x439: ["и"],  // й → и
        ]
        let ranges: [ClosedRange<UInt32>] = [0xC0...0x24F, 0x1E00...0x1EFF]
        for range in ranges {
            for value in range where table[value] == nil {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                let base = decomposed.filter { !TextFolding.isCombiningMark($0.value) }
                if base.count >= 1, decomposed.count > base.count {
                    table[value] = Array(base)
                }
            }
        }
        precondition(table.keys.allSatisfy { $0 < Self.end }, "a replacement past the flat table")
        var starts: [Int32] = [0], values: [UInt32] = []
        for value in 0..<Self.end {
            values += (table[value] ?? []).map(\.value)
            starts.append(Int32(values.count))
        }
        self.starts = starts
        self.values = values
    }

    /// The scalars that replace `value`, or nil when it has no replacement.
    @inline(__always)
    func replacement(for value: UInt32) -> ArraySlice<UInt32>? {
        guard value < Self.end else { return nil }
        let from = Int(starts[Int(value)]), to = Int(starts[Int(value) + 1])
        return from < to ? values[from..<to] : nil
    }
}
