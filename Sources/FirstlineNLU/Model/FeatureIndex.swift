/// Maps feature hashes to dense column numbers: an open-addressing table with linear
/// probing, built once when a model is trained and read-only afterwards.
///
/// It is the model's vocabulary. Hashes never seen in training have no column, so they
/// cost one probe and are dropped. Each slot keeps its hash and column side by side (16
/// bytes, four to a cache line), so a lookup touches one cache line where separate key and
/// column arrays would touch two — with a vocabulary of megabytes, that miss is most of
/// the cost of a lookup.
public struct FeatureIndex: Sendable {
    /// One slot: a hash and its column, or column -1 when empty.
    @usableFromInline
    struct Slot: Sendable, BitwiseCopyable {
        @usableFromInline var key: UInt64
        @usableFromInline var column: Int32
        /// The slot's last four bytes, named so they are always zero: `TrainedState` saves
        /// slots as raw bytes, and unnamed padding would carry whatever the heap held there
        /// (a model trained twice was saved differently, with stray bytes of memory in it).
        @usableFromInline var reserved: Int32 = 0

        @usableFromInline init(key: UInt64, column: Int32) {
            self.key = key
            self.column = column
        }
    }

    private(set) var slots: [Slot]
    private(set) var mask: Int
    /// The number of columns (distinct features).
    public private(set) var count: Int = 0

    /// An index as saved by `TrainedState` (the slots of a power-of-two table).
    init(restoring slots: [Slot], count: Int) throws(TrainedStateError) {
        guard slots.count >= 16, slots.count & (slots.count - 1) == 0, (0...slots.count).contains(count) else {
            throw TrainedStateError("a vocabulary table has \(slots.count) slots for \(count) columns")
        }
        self.slots = slots
        mask = slots.count - 1
        self.count = count
    }

    /// An empty index with room for about `capacity` features before it grows.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(key: 0, column: -1), count: size)
        mask = size - 1
    }

    /// The column of `hash`, or nil when the feature was never seen.
    /// - Complexity: O(1) expected.
    @inline(__always)
    public func column(of hash: UInt64) -> Int32? {
        let column = slots.withUnsafeBufferPointer { Self.probe($0.baseAddress!, mask, hash) }
        return column < 0 ? nil : column
    }

    /// Calls `body` with a lookup function valid for the duration of the call: the column of a
    /// hash or -1, without the bounds and uniqueness checks of `column(of:)` (hot loops).
    @inline(__always)
    func withLookup<R>(_ body: ((UInt64) -> Int32) throws -> R) rethrows -> R {
        let mask = self.mask
        return try slots.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            return try body { Self.probe(base, mask, $0) }
        }
    }

    @inline(__always)
    private static func probe(_ slots: UnsafePointer<Slot>, _ mask: Int, _ hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry.column < 0 || entry.key == hash { return entry.column }
            slot = (slot + 1) & mask
        }
    }

    /// The column of `hash`, adding a new one when it is not there yet.
    /// - Complexity: O(1) amortised.
    public mutating func insert(_ hash: UInt64) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry.column < 0 {
                slots[slot] = Slot(key: hash, column: Int32(count))
                count += 1
                return Int32(count - 1)
            }
            if entry.key == hash { return entry.column }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, column: -1), count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry.column >= 0 {
            var target = Int(truncatingIfNeeded: entry.key) & mask
            while slots[target].column >= 0 { target = (target + 1) & mask }
            slots[target] = entry
        }
    }
}
