import FirstlineNLU

/// What the classifier made of one user message, in the Codable shape the dialogue records
/// in the journal (so a restart folds the same decisions without classifying again).
public struct Understanding: Codable, Equatable, Sendable {
    /// An intent with its confidence.
    public struct Candidate: Codable, Equatable, Sendable {
        public var intent: String
        public var confidence: Float
        public init(intent: String, confidence: Float) {
            self.intent = intent
            self.confidence = confidence
        }
    }

    /// A number found in the message: an amount, id, date, time or plain number.
    public struct Entity: Codable, Equatable, Sendable {
        public var kind: String
        public var text: String
        public init(kind: String, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// The message's locale.
    public var locale: String
    /// The recognised intent; nil when out of scope or too unsure.
    public var intent: String?
    /// The likeliest intent's confidence.
    public var confidence: Float
    /// The likeliest intents, most likely first.
    public var candidates: [Candidate]
    /// Whether the two likeliest are too close to call.
    public var isAmbiguous: Bool
    /// Numbers found in the message.
    public var entities: [Entity]
    /// Frustration words and phrases of the bundle's lexicon found in the message.
    public var frustration: Int

    /// Creates an understanding directly (tests, benchmarks).
    public init(locale: String, intent: String?, confidence: Float, candidates: [Candidate] = [], isAmbiguous: Bool = false, entities: [Entity] = [], frustration: Int = 0) {
        self.frustration = frustration
        self.locale = locale
        self.intent = intent
        self.confidence = confidence
        self.candidates = candidates
        self.isAmbiguous = isAmbiguous
        self.entities = entities
    }

    /// Converts a classification.
    public init(_ classification: Classification) {
        locale = classification.locale
        intent = classification.intent
        confidence = classification.confidence
        candidates = classification.candidates.map { Candidate(intent: $0.intent, confidence: $0.confidence) }
        isAmbiguous = classification.isAmbiguous
        entities = classification.entities.map { Entity(kind: $0.kind.rawValue, text: $0.text) }
        frustration = classification.frustration
    }
}
