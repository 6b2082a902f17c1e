/// Everything a site installs besides the engine: locales, thresholds, departments, the bot's
/// own messages, site facts and the intents (`Intents/bundle.json` + `Intents/<id>.json`).
///
/// Load it with `IntentBundle.load(from:)`, which validates every file and reports every
/// problem with its file, field and fix.
public struct IntentBundle: Sendable {
    /// The newest `format` this engine reads.
    public static let supportedFormat = 1

    /// Confidence thresholds of the dialogue.
    public struct Thresholds: Hashable, Sendable {
        /// Under this confidence a message is treated as not understood (out of scope).
        public var answer: Float
        /// When the two likeliest intents are closer than this, the bot asks which one.
        public var ambiguityMargin: Float
        /// Weight (in log-odds) of the conversation's language so far in language identification.
        public var languagePrior: Float
    }

    /// A team that takes handoffs.
    public struct Department: Hashable, Sendable {
        /// Its id (`payments`).
        public var id: String
        /// Display name per locale.
        public var name: [String: String]
        /// Target minutes to a first agent reply.
        public var slaMinutes: Int
        /// Promised hours to a reply when nobody is online (the offline acknowledgement).
        public var responseHours: Int
    }

    /// Where the bundle was read from.
    public var directory: String
    /// Supported locales, e.g. `["tr", "az", "lt", "pl", "ru", "en"]`.
    public var locales: [String]
    /// The locale used when nothing tells the user's language.
    public var defaultLocale: String
    /// Thresholds.
    public var thresholds: Thresholds
    /// Departments by id.
    public var departments: [String: Department]
    /// The bot's own messages: key → locale → text.
    public var messages: [String: [String: String]]
    /// Site facts for placeholders: key → locale → value (a fact given as one string has the
    /// same value in every locale).
    public var siteFacts: [String: [String: String]]
    /// Words and phrases that signal frustration, per locale.
    public var frustration: [String: [String]]
    /// The intents, sorted by id (the out-of-scope examples included as `oos`).
    public var intents: [IntentDefinition]

    /// The intent with this id.
    public func intent(_ id: String) -> IntentDefinition? { intents.first { $0.id == id } }

    /// A bot message in `locale` (falling back to the default locale) with placeholders
    /// filled from `values` and the site facts.
    public func message(_ key: String, locale: String, values: [String: String] = [:]) -> String {
        let texts = messages[key] ?? [:]
        let text = texts[locale] ?? texts[defaultLocale] ?? key
        return fill(text, locale: locale, values: values)
    }

    /// An answer of an intent in `locale`; `variant` picks among several answers.
    public func answer(_ intentID: String, locale: String, variant: Int = 0) -> String? {
        guard let intent = intent(intentID) else { return nil }
        guard let answers = intent.answers[locale] ?? intent.answers[defaultLocale], !answers.isEmpty else { return nil }
        return fill(answers[abs(variant) % answers.count], locale: locale, values: [:])
    }

    /// Replaces `{{name}}` with `values[name]` or the site fact `name`; unknown names stay.
    public func fill(_ text: String, locale: String, values: [String: String]) -> String {
        Placeholders.fill(text) { name in
            if let value = values[name] { return value }
            if let fact = siteFacts[name] { return fact[locale] ?? fact[defaultLocale] ?? fact.values.first }
            return nil
        }
    }
}
