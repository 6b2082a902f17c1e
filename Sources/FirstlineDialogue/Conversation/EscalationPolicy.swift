import Foundation

/// When the bot stops answering and fetches a person, as data. Defaults follow the support
/// practice in DESIGN.md; the service may change any of them.
public struct EscalationPolicy: Codable, Equatable, Sendable {
    /// The intent that asks for a person.
    public var humanRequestIntent = "human.request"
    /// The intents that mean yes / no after "did that help?".
    public var affirmIntent = "affirm", denyIntent = "deny"
    /// Intents answered without asking "did that help?".
    public var conversationalIntents: Set<String> = ["greeting", "thanks", "affirm", "deny", "goodbye", "feedback"]
    /// The intent that ends the conversation (answered, then the survey).
    public var goodbyeIntent = "goodbye"
    /// Consecutive not-understood turns that hand off (the turn before offers a person).
    public var lowConfidenceTurnsToHandoff = 2
    /// "No, that didn't help" answers that hand off (the first asks to rephrase).
    public var denialsToHandoff = 2
    /// Frustration words (from the bundle's lexicon) that raise priority and offer a person.
    public var frustrationHitsToEscalate = 2
    /// The department for everything without one of its own.
    public var generalDepartment = "general"
    /// How long a bot-handled chat may stay silent before it closes.
    public var idleTimeout: TimeInterval = 15 * 60

    public init() {}
}
