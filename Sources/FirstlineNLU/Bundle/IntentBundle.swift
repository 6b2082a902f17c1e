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
        /// Added to the blended score of an intent whose trainer keyword the message contains.
        public var keywordBoost: Float = 0.3
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
    public var messages: [String: [String: String]] { didSet { rebuild() } }
    /// Site facts for placeholders: key → locale → value (a fact given as one string has the
    /// same value in every locale).
    public var siteFacts: [String: [String: String]] { didSet { rebuild() } }
    /// Words and phrases that signal frustration, per locale.
    public var frustration: [String: [String]]
    /// The intents, sorted by id (the out-of-scope examples included as `oos`).
    public var intents: [IntentDefinition] {
        didSet { rebuild() }
    }
    private var intentIndex: [String: Int] = [:]
    /// Answers and messages with the site facts already filled in, per locale: the texts
    /// never change while the bundle is loaded, so replies cost a lookup, not a scan.
    /// Indexed by the position of the locale in `locales` (six at most: a comparison of
    /// short strings is cheaper than hashing them).
    private var renderedAnswers: [String: [[String]]] = [:]
    private var renderedMessages: [String: [String?]] = [:]

    /// Creates a bundle (the loader validates; this does not).
    public init(
        directory: String, locales: [String], defaultLocale: String, thresholds: Thresholds,
        departments: [String: Department], messages: [String: [String: String]], siteFacts: [String: [String: String]],
        frustration: [String: [String]], intents: [IntentDefinition]
    ) {
        self.directory = directory
        self.locales = locales
        self.defaultLocale = defaultLocale
        self.thresholds = thresholds
        self.departments = departments
        self.messages = messages
        self.siteFacts = siteFacts
        self.frustration = frustration
        self.intents = intents
        rebuild()
    }

    private mutating func rebuild() {
        intentIndex = Dictionary(intents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        renderedAnswers = [:]
        for intent in intents {
            renderedAnswers[intent.id] = locales.map { locale in
                (intent.answers[locale] ?? intent.answers[defaultLocale] ?? []).map { fill($0, locale: locale, values: [:]) }
            }
        }
        renderedMessages = messages.mapValues { perLocale in
            locales.map { locale in (perLocale[locale] ?? perLocale[defaultLocale]).map { fill($0, locale: locale, values: [:]) } }
        }
    }

    /// The position of a locale in `locales`, or of the default locale.
    @inline(__always)
    private func localeIndex(_ locale: String) -> Int? {
        locales.firstIndex(of: locale) ?? locales.firstIndex(of: defaultLocale)
    }

    /// The intent with this id.
    /// - Complexity: O(1).
    public func intent(_ id: String) -> IntentDefinition? { intentIndex[id].map { intents[$0] } }

    /// A bot message in `locale` (falling back to the default locale) with placeholders
    /// filled from `values` and the site facts.
    /// - Complexity: a lookup when `values` is empty; O(length) to fill runtime values.
    public func message(_ key: String, locale: String, values: [String: String] = [:]) -> String {
        let text = localeIndex(locale).flatMap { renderedMessages[key]?[$0] } ?? key
        return values.isEmpty ? text : fill(text, locale: locale, values: values)
    }

    /// An answer of an intent in `locale`; `variant` picks among several answers.
    /// - Complexity: a lookup (site facts are filled in when the bundle is built).
    public func answer(_ intentID: String, locale: String, variant: Int = 0) -> String? {
        guard let rendered = renderedAnswers[intentID], let index = localeIndex(locale) else { return nil }
        let answers = rendered[index]
        return answers.isEmpty ? nil : answers[abs(variant) % answers.count]
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
