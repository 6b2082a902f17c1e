/// What the classifier said about one test message, before any threshold.
public struct Prediction: Sendable {
    /// The right intent.
    public var gold: String
    /// The likeliest intent.
    public var top: String
    /// Its confidence, 0…1.
    public var confidence: Float
    /// The message's language, when known.
    public var lang: String?

    /// Creates a prediction.
    public init(gold: String, top: String, confidence: Float, lang: String? = nil) {
        self.gold = gold
        self.top = top
        self.confidence = confidence
        self.lang = lang
    }

    /// The final answer at a rejection threshold: out of scope when the likeliest intent is
    /// out of scope or its confidence is under the threshold.
    public func decided(threshold: Float) -> String {
        top == IntentDataset.outOfScope || confidence < threshold ? IntentDataset.outOfScope : top
    }
}
