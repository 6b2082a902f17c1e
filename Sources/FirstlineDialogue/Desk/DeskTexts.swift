import FirstlineNLU

/// The bot's messages the desk sends, by name.
public enum BotMessage: Int, CaseIterable, Sendable {
    case greeting, fallback, clarify, didItHelp, notHelped, offerHuman, handoffQueued, offlineAck, agentJoined,
         agentLeft, handedBack, survey, surveyThanks, goodbye, idleClosed, frustration, yes, no, talkToHuman

    /// The key in the bundle's `messages`.
    public var key: String {
        switch self {
        case .greeting: return "greeting"
        case .fallback: return "fallback"
        case .clarify: return "clarify"
        case .didItHelp: return "did_it_help"
        case .notHelped: return "not_helped"
        case .offerHuman: return "offer_human"
        case .handoffQueued: return "handoff_queued"
        case .offlineAck: return "offline_ack"
        case .agentJoined: return "agent_joined"
        case .agentLeft: return "agent_left"
        case .handedBack: return "handed_back"
        case .survey: return "survey"
        case .surveyThanks: return "survey_thanks"
        case .goodbye: return "goodbye"
        case .idleClosed: return "idle_closed"
        case .frustration: return "frustration"
        case .yes: return "yes"
        case .no: return "no"
        case .talkToHuman: return "talk_to_human"
        }
    }
}

/// Everything the desk says, rendered once per bundle and indexed by locale position, so a
/// reply costs array reads instead of string hashing (the reducer handles ~10⁶ events/s).
struct DeskTexts: Sendable {
    /// What the desk needs to know of an intent, found with one lookup per turn.
    struct IntentEntry: Sendable {
        var definition: IntentDefinition
        var answers: [String]  // by locale position
        var isConversational: Bool
        var kind: String  // "answer:<id>"
    }

    let locales: [String]
    private let messages: [[String]]  // [message][locale]
    let intents: [String: IntentEntry]
    let humanButtons: [QuickReply]
    let yesNoButtons: [[QuickReply]]

    init(bundle: IntentBundle, policy: EscalationPolicy) {
        locales = bundle.locales
        messages = BotMessage.allCases.map { message in bundle.locales.map { bundle.message(message.key, locale: $0) } }
        var intents: [String: IntentEntry] = [:]
        for definition in bundle.intents {
            intents[definition.id] = IntentEntry(
                definition: definition,
                answers: bundle.locales.map { bundle.answer(definition.id, locale: $0) ?? bundle.message("fallback", locale: $0) },
                isConversational: policy.conversationalIntents.contains(definition.id), kind: "answer:\(definition.id)")
        }
        self.intents = intents
        humanButtons = bundle.locales.map { QuickReply(label: bundle.message("talk_to_human", locale: $0), value: QuickReply.human) }
        yesNoButtons = bundle.locales.map {
            [QuickReply(label: bundle.message("yes", locale: $0), value: QuickReply.yes),
             QuickReply(label: bundle.message("no", locale: $0), value: QuickReply.no)]
        }
    }

    /// The position of a locale (0 when unknown: sessions only hold bundle locales).
    @inline(__always)
    func index(_ locale: String) -> Int { locales.firstIndex(of: locale) ?? 0 }

    func text(_ message: BotMessage, _ locale: String) -> String { messages[message.rawValue][index(locale)] }
}
