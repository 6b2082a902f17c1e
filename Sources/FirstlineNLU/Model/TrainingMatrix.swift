/// Training examples as compressed sparse rows, with the class of each row.
struct TrainingMatrix: Sendable {
    var rowStarts: [Int] = [0]
    var columns: [Int32] = []
    var values: [Float] = []
    var labels: [Int32] = []
    /// Squared norm of each row, plus 1 for the bias feature.
    var squaredNorms: [Float] = []
    /// A group per row, numbered from 0 (the examples' languages), or empty: rows of one
    /// group share most of their columns, which the machines' trainer visits together.
    var groups: [Int32] = []
    let columnCount: Int

    init(vectors: [SparseVector], labels: [Int32], groups: [Int32] = [], columnCount: Int) {
        self.columnCount = columnCount
        self.labels = labels
        self.groups = groups
        let entries = vectors.reduce(0) { $0 + $1.columns.count }
        columns.reserveCapacity(entries)
        values.reserveCapacity(entries)
        rowStarts.reserveCapacity(vectors.count + 1)
        squaredNorms.reserveCapacity(vectors.count)
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

    /// The matrix without the entries of columns that occur in fewer than
    /// `minimumDocumentFrequency` rows, each view (word columns `0..<wordColumns`, then
    /// character columns) L2-normalised again: each example as it would look to a model
    /// whose vocabulary lacked its rarest n-grams, as new messages with such n-grams do.
    func pruned(minimumDocumentFrequency: Int, wordColumns: Int) -> TrainingMatrix {
        var frequency = [Int32](repeating: 0, count: columnCount)
        for column in columns { frequency[Int(column)] += 1 }
        var result = TrainingMatrix(vectors: [], labels: labels, groups: groups, columnCount: columnCount)
        result.columns.reserveCapacity(columns.count)
        result.values.reserveCapacity(values.count)
        let minimum = Int32(minimumDocumentFrequency)
        for row in 0..<rowCount {
            let start = result.columns.count
            var wordNorm: Float = 0, characterNorm: Float = 0
            for k in rowStarts[row]..<rowStarts[row + 1] where frequency[Int(columns[k])] >= minimum {
                result.columns.append(columns[k])
                result.values.append(values[k])
                if Int(columns[k]) < wordColumns { wordNorm += values[k] * values[k] } else { characterNorm += values[k] * values[k] }
            }
            let wordScale = wordNorm > 0 ? 1 / wordNorm.squareRoot() : 0, characterScale = characterNorm > 0 ? 1 / characterNorm.squareRoot() : 0
            var norm: Float = 1
            for k in start..<result.columns.count {
                result.values[k] *= Int(result.columns[k]) < wordColumns ? wordScale : characterScale
                norm += result.values[k] * result.values[k]
            }
            result.rowStarts.append(result.columns.count)
            result.squaredNorms.append(norm)
        }
        return result
    }
}
