/// The bundle's classifier: trained from the bundle's examples when the bundle loads,
/// identifying the language among the bundle's locales, applying the trainer's keywords and
/// the bundle's thresholds. This is what the dialogue, `classify`, `eval` and `replay` call.
public struct IntentClassifier: Sendable {
    /// The bundle it was trained from.
    public let bundle: IntentBundle
    /// The trained model.
    public let model: IntentModel
    /// The language identifier.
    public let languages: LanguageIdentifier
    private let keywords: KeywordMatcher
    private let frustration: FrustrationLexicon
    private let outOfScopeLabel: Int?

    /// Trains on every example of the bundle.
    /// - Complexity: dominated by training the model (seconds for thousands of examples).
    public init(bundle: IntentBundle, settings: ClassifierSettings = .bundle) {
        self.init(bundle: bundle, examples: Self.examples(of: bundle), settings: settings)
    }

    /// Trains on every example of the bundle and runs the bundle's example checks (those
    /// `IntentBundle.loadDeferringExampleChecks` left) on the core the machines leave free,
    /// from the token forms the training computed. The caller must not use the classifier
    /// when the problems include errors.
    public static func training(
        _ bundle: IntentBundle, checking checks: ExampleChecks, settings: ClassifierSettings = .bundle
    ) -> (classifier: IntentClassifier, problems: BundleProblems) {
        train(bundle, examples(of: bundle), settings: settings, checks: checks)
    }

    /// Trains on the given examples only (k-fold evaluation holds some out).
    public init(bundle: IntentBundle, examples: [LabelledText], settings: ClassifierSettings = .bundle) {
        self = Self.train(bundle, examples, settings: settings, checks: nil).classifier
    }

    /// Tokenizes the examples once for the model, the language identifier and the checks.
    private static func train(
        _ bundle: IntentBundle, _ examples: [LabelledText], settings: ClassifierSettings, checks: ExampleChecks?
    ) -> (classifier: IntentClassifier, problems: BundleProblems) {
        let forms = Parallel.map(examples) { TokenForms(text: $0.text, locale: $0.locale) }
        var languageForms: [String: [TokenForms]] = [:]
        for (example, form) in zip(examples, forms) {
            if let locale = example.locale { languageForms[locale, default: []].append(form) }
        }
        // The bundle rejects by `thresholds.answer` on the confidence, so the model's
        // out-of-scope calibrator would not be used; fitting it (three more models) would
        // double start-up.
        var settings = settings
        settings.outOfScopeFolds = 0
        // The language identifier (on the examples, answers and messages) and the checks run
        // on the core the model's machines leave free (the feature extraction before them
        // uses every core).
        var languages: LanguageIdentifier?
        var problems = BundleProblems()
        let model = IntentModel(training: examples, settings: settings, forms: forms, beside: {
            // Each locale's texts in a fixed order: the intents are sorted, but the messages'
            // keys iterate in a different order in each process, and the identifier numbers its
            // features in the order it meets them (a model trained twice must save the same bytes).
            for intent in bundle.intents {
                for (locale, answers) in intent.answers {
                    languageForms[locale, default: []].append(contentsOf: answers.map { TokenForms(text: $0, locale: locale) })
                }
            }
            for (_, perLocale) in bundle.messages.sorted(by: { $0.key < $1.key }) {
                for (locale, text) in perLocale { languageForms[locale, default: []].append(TokenForms(text: text, locale: locale)) }
            }
            languages = LanguageIdentifier(forms: languageForms)
            if let checks {
                // The forms fit the checks only when they are this bundle's (else tokenize again).
                problems = checks.matches(bundle) ? checks.run(forms: forms) : checks.run(onAllCores: false)
            }
        })
        return (IntentClassifier(bundle: bundle, model: model, languages: languages!), problems)
    }

    /// A classifier from a trained model and language identifier (restored from `TrainedState`).
    init(bundle: IntentBundle, model trained: IntentModel, languages: LanguageIdentifier) {
        self.bundle = bundle
        self.model = trained
        self.languages = languages
        outOfScopeLabel = trained.labels.firstIndex(of: IntentDefinition.outOfScopeID)
        var keywordList: [(Int, [String])] = []
        for (label, id) in trained.labels.enumerated() {
            guard let intent = bundle.intent(id) else { continue }
            keywordList.append((label, intent.keywords.values.flatMap { $0 }))
        }
        keywords = KeywordMatcher(keywords: keywordList)
        frustration = FrustrationLexicon(bundle.frustration.values.flatMap { $0 })
    }

