/// What the classifier decided about one message, with everything the dialogue and an agent
/// need: the language, the intent or none, how sure, the runners-up, and what was found in it.
public struct Classification: Sendable {
    /// An intent with its confidence.
    public struct Candidate: Hashable, Sendable {
        /// The intent id.
        public var intent: String
        /// Its probability, 0…1.
        public var confidence: Float
    }

    /// The message's locale (the caller's, or identified).
    public var locale: String
    /// How sure the language identification was (1 when the caller gave the locale).
    public var localeConfidence: Float
    /// The recognised intent; nil when the message is out of scope or too uncertain.
    public var intent: String?
    /// The confidence of the likeliest in-scope intent.
    public var confidence: Float
    /// The likeliest in-scope intents, most likely first.
    public var candidates: [Candidate]
    /// Whether the two likeliest intents are too close to call (the dialogue offers both).
    public var isAmbiguous: Bool
    /// Amounts, ids, dates, times and numbers found in the message.
    public var entities: [Token]
    /// Intents whose trainer keywords the message contains.
    public var keywordIntents: [String]
    /// How many distinct entries of the bundle's frustration lexicon the message contains.
    public var frustration: Int = 0

    /// Whether the bot did not understand the message.
    public var isOutOfScope: Bool { intent == nil }
}
