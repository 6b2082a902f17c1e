/// One intent of the bundle (`Intents/<id>.json`): what users say, what the bot answers,
/// and what it does.
public struct IntentDefinition: Hashable, Sendable {
    /// What the bot does when this intent is recognised.
    public enum Action: String, Hashable, Sendable, CaseIterable {
        /// Answer from the intent's answers, then ask whether it helped.
        case answer
        /// Hand the chat to a person of the intent's department at once.
        case handoff
        /// Ask for each slot in turn, then hand off.
        case collect
        /// Nothing of its own: the out-of-scope examples, answered with the fallback message.
        case none
    }

    /// How urgently a handoff must be served.
    public enum Priority: String, Hashable, Sendable, CaseIterable, Comparable {
        case normal, high, urgent

        /// Rank: urgent > high > normal.
        public var rank: Int {
            switch self {
            case .normal: return 0
            case .high: return 1
            case .urgent: return 2
            }
        }

        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
    }

    /// A detail the bot asks for before handing off (`collect`).
    public struct Slot: Hashable, Sendable {
        /// Its name (`details`, `when`, `reference`).
        public var name: String
        /// The question per locale.
        public var prompt: [String: String]
    }

    /// The id, also the file name (`bonus.wagering`).
    public var id: String
    /// One line for trainers and agents.
    public var summary: String
    /// What the bot does.
    public var action: Action
    /// Where a handoff goes; for `answer` intents, where the chat goes when the answer did
    /// not help (nil: the general desk).
    public var department: String?
    /// Priority of the handoff.
    public var priority: Priority
    /// Details to collect (`collect` only).
    public var slots: [Slot]
    /// Trainer-set words or phrases per locale that boost this intent.
    public var keywords: [String: [String]]
    /// Training examples per locale.
    public var examples: [String: [String]]
    /// Answers per locale (one is chosen per reply); for handoffs, what the bot says while
    /// passing the chat on.
    public var answers: [String: [String]]

    /// The reserved id of out-of-scope examples.
    public static let outOfScopeID = "oos"

    /// Whether this is the out-of-scope pseudo-intent.
    public var isOutOfScope: Bool { id == Self.outOfScopeID }
}
