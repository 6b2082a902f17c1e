import Foundation

/// A labelled training message.
public struct LabelledText: Sendable {
    /// The message.
    public var text: String
    /// Its intent.
    public var label: String
    /// Its locale when known (folding follows the locale's rules).
    public var locale: String?

    /// Creates a labelled message.
    public init(text: String, label: String, locale: String? = nil) {
        self.text = text
        self.label = label
        self.locale = locale
    }
}

/// The trained intent model: one-vs-rest linear machines blended with multinomial naive
/// Bayes over the same TF-IDF n-gram vectors, turned into a probability per label.
///
/// Weights are stored feature-major, so scoring a message touches one contiguous row of
/// `labels.count` floats per feature it has.
public struct IntentModel: Sendable {
    /// The labels, in the order of every score vector.
    public let labels: [String]
    /// How the model was trained.
    public let settings: ClassifierSettings
    let extractor: FeatureExtractor
    let vectorizer: Vectorizer
    let table: ScoringTable

    /// Trains a model on `examples`.
    /// - Complexity: dominated by the machines, O(passes · non-zeros · labels / cores).
    public init(training examples: [LabelledText], settings: ClassifierSettings = ClassifierSettings()) {
        self.settings = settings
        let extractor = FeatureExtractor(settings: settings.features)
        self.extractor = extractor
        let labels = Array(Set(examples.map(\.label))).sorted()
        self.labels = labels
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let features = Self.features(of: examples, extractor: extractor)
        let vectorizer = Vectorizer(
            fitting: features, characterIDF: settings.characterIDF,
            minimumDocumentFrequency: settings.minimumDocumentFrequency)
        self.vectorizer = vectorizer
        let matrix = TrainingMatrix(
            vectors: Parallel.map(features, vectorizer.vector), labels: examples.map { labelIndex[$0.label]! },
            columnCount: vectorizer.columnCount)
        // The machines take most of the time; naive Bayes trains beside them.
        var machine: (weights: [Float], biases: [Float]) = ([], [])
        var bayes: NaiveBayesTrainer.Result?
        Parallel.run(
            { machine = MulticlassSVMTrainer(cost: settings.cost, tolerance: settings.tolerance).train(matrix, classCount: labels.count) },
            { bayes = NaiveBayesTrainer(smoothing: settings.bayesSmoothing).train(matrix, classCount: labels.count) })
        table = ScoringTable(machine: machine, bayes: bayes!, columnCount: matrix.columnCount, classCount: labels.count)
    }

    /// The hashed features of every example, extracted on all cores (in the examples' order,
    /// the same as extracting them one by one).
    static func features(of examples: [LabelledText], extractor: FeatureExtractor) -> [MessageFeatures] {
        Parallel.map(examples) { extractor.features(of: TokenForms(text: $0.text, locale: $0.locale)) }
    }

    /// The weighted feature vector of a message.
    public func vector(of text: AnalysedText) -> SparseVector {
        vectorizer.vector(extractor.features(of: text))
    }

    /// The weighted feature vector of raw text, folded with the rules of `locale`: the same as
    /// `vector(of: AnalysedText(text, locale: locale))`, without building the analysed text.
    public func vector(of text: String, locale: String? = nil) -> SparseVector {
        vectorizer.vector(extractor.features(of: TokenForms(text: text, locale: locale)))
    }

    /// The confidence of every label for raw text: the whole classification of one message.
    /// - Complexity: O(length of the text + features · labels); one array is allocated for
    ///   the result, a few for scratch.
    public func probabilities(of text: String, locale: String? = nil) -> [Float] {
        probabilities(of: TokenForms(text: text, locale: locale))
    }

    /// The confidence of every label for token forms, with `boost` added to the blended
    /// score of each label in `boosted` (the classifier's keywords).
    func probabilities(of forms: TokenForms, boosted: [Int] = [], boost: Float = 0) -> [Float] {
        let counter = vectorizer.weigh(forms, extractor: extractor)
        var result = [Float](repeating: 0, count: labels.count)
        result.withUnsafeMutableBufferPointer { out in
            counter.columns.withUnsafeBufferPointer { columns in
                counter.values.withUnsafeBufferPointer { values in
                    blend(columns: columns.baseAddress!, values: values.baseAddress!, count: columns.count, into: out.baseAddress!)
                }
            }
            for label in boosted where label < out.count { out[label] += boost }
            Self.softmax(out, temperature: settings.temperature)
        }
        return result
    }

    /// The blended score of every label (standardised machine and Bayes scores mixed), with
    /// `boosts` added per label index.
    /// - Complexity: O(features · labels).
    public func scores(of vector: SparseVector, boosts: [Int: Float] = [:]) -> [Float] {
        var blended = [Float](repeating: 0, count: labels.count)
        blended.withUnsafeMutableBufferPointer { out in
            vector.columns.withUnsafeBufferPointer { columns in
                vector.values.withUnsafeBufferPointer { values in
                    blend(columns: columns.baseAddress!, values: values.baseAddress!, count: columns.count, into: out.baseAddress!)
                }
            }
        }
        for (label, boost) in boosts where label < labels.count { blended[label] += boost }
        return blended
    }

    /// Writes the blended scores of `count` (column, value) pairs into `out` (`labels.count`).
    private func blend(columns: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let n = labels.count
        let share = settings.bayesShare
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { buffer in
            let raw = buffer.baseAddress!
            table.accumulate(columns: columns, values: values, count: count, into: raw)
            let (machineMean, machineScale) = Self.standardisation(raw, n)
            let (bayesMean, bayesScale) = Self.standardisation(raw + n, n)
            let a = (1 - share) * machineScale, b = share * bayesScale
            let offset = a * machineMean + b * bayesMean
            for k in 0..<n { out[k] = a * raw[k] + b * raw[n + k] - offset }
        }
    }


    /// Probabilities from blended scores: a softmax at the model's temperature.
    public func probabilities(from scores: [Float]) -> [Float] {
        var result = scores
        result.withUnsafeMutableBufferPointer { Self.softmax($0, temperature: settings.temperature) }
        return result
    }

    /// Replaces scores by their softmax at `temperature`, in place.
    private static func softmax(_ scores: UnsafeMutableBufferPointer<Float>, temperature: Float) {
        guard !scores.isEmpty else { return }
        var top = scores[0]
        for score in scores where score > top { top = score }
        var sum: Float = 0
        for k in scores.indices {
            scores[k] = expf((scores[k] - top) * temperature)
            sum += scores[k]
        }
        for k in scores.indices { scores[k] /= sum }
    }

    /// The contribution of each feature column to a label's machine score, for explanations.
    public func machineWeight(column: Int32, label: Int) -> Float {
        table.machineWeight(column: column, label: label)
    }

    /// Memory held by the weights, in bytes.
    public var weightBytes: Int { table.byteCount }

    /// The column of a feature hash.
    func column(of hash: UInt64) -> Int32? { vectorizer.column(of: hash) }

    /// Mean and reciprocal standard deviation of `n` scores (z-scoring makes the machine and
    /// Bayes scales comparable before they are mixed).
    @inline(__always)
    private static func standardisation(_ scores: UnsafePointer<Float>, _ n: Int) -> (mean: Float, scale: Float) {
        guard n > 1 else { return (0, 1) }
        var sum: Float = 0, squares: Float = 0
        for k in 0..<n { sum += scores[k] }
        let mean = sum / Float(n)
        for k in 0..<n { squares += (scores[k] - mean) * (scores[k] - mean) }
        return (mean, 1 / max(sqrtf(squares / Float(n)), 1e-6))
    }
}
