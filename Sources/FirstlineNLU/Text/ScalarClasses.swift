/// The Unicode properties the tokenizer and the folding ask of every scalar, looked up once
/// for U+0080–U+07FF (Latin-1, Latin Extended, IPA, Greek, Cyrillic — the bundle's letters
/// beyond ASCII — and Armenian, Hebrew, Arabic, Syriac, Thaana, NKo) from the standard
/// library's own answers. The standard library searches its tables
/// on each question, which was a sixth of loading the bundle; above U+07FF the callers still
/// ask it.
enum ScalarClasses {
    /// The first scalar not in the table.
    static let limit: UInt32 = 0x800

    private static let alphabetic: UInt8 = 1, decimal: UInt8 = 2, lowercaseChanges: UInt8 = 4

    /// Per scalar below `limit`: its flags.
    private static let flags: [UInt8] = (0..<limit).map { value in
        guard let properties = Unicode.Scalar(value)?.properties else { return 0 }
        return (properties.isAlphabetic ? alphabetic : 0) | (properties.numericType == .decimal ? decimal : 0)
            | (properties.changesWhenLowercased ? lowercaseChanges : 0)
    }

    /// `Unicode.Scalar(value).properties.isAlphabetic`, for `value < limit`.
    @inline(__always)
    static func isAlphabetic(_ value: UInt32) -> Bool { flags[Int(value)] & alphabetic != 0 }

    /// `Unicode.Scalar(value).properties.numericType == .decimal`, for `value < limit`.
    @inline(__always)
    static func isDecimal(_ value: UInt32) -> Bool { flags[Int(value)] & decimal != 0 }

    /// `Unicode.Scalar(value).properties.changesWhenLowercased`, for `value < limit`.
    @inline(__always)
    static func changesWhenLowercased(_ value: UInt32) -> Bool { flags[Int(value)] & lowercaseChanges != 0 }
}
