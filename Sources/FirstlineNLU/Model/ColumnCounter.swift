/// Counts how often each feature column occurs in one message, in order of first occurrence:
/// the scratch space of `Vectorizer.weigh`, laid over memory the caller provides (on the
/// stack for a message of ordinary length), so classifying a message allocates nothing here.
///
/// Term frequencies need repeated columns merged. Sorting the columns does that in
/// O(k log k); a small open-addressing table keyed by column (sized to twice the number of
/// occurrences, so probes stay short) does it in O(k) without reordering.
struct ColumnCounter {
    /// Distinct columns, in order of first occurrence (`count` of them).
    let columns: UnsafeMutablePointer<Int32>
    /// Per distinct column: its number of occurrences, then its weight once `Vectorizer`
    /// has weighed it.
    let values: UnsafeMutablePointer<Float>
    /// The number of distinct columns.
    private(set) var count = 0
    /// Slot → index into `columns` plus one; 0 is empty.
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int

    /// The number of table slots for at most `occurrences` occurrences: a power of two, at
    /// least twice as many.
    static func slotCount(occurrences: Int) -> Int {
        var size = 16
        while size < occurrences * 2 { size <<= 1 }
        return size
    }

    /// A counter over `columns` and `values` (room for every occurrence) and `slots`
    /// (`slotCount(occurrences:)` of them, cleared here).
    init(columns: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>, slots: UnsafeMutableBufferPointer<Int32>) {
        precondition(slots.count.nonzeroBitCount == 1, "the slot count must be a power of two")
        self.columns = columns
        self.values = values
        self.slots = slots.baseAddress!
        mask = slots.count - 1
        slots.initialize(repeating: 0)
    }

    /// Counts one occurrence of `column`. Every column must be counted before the table
    /// fills: callers size it by the number of occurrences.
    @inline(__always)
    mutating func add(_ column: Int32) {
        // Fibonacci hashing: the high half of the product spreads consecutive columns.
        var slot = Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: column)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 {
                slots[slot] = Int32(count + 1)
                columns[count] = column
                values[count] = 1
                count += 1
                return
            }
            if columns[entry - 1] == column {
                values[entry - 1] += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }
}
