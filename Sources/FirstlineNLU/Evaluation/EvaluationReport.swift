/// Accuracy figures of decided predictions, in percent, as `firstline eval` prints them.
public struct EvaluationReport: Sendable {
    /// Share of messages whose decided intent is right (out of scope included).
    public var accuracy: Double
    /// Share of in-scope messages whose decided intent is right; nil with no in-scope message.
    public var inScopeAccuracy: Double?
    /// Share of out-of-scope messages rejected; nil with no out-of-scope message.
    public var outOfScopeRecall: Double?
    /// Unweighted mean F1 over the intents of the test set (out of scope as one intent).
    public var macroF1: Double
    /// F1 per intent.
    public var f1ByIntent: [String: Double]
    /// The most frequent confusions, (expected, got, count), most frequent first.
    public var confusedPairs: [(expected: String, got: String, count: Int)]
    /// The number of messages.
    public var count: Int

    /// Measures `predictions` at `threshold`.
    /// - Complexity: O(n + intents · log intents).
    public init(_ predictions: [Prediction], threshold: Float) {
        count = predictions.count
        var correct = 0, inScope = 0, inScopeCorrect = 0, outOfScope = 0, rejected = 0
        var truePositives: [String: Int] = [:], predicted: [String: Int] = [:], actual: [String: Int] = [:]
        var confusions: [String: Int] = [:]
        for prediction in predictions {
            let decided = prediction.decided(threshold: threshold)
            let isRight = decided == prediction.gold
            if isRight { correct += 1; truePositives[decided, default: 0] += 1 } else {
                confusions[prediction.gold + "\u{1}" + decided, default: 0] += 1
            }
            predicted[decided, default: 0] += 1
            actual[prediction.gold, default: 0] += 1
            if prediction.gold == IntentDataset.outOfScope {
                outOfScope += 1
                if decided == IntentDataset.outOfScope { rejected += 1 }
            } else {
                inScope += 1
                if isRight { inScopeCorrect += 1 }
            }
        }
        func percent(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : 100 * Double(a) / Double(b) }
        accuracy = percent(correct, count)
        inScopeAccuracy = inScope > 0 ? percent(inScopeCorrect, inScope) : nil
        outOfScopeRecall = outOfScope > 0 ? percent(rejected, outOfScope) : nil
        var f1: [String: Double] = [:]
        for intent in actual.keys {
            let tp = Double(truePositives[intent] ?? 0)
            let precision = tp / Double(max(predicted[intent] ?? 0, 1))
            let recall = tp / Double(actual[intent]!)
            f1[intent] = precision + recall == 0 ? 0 : 100 * 2 * precision * recall / (precision + recall)
        }
        f1ByIntent = f1
        macroF1 = f1.isEmpty ? 0 : f1.values.reduce(0, +) / Double(f1.count)
        confusedPairs = confusions.map { key, count in
            let parts = key.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts[1], count)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.expected, $0.got) < ($1.expected, $1.got) }
    }

    /// The intents with the lowest F1, worst first.
    public func worstIntents(_ limit: Int) -> [(intent: String, f1: Double)] {
        f1ByIntent.map { ($0.key, $0.value) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map { ($0.0, $0.1) }
    }
}
