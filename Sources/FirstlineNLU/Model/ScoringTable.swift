/// The trained weights in the shape that scores a message fastest: per feature column, only
/// the classes whose machine weight or Bayes correction is not zero.
///
/// Most n-grams occur in a handful of intents, so a row holds a few entries instead of one
/// per class; scoring a message touches kilobytes instead of the hundreds of kilobytes of
/// dense rows, which is what keeps classification within microseconds.
struct ScoringTable: Sendable {
    let classCount: Int
    /// Entry range of each column: `rowStarts[c]..<rowStarts[c + 1]`.
    private let rowStarts: [Int32]
    private let entryClasses: [UInt16]
    private let machineWeights: [Float]
    private let bayesCorrections: [Float]
    let machineBiases: [Float]
    let bayesPriors: [Float]
    let bayesBases: [Float]

    /// Compresses dense feature-major weights.
    /// - Complexity: O(columns · classes).
    init(machine: (weights: [Float], biases: [Float]), bayes: NaiveBayesTrainer.Result, columnCount: Int, classCount: Int) {
        self.classCount = classCount
        var rowStarts: [Int32] = [0]
        var classes: [UInt16] = [], weights: [Float] = [], corrections: [Float] = []
        rowStarts.reserveCapacity(columnCount + 1)
        for column in 0..<columnCount {
            let base = column * classCount
            for label in 0..<classCount {
                let weight = machine.weights[base + label], correction = bayes.corrections[base + label]
                if weight != 0 || correction != 0 {
                    classes.append(UInt16(label))
                    weights.append(weight)
                    corrections.append(correction)
                }
            }
            rowStarts.append(Int32(classes.count))
        }
        self.rowStarts = rowStarts
        entryClasses = classes
        machineWeights = weights
        bayesCorrections = corrections
        machineBiases = machine.biases
        bayesPriors = bayes.priors
        bayesBases = bayes.bases
    }

    /// Raw machine and Bayes scores of every class for a vector.
    /// - Complexity: O(entries of the vector's columns + classes).
    func scores(of vector: SparseVector) -> (machine: [Float], bayes: [Float]) {
        var machine = machineBiases
        var bayes = bayesPriors
        var mass: Float = 0
        machine.withUnsafeMutableBufferPointer { m in
            bayes.withUnsafeMutableBufferPointer { b in
                entryClasses.withUnsafeBufferPointer { classes in
                    machineWeights.withUnsafeBufferPointer { weights in
                        bayesCorrections.withUnsafeBufferPointer { corrections in
                            rowStarts.withUnsafeBufferPointer { starts in
                                for i in vector.columns.indices {
                                    let column = Int(vector.columns[i])
                                    let value = vector.values[i]
                                    mass += value
                                    for e in Int(starts[column])..<Int(starts[column + 1]) {
                                        let label = Int(classes[e])
                                        m[label] += weights[e] * value
                                        b[label] += corrections[e] * value
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for k in 0..<classCount { bayes[k] += mass * bayesBases[k] }
        return (machine, bayes)
    }

    /// The machine weight of a column for a class (zero when absent).
    func machineWeight(column: Int32, label: Int) -> Float {
        let range = Int(rowStarts[Int(column)])..<Int(rowStarts[Int(column) + 1])
        for e in range where Int(entryClasses[e]) == label { return machineWeights[e] }
        return 0
    }

    /// Bytes held by the table.
    var byteCount: Int {
        rowStarts.count * 4 + entryClasses.count * 2 + machineWeights.count * 4 + bayesCorrections.count * 4
    }
}
