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
