/// The 64-bit hash that names every feature: FNV-1a over Unicode scalars, seeded per
/// feature family, then avalanched so the low bits spread well in hash tables.
///
/// With 64 bits, distinct n-grams of a bundle (a few hundred thousand) practically never
/// collide, so the model keeps a table of the hashes it saw instead of their strings.
public enum FeatureHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Seeds that keep the feature families apart.
    public enum Family: UInt64, Sendable {
        case word = 0x77
        case exactWord = 0x65
        case wordBigram = 0x62
        case characters = 0x63
    }

    /// Starts a hash for a family.
    @inline(__always)
    static func start(_ family: Family) -> UInt64 { (offsetBasis ^ family.rawValue) &* prime }

    /// Adds one scalar to a running hash.
    @inline(__always)
    static func add(_ hash: UInt64, _ value: UInt32) -> UInt64 { (hash ^ UInt64(value)) &* prime }

    /// Mixes the bits of a finished hash (the finaliser of SplitMix64).
    @inline(__always)
    static func finish(_ hash: UInt64) -> UInt64 {
        var z = hash
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of a whole string in a family.
    public static func of(_ text: String, family: Family) -> UInt64 {
        var hash = start(family)
        for scalar in text.unicodeScalars { hash = add(hash, scalar.value) }
        return finish(hash)
    }

    /// The hash of an ordered pair of hashes (word bigrams).
    @inline(__always)
    static func pair(_ first: UInt64, _ second: UInt64) -> UInt64 {
        finish((first &* 0x9E37_79B9_7F4A_7C15) ^ second ^ Family.wordBigram.rawValue)
    }
}
