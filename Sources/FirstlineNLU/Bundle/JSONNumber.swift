import Foundation

/// Reads numbers out of `JSONSerialization` results without mistaking `true`/`false` for
/// 1/0 (on Linux every JSON number and Boolean arrives as an `NSNumber`).
enum JSONNumber {
    /// The number, or nil for a Boolean or any other value.
    static func double(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// The number when it is whole, or nil.
    static func integer(_ value: Any?) -> Int? {
        guard let number = double(value), number.rounded() == number, abs(number) < 1e15 else { return nil }
        return Int(number)
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)).contains("Boolean") || String(cString: number.objCType) == "c"
    }
}
