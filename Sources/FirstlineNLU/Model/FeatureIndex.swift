/// Maps feature hashes to dense column numbers: an open-addressing table with linear
/// probing, built once when a model is trained and read-only afterwards.
///
/// It is the model's vocabulary. Hashes never seen in training have no column, so they
/// cost one probe and are dropped.
public struct FeatureIndex: Sendable {
    private var keys: [UInt64]
    private var columns: [Int32]
    private var mask: Int
    /// The number of columns (distinct features).
    public private(set) var count: Int = 0

    /// An empty index with room for about `capacity` features before it grows.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        columns = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The column of `hash`, or nil when the feature was never seen.
    /// - Complexity: O(1) expected.
    @inline(__always)
    public func column(of hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let column = columns[slot]
            if column < 0 { return nil }
            if keys[slot] == hash { return column }
            slot = (slot + 1) & mask
        }
    }

    /// The column of `hash`, adding a new one when it is not there yet.
    /// - Complexity: O(1) amortised.
    public mutating func insert(_ hash: UInt64) -> Int32 {
        if (count + 1) * 2 > keys.count { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let column = columns[slot]
            if column < 0 {
                keys[slot] = hash
                columns[slot] = Int32(count)
                count += 1
                return Int32(count - 1)
            }
            if keys[slot] == hash { return column }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldColumns = columns
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        columns = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for slot in oldKeys.indices where oldColumns[slot] >= 0 {
            var target = Int(truncatingIfNeeded: oldKeys[slot]) & mask
            while columns[target] >= 0 { target = (target + 1) & mask }
            keys[target] = oldKeys[slot]
            columns[target] = oldColumns[slot]
        }
    }
}
