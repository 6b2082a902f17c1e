/// Counts how often each feature column occurs in one message, in order of first occurrence:
/// the scratch space of `Vectorizer.weigh`, made once per message and reused for both views.
///
/// Term frequencies need repeated columns merged. Sorting the columns does that in
/// O(k log k); a small open-addressing table keyed by column (sized to twice the number of
/// occurrences, so probes stay short) does it in O(k) without reordering.
struct ColumnCounter {
    /// Distinct columns, in order of first occurrence.
    private(set) var columns: [Int32] = []
    /// Per distinct column: its number of occurrences, then its weight once `Vectorizer`
    /// has weighed it.
    var values: [Float] = []
    /// Slot → index into `columns` plus one; 0 is empty.
    private var slots: [Int32]
    private var mask: Int

    /// Scratch for at most `occurrences` feature occurrences.
    init(occurrences: Int) {
        var size = 16
        while size < occurrences * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        columns.reserveCapacity(occurrences)
        values.reserveCapacity(occurrences)
    }

    /// The number of distinct columns.
    var count: Int { columns.count }

    /// Counts one occurrence of `column`. Every column must be counted before the table
    /// fills: callers size it by the number of occurrences.
    @inline(__always)
    mutating func add(_ column: Int32) {
        let mask = self.mask
        // Fibonacci hashing: the high half of the product spreads consecutive columns.
        var slot = Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: column)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        let found: Int = slots.withUnsafeMutableBufferPointer { slots in
            while true {
                let entry = Int(slots[slot])
                if entry == 0 {
                    slots[slot] = Int32(columns.count + 1)
                    return -1
                }
                if columns[entry - 1] == column { return entry - 1 }
                slot = (slot + 1) & mask
            }
        }
        if found < 0 {
            columns.append(column)
            values.append(1)
        } else {
            values[found] += 1
        }
    }
}
