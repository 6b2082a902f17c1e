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
    /// The trained state, behind one reference: the scoring path's closures capture the
    /// model, and copying a struct of a dozen arrays there cost a dozen reference-count
    /// operations per message.
    private final class Parts: Sendable {
        let labels: [String]
        let settings: ClassifierSettings
        let extractor: FeatureExtractor
        let vectorizer: Vectorizer
        let table: ScoringTable
        let outOfScope: OutOfScopeCalibrator?

        init(labels: [String], settings: ClassifierSettings, vectorizer: Vectorizer, table: ScoringTable, outOfScope: OutOfScopeCalibrator?) {
            self.labels = labels
            self.settings = settings
            extractor = FeatureExtractor(settings: settings.features)
            self.vectorizer = vectorizer
            self.table = table
            self.outOfScope = outOfScope
        }
    }

    private let parts: Parts

    /// The labels, in the order of every score vector.
    public var labels: [String] { parts.labels }
    /// How the model was trained.
    public var settings: ClassifierSettings { parts.settings }
    var extractor: FeatureExtractor { parts.extractor }
    var vectorizer: Vectorizer { parts.vectorizer }
    var table: ScoringTable { parts.table }
    /// Trained state added for out-of-scope detection: the probability that a message is in
    /// scope from its confidence and typicality. Nil when the training data had no
    /// out-of-scope examples (or calibration is off in the settings).
    public var outOfScope: OutOfScopeCalibrator? { parts.outOfScope }

    /// A model as saved by `TrainedState`.
    init(restoring labels: [String], settings: ClassifierSettings, vectorizer: Vectorizer, table: ScoringTable, outOfScope: OutOfScopeCalibrator?) throws(TrainedStateError) {
        guard labels.count == table.classCount else { throw TrainedStateError("\(labels.count) labels for \(table.classCount) classes") }
        parts = Parts(labels: labels, settings: settings, vectorizer: vectorizer, table: table, outOfScope: outOfScope)
    }

    /// Trains a model on `examples`. When they include out-of-scope examples (labelled
    /// `settings.outOfScopeLabel`) and `settings.outOfScopeFolds` ≥ 2, an out-of-scope
    /// calibrator is fitted too, from models trained on the other folds (beside the main model).
    /// - Complexity: dominated by the machines, O(passes · non-zeros · labels / cores).
    public init(training examples: [LabelledText], settings: ClassifierSettings = ClassifierSettings()) {
        self.init(training: examples, settings: settings, beside: {})
    }

    /// Trains a model as `init(training:settings:)` does, running `beside` on another core
    /// while the machines train (they use one; the bundle's classifier learns its language
    /// identifier there).
    /// `forms`, when given, are the examples' token forms (`TokenForms(text:locale:)` of each),
    /// computed by a caller that needs them too.
    init(training examples: [LabelledText], settings: ClassifierSettings, forms: [TokenForms]? = nil, beside: () -> Void) {
        precondition(forms == nil || forms!.count == examples.count, "one token form per example")
        let extractor = FeatureExtractor(settings: settings.features)
        let labels = Array(Set(examples.map(\.label))).sorted()
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let features = forms.map { forms in Parallel.map(forms) { extractor.features(of: $0) } }
            ?? Self.features(of: examples, extractor: extractor)
        let classes = examples.map { labelIndex[$0.label]! }
        let outOfScopeClass = labelIndex[settings.outOfScopeLabel]
        let groups = Self.languageGroups(of: examples)
        var trained: (vectorizer: Vectorizer, table: ScoringTable)?
        var calibrator: OutOfScopeCalibrator?
        if let outOfScopeClass, settings.outOfScopeFolds >= 2, labels.count > 2 {
            // The folds' models train beside the main one (its machines run on one core).
            Parallel.run(
                { trained = Self.train(features, classes, groups, classCount: labels.count, settings: settings, tolerance: settings.tolerance, beside: beside) },
                { calibrator = Self.calibrate(features, classes, groups, labels: labels, outOfScope: outOfScopeClass, settings: settings) })
        } else {
            trained = Self.train(features, classes, groups, classCount: labels.count, settings: settings, tolerance: settings.tolerance, beside: beside)
        }
        parts = Parts(labels: labels, settings: settings, vectorizer: trained!.vectorizer, table: trained!.table, outOfScope: calibrator)
    }

    /// The vectorizer and weights for extracted features and their classes.
    private static func train(
        _ features: [MessageFeatures], _ classes: [Int32], _ groups: [Int32], classCount: Int, settings: ClassifierSettings, tolerance: Float,
        beside: () -> Void
    ) -> (vectorizer: Vectorizer, table: ScoringTable) {
        let fitted = fit(features, classes, groups, classCount: classCount, settings: settings, tolerance: tolerance, beside: beside)
        let table = ScoringTable(
            machine: fitted.machine, bayes: fitted.bayes, columnCount: fitted.vectorizer.columnCount, classCount: classCount)
        return (fitted.vectorizer, table)
    }

    /// The vectorizer, the machines' weights and naive Bayes, before they are packed for scoring.
    private static func fit(
        _ features: [MessageFeatures], _ classes: [Int32], _ groups: [Int32], classCount: Int, settings: ClassifierSettings, tolerance: Float,
        beside: () -> Void
    ) -> (vectorizer: Vectorizer, machine: (weights: [Float], biases: [Float]), bayes: NaiveBayesTrainer.Result) {
        let (vectorizer, fitted) = Vectorizer.fitting(
            features, characterIDF: settings.characterIDF, minimumDocumentFrequency: settings.minimumDocumentFrequency)
        // The columns the fit gave each example, when it kept them all (no lookups again).
        let vectors = fitted.map { fitted in Parallel.map(Array(features.indices)) { vectorizer.vector(fitted: fitted, document: $0) } }
            ?? Parallel.map(features, vectorizer.vector)
        let matrix = TrainingMatrix(vectors: vectors, labels: classes, groups: groups, columnCount: vectorizer.columnCount)
        // The machines take most of the time; naive Bayes trains beside them.
        var machine: (weights: [Float], biases: [Float]) = ([], [])
        var bayes: NaiveBayesTrainer.Result?
        let machineMatrix = settings.machineMinimumDocumentFrequency > 1
            ? matrix.pruned(
                minimumDocumentFrequency: settings.machineMinimumDocumentFrequency, wordColumns: vectorizer.wordColumnCount)
            : matrix
        Parallel.run(
            { machine = MulticlassSVMTrainer(cost: settings.cost, tolerance: tolerance).train(machineMatrix, classCount: classCount) },
            {
                bayes = NaiveBayesTrainer(smoothing: settings.bayesSmoothing).train(matrix, classCount: classCount)
                beside()
            })
        return (vectorizer, machine, bayes!)
    }

    /// Fits the out-of-scope calibrator on out-of-fold scores: the examples are split in
    /// `settings.outOfScopeFolds` folds (each class spread evenly); a model trained on the
    /// other folds (vocabulary included, so unseen n-grams drop out as they will at run time;
    /// machines to the looser tolerance of `outOfScopeTolerance`) scores each fold. The fit uses
    /// the examples whose likeliest label is in scope, the only ones a threshold decides (all
    /// examples when those are all of one kind).
    /// The folds' models score from their dense weights (not packed into a scoring table,
    /// which would double their memory while the main model trains beside them).
    private static func calibrate(
        _ features: [MessageFeatures], _ classes: [Int32], _ groups: [Int32], labels: [String], outOfScope: Int32, settings: ClassifierSettings
    ) -> OutOfScopeCalibrator? {
        let folds = settings.outOfScopeFolds, k = labels.count
        var random = SplitMix64(seed: 0xCA11B)
        let order = classes.indices.map { ($0, random.next()) }.sorted { $0.1 < $1.1 }.map(\.0)
        var fold = [Int](repeating: 0, count: classes.count)
        var seen = [Int](repeating: 0, count: k)
        for i in order {
            fold[i] = seen[Int(classes[i])] % folds
            seen[Int(classes[i])] += 1
        }
        var confidences: [Float] = [], typicalities: [Float] = [], inScope: [Bool] = [], accepted: [Bool] = []
        var raw = [Float](repeating: 0, count: 2 * k), scores = [Float](repeating: 0, count: k)
        for f in 0..<folds {
            let inside = classes.indices.filter { fold[$0] != f }, outside = classes.indices.filter { fold[$0] == f }
            let fitted = fit(
                inside.map { features[$0] }, inside.map { classes[$0] }, groups.isEmpty ? [] : inside.map { groups[$0] }, classCount: k, settings: settings,
                tolerance: max(settings.tolerance, settings.outOfScopeTolerance), beside: {})
            // Locals, not the tuple's fields: reading those in the loop copies the tuple.
            let vectorizer = fitted.vectorizer
            let w = fitted.machine.weights, biases = fitted.machine.biases
            let corrections = fitted.bayes.corrections, priors = fitted.bayes.priors, bases = fitted.bayes.bases
            for i in outside {
                let vector = vectorizer.vector(features[i])
                guard !vector.isEmpty else { continue }
                // As `ScoringTable.accumulate`, from the dense feature-major weights.
                var mass: Float = 0
                for m in 0..<k { raw[m] = biases[m]; raw[k + m] = priors[m] }
                for (column, value) in zip(vector.columns, vector.values) {
                    let row = Int(column) * k
                    mass += value
                    for m in 0..<k {
                        raw[m] += w[row + m] * value
                        raw[k + m] += corrections[row + m] * value
                    }
                }
                for m in 0..<k { raw[k + m] += mass * bases[m] }
                let judged: (best: Int, confidence: Float) = raw.withUnsafeMutableBufferPointer { raw in
                    scores.withUnsafeMutableBufferPointer { scores in
                        blendRaw(raw.baseAddress!, k, share: settings.bayesShare, into: scores.baseAddress!)
                        softmax(scores, temperature: settings.temperature)
                        var best = 0
                        for m in 0..<k where scores[m] > scores[best] { best = m }
                        return (best, scores[best])
                    }
                }
                confidences.append(judged.confidence)
                typicalities.append((raw[k + judged.best] - priors[judged.best]) / max(mass, 1e-6))
                inScope.append(classes[i] != outOfScope)
                accepted.append(judged.best != Int(outOfScope))
            }
        }
        // The examples a threshold decides; all of them when those lack one of the two kinds
        // (small data where every held-out out-of-scope example went to the oos label).
        let kept = accepted.indices.filter { accepted[$0] }
        if Set(kept.map { inScope[$0] }).count == 2 {
            return OutOfScopeCalibrator.fit(
                confidences: kept.map { confidences[$0] }, typicalities: kept.map { typicalities[$0] }, inScope: kept.map { inScope[$0] })
        }
        return OutOfScopeCalibrator.fit(confidences: confidences, typicalities: typicalities, inScope: inScope)
    }

    /// A group number per example, one per locale in order of first appearance; empty when
    /// the examples have fewer than two locales (nothing to group).
    static func languageGroups(of examples: [LabelledText]) -> [Int32] {
        var numbers: [String: Int32] = [:]
        let groups = examples.map { example in
            let locale = example.locale ?? ""
            if let number = numbers[locale] { return number }
            let number = Int32(numbers.count)
            numbers[locale] = number
            return number
        }
        return numbers.count > 1 ? groups : []
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
        var result = [Float](repeating: 0, count: labels.count)
        result.withUnsafeMutableBufferPointer { out in
            _ = vectorizer.weigh(forms, extractor: extractor) { columns, values, count in
                blend(columns: columns, values: values, count: count, into: out.baseAddress!)
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
        _ = blended.withUnsafeMutableBufferPointer { out in
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
    /// With `bayes`, the raw naive Bayes scores (`labels.count`) are copied there too.
    /// Returns the mass of the vector (the sum of its values).
    @discardableResult
    private func blend(
        columns: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>,
        bayes: UnsafeMutablePointer<Float>? = nil
    ) -> Float {
        let n = labels.count
        let share = settings.bayesShare
        var mass: Float = 0
        for i in 0..<count { mass += values[i] }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { buffer in
            let raw = buffer.baseAddress!
            table.accumulate(columns: columns, values: values, count: count, into: raw)
            Self.blendRaw(raw, n, share: share, into: out)
            if let bayes { for k in 0..<n { bayes[k] = raw[n + k] } }
        }
        return mass
    }

    /// The blended scores of `n` labels from their raw machine and Bayes scores (`2n`).
    @inline(__always)
    private static func blendRaw(_ raw: UnsafePointer<Float>, _ n: Int, share: Float, into out: UnsafeMutablePointer<Float>) {
        let (machineMean, machineScale) = standardisation(raw, n)
        let (bayesMean, bayesScale) = standardisation(raw + n, n)
        let a = (1 - share) * machineScale, b = share * bayesScale
        let offset = a * machineMean + b * bayesMean
        for k in 0..<n { out[k] = a * raw[k] + b * raw[n + k] - offset }
    }

    /// What the model decides about one message: its likeliest label, that label's
    /// confidence, and — when the model has an out-of-scope calibrator — the probability that
    /// the message is in scope at all (what a rejection threshold should be applied to).
    public struct Decision: Sendable {
        /// Index of the likeliest label.
        public var best: Int
        /// Its softmax confidence, 0…1.
        public var confidence: Float
        /// Mean naive Bayes log-likelihood of the message's features under `best`, per unit
        /// of feature weight (how typical the message is of that label).
        public var typicality: Float
        /// The calibrated probability that the message is in scope, when the model has a
        /// calibrator.
        public var inScopeProbability: Float?
        /// The score to compare with a rejection threshold: the calibrated in-scope
        /// probability when there is one, else the confidence.
        public var acceptance: Float { inScopeProbability ?? confidence }
    }

    /// The decision for raw text (the whole classification of one message).
    /// - Complexity: as `probabilities(of:locale:)`.
    public func decision(of text: String, locale: String? = nil) -> Decision {
        vectorizer.weigh(TokenForms(text: text, locale: locale), extractor: extractor) { columns, values, count in
            judge(columns: columns, values: values, count: count)
        }
    }

    /// The decision for a weighted vector.
    public func decision(of vector: SparseVector) -> Decision { judge(vector) }

    private func judge(_ vector: SparseVector) -> Decision {
        vector.columns.withUnsafeBufferPointer { columns in
            vector.values.withUnsafeBufferPointer { values in
                judge(columns: columns.baseAddress, values: values.baseAddress, count: columns.count)
            }
        }
    }

    private func judge(columns: UnsafePointer<Int32>?, values: UnsafePointer<Float>?, count: Int) -> Decision {
        let n = labels.count
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { buffer in
            let scores = UnsafeMutableBufferPointer(rebasing: buffer[0..<n]), bayes = buffer.baseAddress! + n
            guard count > 0, let columns, let values else {
                // Nothing known in the message: every label alike, and nothing typical.
                return Decision(best: 0, confidence: 1 / Float(max(n, 1)), typicality: -.infinity, inScopeProbability: outOfScope.map { _ in 0 })
            }
            let mass = blend(columns: columns, values: values, count: count, into: scores.baseAddress!, bayes: bayes)
            Self.softmax(scores, temperature: settings.temperature)
            var best = 0
            for k in 0..<n where scores[k] > scores[best] { best = k }
            let typicality = (bayes[best] - table.bayesPriors[best]) / max(mass, 1e-6)
            let confidence = scores[best]
            return Decision(
                best: best, confidence: confidence, typicality: typicality,
                inScopeProbability: outOfScope?.inScopeProbability(confidence: confidence, typicality: typicality))
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
        Softmax.apply(scores, temperature: temperature)
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
