/// How the intent classifier is trained. The defaults are the ones the README's figures
/// were measured with; none of them is tuned to one data set.
public struct ClassifierSettings: Codable, Hashable, Sendable {
    /// Which n-grams describe a message.
    public var features: FeatureSettings
    /// Regularisation of the support vector machines (larger fits the examples closer).
    public var cost: Float
    /// Additive smoothing of the naive Bayes view.
    public var bayesSmoothing: Float
    /// Share of the naive Bayes view in the blended score (0 = machines only).
    public var bayesShare: Float
    /// Sharpness of the softmax that turns blended scores into confidences.
    public var temperature: Float
    /// Whether character n-grams are weighted by inverse document frequency (word n-grams
    /// always are). Off by default: see `Vectorizer`.
    public var characterIDF: Bool

    /// The machines stop when no example violates the optimality conditions by more than
    /// this (in units of the margin). 0.1 is LIBLINEAR's default; looser stops sooner.
    public var tolerance: Float
    /// Features seen in fewer training messages than this get no column (1 keeps all).
    public var minimumDocumentFrequency: Int

    /// Creates settings.
    public init(
        features: FeatureSettings = FeatureSettings(), cost: Float = 1, bayesSmoothing: Float = 0.03,
        bayesShare: Float = 0.4, temperature: Float = 1.5, characterIDF: Bool = false,
        tolerance: Float = 0.1, minimumDocumentFrequency: Int = 1
    ) {
        self.tolerance = tolerance
        self.minimumDocumentFrequency = minimumDocumentFrequency
        self.characterIDF = characterIDF
        self.features = features
        self.cost = cost
        self.bayesSmoothing = bayesSmoothing
        self.bayesShare = bayesShare
        self.temperature = temperature
    }
}