    /// Every example of the bundle, labelled with its intent and locale.
    public static func examples(of bundle: IntentBundle) -> [LabelledText] {
        bundle.intents.flatMap { intent in
            intent.examples.keys.sorted().flatMap { locale in
                intent.examples[locale]!.map { LabelledText(text: $0, label: intent.id, locale: locale) }
            }
        }
    }

    /// Classifies a message.
    /// - Parameters:
    ///   - locale: the caller's locale; it wins over identification.
    ///   - previousLocale: the conversation's language so far (a prior for identification).
    ///   - limit: how many candidates to return.
    /// - Complexity: O(length of the text · (labels + locales)).
    public func classify(_ text: String, locale: String? = nil, previousLocale: String? = nil, limit: Int = 3) -> Classification {
        let analysed = analyse(text, locale: locale, previousLocale: previousLocale)
        return classify(analysed.text, locale: analysed.locale, localeConfidence: analysed.confidence, limit: limit)
    }

    /// The text pipeline with the locale settled: given, or identified then re-folded.
    public func analyse(_ text: String, locale: String?, previousLocale: String?) -> (text: AnalysedText, locale: String, confidence: Float) {
        if let locale, bundle.locales.contains(locale) {
            return (AnalysedText(text, locale: locale), locale, 1)
        }
        let neutral = AnalysedText(text)
        let guess = languages.identify(
            neutral, previous: previousLocale, priorWeight: bundle.thresholds.languagePrior, fallback: bundle.defaultLocale)
        // Turkic folding differs from the neutral one only for I and İ.
        let hasCapitalI = text.unicodeScalars.contains { $0 == "I" || $0 == "\u{130}" }
        let folded = hasCapitalI && TextFolding.turkicLocales.contains(guess.locale) ? AnalysedText(text, locale: guess.locale) : neutral
        return (folded, guess.locale, guess.confidence)
    }

    func classify(_ analysed: AnalysedText, locale: String, localeConfidence: Float, limit: Int) -> Classification {
        let entities = analysed.foldedTokens.filter { $0.kind != .word }
        let frustrationHits = frustration.hits(in: analysed)
        guard !analysed.isEmpty else {
            return Classification(
                locale: locale, localeConfidence: localeConfidence, intent: nil, confidence: 0, candidates: [],
                isAmbiguous: false, entities: entities, keywordIntents: [], frustration: frustrationHits)
        }
        let matched = keywords.labels(in: analysed)
        var boosts: [Int: Float] = [:]
        for label in matched { boosts[label] = bundle.thresholds.keywordBoost }
        let probabilities = model.probabilities(from: model.scores(of: model.vector(of: analysed), boosts: boosts))
        var order = Array(probabilities.indices)
        order.sort { probabilities[$0] > probabilities[$1] }
        let topIsOutOfScope = order.first == outOfScopeLabel
        let candidates = order.lazy.filter { $0 != outOfScopeLabel }.prefix(max(limit, 2))
            .map { Classification.Candidate(intent: model.labels[$0], confidence: probabilities[$0]) }
        let best = candidates.first
        let thresholds = bundle.thresholds
        let accepted = !topIsOutOfScope && (best?.confidence ?? 0) >= thresholds.answer
        var isAmbiguous = false
        if candidates.count >= 2, let best {
            let second = candidates[1]
            isAmbiguous = !topIsOutOfScope && best.confidence - second.confidence < thresholds.ambiguityMargin
                && best.confidence + second.confidence >= thresholds.answer
        }
        return Classification(
            locale: locale, localeConfidence: localeConfidence, intent: accepted ? best?.intent : nil,
            confidence: best?.confidence ?? 0, candidates: Array(candidates.prefix(limit)),
            isAmbiguous: isAmbiguous, entities: entities, keywordIntents: matched.map { model.labels[$0] },
            frustration: frustrationHits)
    }
}
