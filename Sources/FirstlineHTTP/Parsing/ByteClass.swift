/// Character classes of RFC 9110 §5.6 over bytes, as lookup tables.
enum ByteClass {
    /// tchar: `!#$%&'*+-.^_`|~`, digits and letters.
    static let token: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(UInt8(byte))
        }
    }

    /// Bytes allowed in a field value: VCHAR, SP, HTAB and obs-text (≥ 0x80, later checked as UTF-8).
    static let fieldValue: [Bool] = (0..<256).map { byte in
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// Bytes allowed in a request-target: visible ASCII.
    static let target: [Bool] = (0..<256).map { byte in byte > 0x20 && byte < 0x7F }

    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    /// Whether `byte` is SP or HTAB (OWS).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// ASCII lower-case.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether `bytes` equals the lower-case ASCII `lowercase`, ignoring case.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != expected[index] {
            return false
        }
        return true
    }
}
