import Foundation

/// `firstline eval --train --val --test`: trains on one split, picks the rejection threshold
/// on another, and measures on a third, timing training and single-message classification.
public struct DatasetEvaluation: Sendable {
    /// The figures on the test split.
    public var report: EvaluationReport
    /// Figures per language, where test lines carry `"lang"`.
    public var reportByLanguage: [String: EvaluationReport]
    /// The rejection threshold used.
    public var threshold: Float
    /// Seconds spent training.
    public var trainingSeconds: Double
    /// Median microseconds to classify one message (text pipeline included), one thread.
    public var medianMicroseconds: Double
    /// Bytes held by the model's weights.
    public var weightBytes: Int

    /// Runs the evaluation.
    /// - Parameters:
    ///   - outOfScopeRecallTarget: with a value, the threshold is the lowest reaching this
    ///     out-of-scope recall (0…1) on `validation`; without, no threshold is applied.
    public init(
        train: IntentDataset, validation: IntentDataset?, test: IntentDataset,
        outOfScopeRecallTarget: Double?, settings: ClassifierSettings = ClassifierSettings()
    ) {
        let clock = ContinuousClock()
        var model: IntentModel?
        let trainingTime = clock.measure { model = IntentModel(training: train.labelled, settings: settings) }
        let trained = model!
        trainingSeconds = trainingTime.inSeconds
        weightBytes = trained.weightBytes
        if let target = outOfScopeRecallTarget, let validation {
            threshold = ThresholdSelection.lowestThreshold(
                reachingOutOfScopeRecall: target, on: Self.predict(trained, validation).predictions)
        } else {
            threshold = 0
        }
        let (predictions, times) = Self.predict(trained, test)
        medianMicroseconds = times.sorted()[times.count / 2]
        report = EvaluationReport(predictions, threshold: threshold)
        var byLanguage: [String: [Prediction]] = [:]
        for prediction in predictions { if let lang = prediction.lang { byLanguage[lang, default: []].append(prediction) } }
        reportByLanguage = byLanguage.mapValues { [threshold] in EvaluationReport($0, threshold: threshold) }
    }

    /// Classifies every row one at a time, timing each. The rows are classified in three
    /// passes over the whole set and a row's time is its fastest pass, so a pause by another
    /// process on a shared machine does not count as the classifier's, while each pass still
    /// finds the caches as the other rows left them (`firstline bench classify` times the same
    /// way, with more passes).
    static func predict(_ model: IntentModel, _ dataset: IntentDataset) -> (predictions: [Prediction], microseconds: [Double]) {
        let clock = ContinuousClock()
        var predictions: [Prediction] = []
        var times: [Double] = []
        predictions.reserveCapacity(dataset.rows.count)
        times.reserveCapacity(dataset.rows.count)
        for row in dataset.rows {
            var decision: IntentModel.Decision?
            let elapsed = clock.measure { decision = model.decision(of: row.text, locale: row.lang) }
            times.append(elapsed.inSeconds * 1e6)
            // The threshold applies to the calibrated in-scope probability when the model has one.
            predictions.append(Prediction(
                gold: row.intent, top: model.labels[decision!.best], confidence: decision!.acceptance, lang: row.lang))
        }
        for _ in 0..<2 {
            for (i, row) in dataset.rows.enumerated() {
                var decision: IntentModel.Decision?
                let elapsed = clock.measure { decision = model.decision(of: row.text, locale: row.lang) }
                times[i] = min(times[i], elapsed.inSeconds * 1e6)
                withExtendedLifetime(decision) {}
            }
        }
        return (predictions, times)
    }
}

extension Duration {
    /// The duration in seconds.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
