/// Training examples as compressed sparse rows, with the class of each row.
struct TrainingMatrix: Sendable {
    var rowStarts: [Int] = [0]
    var columns: [Int32] = []
    var values: [Float] = []
    var labels: [Int32] = []
    /// Squared norm of each row, plus 1 for the bias feature.
    var squaredNorms: [Float] = []
    let columnCount: Int

    init(vectors: [SparseVector], labels: [Int32], columnCount: Int) {
        self.columnCount = columnCount
        self.labels = labels
        for vector in vectors {
            columns.append(contentsOf: vector.columns)
            values.append(contentsOf: vector.values)
            rowStarts.append(columns.count)
            var norm: Float = 1
            for value in vector.values { norm += value * value }
            squaredNorms.append(norm)
        }
    }

    var rowCount: Int { labels.count }
}

/// A small deterministic pseudo-random generator (SplitMix64, Steele, Lea, Flood 2014).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return FeatureHash.finish(state)
    }
}
