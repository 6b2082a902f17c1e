/// Random secrets and their comparison: every token Firstline hands out is 128 bits from the
/// system's cryptographic generator (`getrandom` behind `SystemRandomNumberGenerator`), shown
/// as 32 hex digits, and compared in constant time.
public enum SecretToken {
    /// `byteCount` random bytes.
    public static func randomBytes(_ byteCount: Int = 16) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A new 128-bit token as 32 hex digits.
    public static func generate() -> String { Hex.encode(randomBytes(16)) }

    /// Whether two byte strings are equal, taking the same time wherever they differ (the
    /// length is not secret: tokens have a fixed length).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// The stored form of a token: its SHA-256, hex.
    public static func storedHash(of token: String) -> String { SHA256.hash(Array(token.utf8)).hex }
}
