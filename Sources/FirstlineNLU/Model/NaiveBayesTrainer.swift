import Foundation

/// Multinomial naive Bayes over the weighted feature vectors (McCallum & Nigam, 1998).
///
/// It is the second view of the classifier: weaker alone than the support vector machine,
/// but wrong on different messages, so a blend of the two is right more often than either.
///
/// With additive smoothing a, the log-likelihood of feature f in class c is
/// `log(count[f,c] + a) − log(total[c] + a·F)`. For every feature a class never saw this is
/// the same per-class constant `log a − log(total[c] + a·F)`, so the trainer returns that
/// constant (the class's *base*) and, per feature, only the classes that saw it, with
/// `log(count + a) − log a` — a sparse correction on top of the base.
struct NaiveBayesTrainer: Sendable {
    /// Additive (Lidstone) smoothing.
    var smoothing: Float

    /// The trained view.
    struct Result {
        /// Per class: the log-likelihood of a feature the class never saw.
        var bases: [Float]
        /// Log class priors.
        var priors: [Float]
        /// Feature-major corrections (`corrections[column * classCount + class]`), zero
        /// where the class never saw the feature.
        var corrections: [Float]
    }

    /// Trains on the matrix.
    /// - Complexity: O(non-zeros + columns · classes).
    func train(_ matrix: TrainingMatrix, classCount: Int) -> Result {
        let columnCount = matrix.columnCount
        var counts = [Float](repeating: 0, count: columnCount * classCount)
        var totals = [Float](repeating: 0, count: classCount)
        var documents = [Float](repeating: 0, count: classCount)
        for row in 0..<matrix.rowCount {
            let label = Int(matrix.labels[row])
            documents[label] += 1
            for k in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                counts[Int(matrix.columns[k]) * classCount + label] += matrix.values[k]
                totals[label] += matrix.values[k]
            }
        }
        let logSmoothing = logf(smoothing)
        let bases = totals.map { logSmoothing - logf($0 + smoothing * Float(columnCount)) }
        for index in counts.indices where counts[index] > 0 {
            counts[index] = logf(counts[index] + smoothing) - logSmoothing
        }
        let rows = Float(matrix.rowCount)
        let priors = documents.map { logf(max($0, 1) / rows) }
        return Result(bases: bases, priors: priors, corrections: counts)
    }
}
