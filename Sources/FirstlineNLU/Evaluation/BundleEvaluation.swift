import Foundation

/// `firstline eval --intents DIR`: the bundle's own classifier, language identification and
/// thresholds, measured on a test file or by k-fold cross-validation over the bundle's
/// examples (each intent × locale split into k folds; every example is tested once, by a
/// classifier that never saw it).
public struct BundleEvaluation: Sendable {
    /// Figures over all messages.
    public var report: EvaluationReport
    /// Figures per language.
    public var reportByLanguage: [String: EvaluationReport]
    /// Share (percent) of messages whose language was identified right, per language.
    public var languageAccuracy: [String: Double]
    /// Seconds to train (the mean over folds in k-fold mode).
    public var trainingSeconds: Double
    /// Median microseconds to classify one message (language identification included).
    public var medianMicroseconds: Double
    /// The threshold applied (the bundle's).
    public var threshold: Float

    /// Evaluates the bundle's classifier, trained on all its examples, on `test` rows; rows
    /// without `"lang"` are identified, rows with it are still identified (and scored for it).
    public init(bundle: IntentBundle, test: IntentDataset, settings: ClassifierSettings = .bundle) {
        let clock = ContinuousClock()
        var classifier: IntentClassifier?
        let time = clock.measure { classifier = IntentClassifier(bundle: bundle, settings: settings) }
        let run = Self.predict(classifier!, rows: test.rows)
        self.init(predictions: run.predictions, languageHits: run.languageHits, times: run.times, training: time.inSeconds, threshold: bundle.thresholds.answer)
    }

    /// k-fold cross-validation over the bundle's examples.
    public init(bundle: IntentBundle, folds: Int, settings: ClassifierSettings = .bundle) {
        let examples = IntentClassifier.examples(of: bundle)
        // Fold of each example: position within its intent × locale, modulo k, after a
        // deterministic shuffle so folds do not follow the order examples were written in.
        var positions: [String: Int] = [:]
        var random = SplitMix64(seed: 0xF01D)
        let order = examples.indices.map { ($0, random.next()) }.sorted { $0.1 < $1.1 }.map(\.0)
        var foldOf = [Int](repeating: 0, count: examples.count)
        for index in order {
            let key = examples[index].label + "|" + (examples[index].locale ?? "")
            foldOf[index] = positions[key, default: 0] % folds
            positions[key, default: 0] += 1
        }
        let clock = ContinuousClock()
        var predictions: [Prediction] = [], hits: [(String, Bool)] = [], times: [Double] = []
        var training = 0.0
        for fold in 0..<folds {
            let train = examples.indices.filter { foldOf[$0] != fold }.map { examples[$0] }
            let test = examples.indices.filter { foldOf[$0] == fold }.map {
                IntentDataset.Row(text: examples[$0].text, intent: examples[$0].label, lang: examples[$0].locale)
            }
            var classifier: IntentClassifier?
            training += clock.measure { classifier = IntentClassifier(bundle: bundle, examples: train, settings: settings) }.inSeconds
            let run = Self.predict(classifier!, rows: test)
            predictions += run.predictions
            hits += run.languageHits
            times += run.times
        }
        self.init(predictions: predictions, languageHits: hits, times: times, training: training / Double(folds), threshold: bundle.thresholds.answer)
    }

    private init(predictions: [Prediction], languageHits: [(String, Bool)], times: [Double], training: Double, threshold: Float) {
        self.threshold = threshold
        trainingSeconds = training
        medianMicroseconds = times.isEmpty ? 0 : times.sorted()[times.count / 2]
        // Predictions already carry the bundle's decision (threshold applied in the classifier).
        report = EvaluationReport(predictions, threshold: 0)
        var byLanguage: [String: [Prediction]] = [:]
        for prediction in predictions { if let lang = prediction.lang { byLanguage[lang, default: []].append(prediction) } }
        reportByLanguage = byLanguage.mapValues { EvaluationReport($0, threshold: 0) }
        var hits: [String: (Int, Int)] = [:]
        for (lang, hit) in languageHits {
            let current = hits[lang] ?? (0, 0)
            hits[lang] = (current.0 + (hit ? 1 : 0), current.1 + 1)
        }
        languageAccuracy = hits.mapValues { 100 * Double($0.0) / Double(max($0.1, 1)) }
    }

    static func predict(_ classifier: IntentClassifier, rows: [IntentDataset.Row]) -> (predictions: [Prediction], languageHits: [(String, Bool)], times: [Double]) {
        let clock = ContinuousClock()
        var predictions: [Prediction] = [], hits: [(String, Bool)] = [], times: [Double] = []
        for row in rows {
            var result: Classification?
            times.append(clock.measure { result = classifier.classify(row.text) }.inSeconds * 1e6)
            let classification = result!
            predictions.append(Prediction(
                gold: row.intent, top: classification.intent ?? IntentDataset.outOfScope,
                confidence: classification.confidence, lang: row.lang))
            if let lang = row.lang { hits.append((lang, classification.locale == lang)) }
        }
        return (predictions, hits, times)
    }
}
