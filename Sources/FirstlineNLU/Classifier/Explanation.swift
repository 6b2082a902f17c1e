/// Why the classifier decided what it did: the n-grams that pulled the message towards the
/// likeliest intent (and against it), for trainers tuning examples and agents reading a
/// handoff.
public struct Explanation: Sendable {
    /// One n-gram's pull towards an intent.
    public struct Contribution: Hashable, Sendable {
        /// The n-gram as the model sees it (diacritic-free, numbers by shape).
        public var feature: String
        /// Its weighted contribution to the intent's machine score (negative: against).
        public var weight: Float
    }

    /// The decision explained.
    public var classification: Classification
    /// The intent explained (the likeliest in-scope one).
    public var intent: String?
    /// Contributions to that intent, strongest first.
    public var contributions: [Contribution]
}

extension IntentClassifier {
    /// Explains the classification of `text`.
    /// - Parameter limit: how many n-grams to list.
    public func explain(_ text: String, locale: String? = nil, previousLocale: String? = nil, limit: Int = 10) -> Explanation {
        let analysed = analyse(text, locale: locale, previousLocale: previousLocale)
        let classification = classify(analysed.text, locale: analysed.locale, localeConfidence: analysed.confidence, limit: 3)
        guard let top = classification.candidates.first, let label = model.labels.firstIndex(of: top.intent) else {
            return Explanation(classification: classification, intent: nil, contributions: [])
        }
        let vector = model.vector(of: analysed.text)
        var valueByColumn: [Int32: Float] = [:]
        for (i, column) in vector.columns.enumerated() { valueByColumn[column] = vector.values[i] }
        var contributions: [Explanation.Contribution] = []
        for (hash, name) in model.extractor.namedFeatures(of: analysed.text) {
            guard let column = model.column(of: hash), let value = valueByColumn[column] else { continue }
            let weight = value * model.machineWeight(column: column, label: label)
            if weight != 0 { contributions.append(.init(feature: name, weight: weight)) }
        }
        contributions.sort { abs($0.weight) > abs($1.weight) }
        return Explanation(classification: classification, intent: top.intent, contributions: Array(contributions.prefix(limit)))
    }
}
