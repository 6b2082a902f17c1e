/// The trained weights in the shape that scores a message fastest: frequent feature columns
/// as dense rows, rare ones as sparse lists of the classes whose weights are not zero.
///
/// Short character n-grams occur in most intents, so their rows are stored whole (machine
/// weights then Bayes corrections, `2 · classCount` contiguous floats) and added with one
/// loop that the compiler vectorises; the long tail of n-grams that occur in a handful of
/// intents keeps a few `(class, weight, correction)` entries. Scoring a message reads only
/// the rows of its features, which is what keeps classification within microseconds.
struct ScoringTable: Sendable {
    let classCount: Int
    /// Per column: `-1 - row` for a dense row, else the start of its sparse entries.
    private let locations: [Int32]
    /// Per column: the end of its sparse entries (unused for dense rows).
    private let sparseEnds: [Int32]
    private let entryClasses: [UInt16]
    /// Interleaved (machine weight, Bayes correction) per sparse entry.
    private let entryWeights: [Float]
    /// Dense rows, `2 · classCount` floats each: machine weights, then Bayes corrections.
    private let denseRows: [Float]
    let machineBiases: [Float]
    let bayesPriors: [Float]
    let bayesBases: [Float]

    /// Compresses dense feature-major weights; a column becomes a dense row when more than
    /// a quarter of the classes have an entry in it.
    /// - Complexity: O(columns · classes).
    init(machine: (weights: [Float], biases: [Float]), bayes: NaiveBayesTrainer.Result, columnCount: Int, classCount: Int) {
        self.classCount = classCount
        var locations: [Int32] = [], ends: [Int32] = []
        locations.reserveCapacity(columnCount)
        ends.reserveCapacity(columnCount)
        var classes: [UInt16] = [], weights: [Float] = [], dense: [Float] = []
        var denseCount: Int32 = 0
        for column in 0..<columnCount {
            let base = column * classCount
            var nonZero = 0
            for label in 0..<classCount where machine.weights[base + label] != 0 || bayes.corrections[base + label] != 0 {
                nonZero += 1
            }
            if nonZero * 4 > classCount {
                locations.append(-1 - denseCount)
                ends.append(Int32(classes.count))
                dense.append(contentsOf: machine.weights[base..<base + classCount])
                dense.append(contentsOf: bayes.corrections[base..<base + classCount])
                denseCount += 1
                continue
            }
            locations.append(Int32(classes.count))
            for label in 0..<classCount {
                let weight = machine.weights[base + label], correction = bayes.corrections[base + label]
                if weight != 0 || correction != 0 {
                    classes.append(UInt16(label))
                    weights.append(weight)
                    weights.append(correction)
                }
            }
            ends.append(Int32(classes.count))
        }
        self.locations = locations
        sparseEnds = ends
        entryClasses = classes
        entryWeights = weights
        denseRows = dense
        machineBiases = machine.biases
        bayesPriors = bayes.priors
        bayesBases = bayes.bases
    }

    /// Raw machine and Bayes scores of every class for a vector, written into `out` as
    /// `2 · classCount` floats (machine scores, then Bayes scores).
    /// - Complexity: O(classes per dense column + entries per sparse column).
    func accumulate(_ vector: SparseVector, into out: UnsafeMutablePointer<Float>) {
        let k = classCount
        var mass: Float = 0
        for m in 0..<k { out[m] = machineBiases[m]; out[k + m] = bayesPriors[m] }
        locations.withUnsafeBufferPointer { locations in
        sparseEnds.withUnsafeBufferPointer { ends in
        entryClasses.withUnsafeBufferPointer { classes in
        entryWeights.withUnsafeBufferPointer { weights in
        denseRows.withUnsafeBufferPointer { dense in
        vector.columns.withUnsafeBufferPointer { columns in
        vector.values.withUnsafeBufferPointer { values in
            let width = 2 * k
            for i in 0..<columns.count {
                let column = Int(columns[i])
                let value = values[i]
                mass += value
                let location = Int(locations[column])
                if location < 0 {
                    let row = dense.baseAddress! + (-1 - location) * width
                    for m in 0..<width { out[m] += row[m] * value }
                } else {
                    for e in location..<Int(ends[column]) {
                        let label = Int(classes[e])
                        out[label] += weights[2 * e] * value
                        out[k + label] += weights[2 * e + 1] * value
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        for m in 0..<k { out[k + m] += mass * bayesBases[m] }
    }

    /// Raw machine and Bayes scores of every class for a vector.
    /// - Complexity: as `accumulate`.
    func scores(of vector: SparseVector) -> (machine: [Float], bayes: [Float]) {
        var both = [Float](repeating: 0, count: 2 * classCount)
        both.withUnsafeMutableBufferPointer { accumulate(vector, into: $0.baseAddress!) }
        return (Array(both[0..<classCount]), Array(both[classCount...]))
    }

    /// The machine weight of a column for a class (zero when absent).
    func machineWeight(column: Int32, label: Int) -> Float {
        let location = Int(locations[Int(column)])
        if location < 0 { return denseRows[(-1 - location) * 2 * classCount + label] }
        for e in location..<Int(sparseEnds[Int(column)]) where Int(entryClasses[e]) == label { return entryWeights[2 * e] }
        return 0
    }

    /// Bytes held by the table.
    var byteCount: Int {
        locations.count * 4 + sparseEnds.count * 4 + entryClasses.count * 2 + entryWeights.count * 4 + denseRows.count * 4
    }
}
