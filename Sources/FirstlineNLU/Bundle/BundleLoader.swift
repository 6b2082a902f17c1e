import Foundation

/// Reads and validates an intent bundle directory, collecting every problem instead of
/// stopping at the first, so one `firstline lint` run shows a trainer all there is to fix.
struct BundleLoader {
    /// Messages the dialogue needs, with the runtime values each may use.
    static let requiredMessages: [String: Set<String>] = [
        "greeting": [], "fallback": [], "clarify": ["option1", "option2"], "did_it_help": [],
        "not_helped": [], "offer_human": [], "handoff_queued": ["department", "position", "wait"],
        "offline_ack": ["department", "ticket", "response_time"], "agent_joined": ["agent"],
        "agent_left": ["agent"], "handed_back": [], "survey": [], "survey_thanks": [], "goodbye": [],
        "idle_closed": [], "frustration": [], "yes": [], "no": [], "talk_to_human": [],
    ]
    static let bundleFields: Set<String> = [
        "format", "locales", "default_locale", "thresholds", "departments", "messages", "site", "frustration",
    ]
    static let intentFields: Set<String> = [
        "id", "summary", "action", "department", "priority", "slots", "keywords", "examples", "answers",
    ]

    let directory: String
    var problems = BundleProblems()
    /// Leave the examples' cross-checks to the caller (`deferredChecks`).
    var deferExampleChecks = false
    /// The cross-checks left to the caller.
    var deferredChecks: ExampleChecks?

    init(directory: String) { self.directory = directory }

    mutating func load() -> IntentBundle? {
        let bundlePath = (directory as NSString).appendingPathComponent("bundle.json")
        guard let root = readObject(bundlePath) else { return nil }
        let file = bundlePath
        for key in root.keys.sorted() where !Self.bundleFields.contains(key) {
            problems.error(file, key, "unknown field; expected one of \(Self.bundleFields.sorted().joined(separator: ", "))")
        }
        if let format = JSONNumber.integer(root["format"]), format > IntentBundle.supportedFormat {
            problems.error(file, "format", "is \(format), newer than this engine reads (\(IntentBundle.supportedFormat)); upgrade firstline")
        } else if root["format"] != nil, JSONNumber.integer(root["format"]) == nil {
            problems.error(file, "format", "must be a whole number")
        }
        let locales = stringList(root["locales"], file, "locales") ?? []
        if locales.isEmpty { problems.error(file, "locales", "must list at least one locale, e.g. [\"en\"]") }
        var seenLocales = Set<String>()
        for (i, locale) in locales.enumerated() {
            if !isLocaleCode(locale) { problems.error(file, "locales[\(i)]", "\"\(locale)\" is not a locale code (two or three lower-case letters)") }
            if !seenLocales.insert(locale).inserted { problems.error(file, "locales[\(i)]", "\"\(locale)\" is listed twice") }
        }
        let defaultLocale = root["default_locale"] as? String ?? locales.first ?? "en"
        if root["default_locale"] != nil, !locales.contains(defaultLocale) {
            problems.error(file, "default_locale", "\"\(defaultLocale)\" is not one of the locales \(locales)")
        }
        let thresholds = readThresholds(root["thresholds"], file)
        let departments = readDepartments(root["departments"], file, locales: seenLocales)
        let siteFacts = readFacts(root["site"], file, locales: seenLocales)
        let messages = readMessages(root["messages"], file, locales: seenLocales, facts: siteFacts)
        var frustration: [String: [String]] = [:]
        if let object = root["frustration"] {
            frustration = perLocaleLists(object, file, "frustration", locales: seenLocales)
        }
        let intents = readIntents(locales: seenLocales, departments: departments, facts: siteFacts)
        guard problems.errors.isEmpty else { return nil }
        return IntentBundle(
            directory: directory, locales: locales, defaultLocale: defaultLocale, thresholds: thresholds,
            departments: departments, messages: messages, siteFacts: siteFacts, frustration: frustration,
            intents: intents)
    }

    // MARK: Files

    /// Reads a JSON object from a file, reporting unreadable files, bad UTF-8 and bad JSON.
    mutating func readObject(_ path: String) -> [String: Any]? {
        report(Self.parseObject(path), path)
    }

    /// A file read and parsed, or what is wrong with it (parsing needs no loader, so the
    /// intent files are parsed on all cores).
    enum ParsedFile {
        case object([String: Any])
        case problem(String)
    }

    static func parseObject(_ path: String) -> ParsedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .problem("cannot be read (missing file or no permission)")
        }
        guard String(validating: data, as: UTF8.self) != nil else {
            return .problem("is not valid UTF-8; save it as UTF-8")
        }
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return .problem("must hold one JSON object ({ ... })")
            }
            return .object(object)
        } catch {
            return .problem("is not valid JSON: \(Self.describe(error, in: data))")
        }
    }

    mutating func report(_ parsed: ParsedFile, _ path: String) -> [String: Any]? {
        switch parsed {
        case let .object(object): return object
        case let .problem(problem):
            problems.error(path, nil, problem)
            return nil
        }
    }

    /// A JSON error with the line and column where the parser stopped.
    static func describe(_ error: Error, in data: Data) -> String {
        let nsError = error as NSError
        let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
        var index = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int
        if index == nil, let range = detail.range(of: "character ") {
            index = Int(detail[range.upperBound...].prefix { $0.isNumber })
        }
        if let index, index <= data.count {
            let prefix = data.prefix(index)
            let line = prefix.filter { $0 == 0x0A }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return "\(detail) (line \(line), column \(column))"
        }
        return detail
    }

    // MARK: bundle.json parts

    mutating func readThresholds(_ value: Any?, _ file: String) -> IntentBundle.Thresholds {
        var thresholds = IntentBundle.Thresholds(answer: 0.35, ambiguityMargin: 0.1, languagePrior: 2)
        guard let value else { return thresholds }
        guard let object = value as? [String: Any] else {
            problems.error(file, "thresholds", "must be an object like {\"answer\": 0.35, \"ambiguity_margin\": 0.1}")
            return thresholds
        }
        for key in object.keys.sorted() where !["answer", "ambiguity_margin", "language_prior", "keyword_boost"].contains(key) {
            problems.error(file, "thresholds.\(key)", "unknown threshold; expected answer, ambiguity_margin, language_prior or keyword_boost")
        }
        func number(_ key: String, in range: ClosedRange<Double>) -> Float? {
            guard let raw = object[key] else { return nil }
            guard let number = JSONNumber.double(raw), range.contains(number) else {
                problems.error(file, "thresholds.\(key)", "must be a number between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            return Float(number)
        }
        if let v = number("answer", in: 0...1) { thresholds.answer = v }
        if let v = number("ambiguity_margin", in: 0...1) { thresholds.ambiguityMargin = v }
        if let v = number("language_prior", in: 0...50) { thresholds.languagePrior = v }
        if let v = number("keyword_boost", in: 0...10) { thresholds.keywordBoost = v }
        return thresholds
    }

    mutating func readDepartments(_ value: Any?, _ file: String, locales: Set<String>) -> [String: IntentBundle.Department] {
        guard let object = value as? [String: Any], !object.isEmpty else {
            problems.error(file, "departments", "must be an object of departments, e.g. {\"general\": {\"name\": {...}, \"sla_minutes\": 15}}")
            return [:]
        }
        var departments: [String: IntentBundle.Department] = [:]
        for id in object.keys.sorted() {
            let field = "departments.\(id)"
            guard let entry = object[id] as? [String: Any] else {
                problems.error(file, field, "must be an object with name, sla_minutes and response_hours")
                continue
            }
            let names = perLocaleStrings(entry["name"], file, field + ".name", locales: locales, required: true)
            let sla = positiveInt(entry["sla_minutes"], file, field + ".sla_minutes") ?? 15
            let hours = positiveInt(entry["response_hours"], file, field + ".response_hours") ?? 24
            departments[id] = IntentBundle.Department(id: id, name: names, slaMinutes: sla, responseHours: hours)
        }
        if departments["general"] == nil {
            problems.error(file, "departments", "needs a \"general\" department: chats that fit no other team go there")
        }
        return departments
    }

    mutating func readFacts(_ value: Any?, _ file: String, locales: Set<String>) -> [String: [String: String]] {
        guard let value else { return [:] }
        guard let object = value as? [String: Any] else {
            problems.error(file, "site", "must be an object of facts, e.g. {\"site.name\": \"DemoBet\"}")
            return [:]
        }
        var facts: [String: [String: String]] = [:]
        for key in object.keys.sorted() {
            if let text = object[key] as? String {
                if text.isEmpty { problems.error(file, "site.\(key)", "is empty") }
                facts[key] = Dictionary(uniqueKeysWithValues: locales.map { ($0, text) })
            } else if object[key] is [String: Any] {
                facts[key] = perLocaleStrings(object[key], file, "site.\(key)", locales: locales, required: true)
            } else {
                problems.error(file, "site.\(key)", "must be a string or an object of strings per locale")
            }
        }
        return facts
    }

    mutating func readMessages(
        _ value: Any?, _ file: String, locales: Set<String>, facts: [String: [String: String]]
    ) -> [String: [String: String]] {
        guard let object = value as? [String: Any] else {
            problems.error(file, "messages", "must be an object of the bot's messages per locale")
            return [:]
        }
        var messages: [String: [String: String]] = [:]
        for key in Self.requiredMessages.keys.sorted() where object[key] == nil {
            problems.error(file, "messages.\(key)", "is missing; the dialogue needs it in every locale")
        }
        for key in object.keys.sorted() {
            let texts = perLocaleStrings(object[key], file, "messages.\(key)", locales: locales, required: true)
            let runtime = Self.requiredMessages[key] ?? []
            for (locale, text) in texts.sorted(by: { $0.key < $1.key }) {
                checkPlaceholders(text, file, "messages.\(key).\(locale)", facts: facts, runtime: runtime)
            }
            messages[key] = texts
        }
        return messages
    }

    // MARK: Intents

    mutating func readIntents(
        locales: Set<String>, departments: [String: IntentBundle.Department], facts: [String: [String: String]]
    ) -> [IntentDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") && $0 != "bundle.json" }.sorted()
        } catch {
            problems.error(directory, nil, "cannot be listed: \(error.localizedDescription)")
            return []
        }
        var intents: [IntentDefinition] = []
        let paths = names.map { (directory as NSString).appendingPathComponent($0) }
        let parsed = Parallel.map(paths, minimumChunk: 1, Self.parseObject)
        var read: [ExampleChecks.Entry] = []
        for (name, (path, file)) in zip(names, zip(paths, parsed)) {
            guard let object = report(file, path) else { continue }
            guard let intent = readIntent(object, path, expectedID: String(name.dropLast(5)), locales: locales, departments: departments, facts: facts) else { continue }
            if intents.contains(where: { $0.id == intent.id }) {
                problems.error(path, "id", "\"\(intent.id)\" is already defined by another file")
                continue
            }
            intents.append(intent)
            read.append(ExampleChecks.Entry(
                path: path, intent: intent, errorsBefore: problems.errors.count, warningsBefore: problems.warnings.count))
        }
        let checks = ExampleChecks(entries: read, loaderProblems: problems)
        if deferExampleChecks {
            deferredChecks = checks
        } else {
            problems = checks.run()
        }
        let real = intents.filter { !$0.isOutOfScope }
        if real.isEmpty { problems.error(directory, nil, "has no intent files; add Intents/<id>.json") }
        for locale in locales.sorted() where !real.isEmpty {
            if !real.contains(where: { !($0.examples[locale] ?? []).isEmpty }) {
                problems.error(directory, nil, "no intent has examples in locale \(locale)")
            }
        }
        return intents.sorted { $0.id < $1.id }
    }

    mutating func readIntent(
        _ object: [String: Any], _ file: String, expectedID: String, locales: Set<String>,
        departments: [String: IntentBundle.Department], facts: [String: [String: String]]
    ) -> IntentDefinition? {
        let errorsBefore = problems.errors.count
        for key in object.keys.sorted() where !Self.intentFields.contains(key) {
            problems.error(file, key, "unknown field; expected one of \(Self.intentFields.sorted().joined(separator: ", "))")
        }
        guard let id = object["id"] as? String, !id.isEmpty else {
            problems.error(file, "id", "is missing; it must be the file name without .json (\"\(expectedID)\")")
            return nil
        }
        if id != expectedID { problems.error(file, "id", "is \"\(id)\" but the file is named \(expectedID).json; they must match") }
        let summary = object["summary"] as? String ?? ""
        if summary.isEmpty { problems.warning(file, "summary", "is missing; agents and trainers read it") }
        let isOutOfScope = id == IntentDefinition.outOfScopeID
        var action = IntentDefinition.Action.none
        if let raw = object["action"] as? String, let parsed = IntentDefinition.Action(rawValue: raw) {
            action = parsed
        } else if !isOutOfScope || object["action"] != nil {
            problems.error(file, "action", "must be one of answer, handoff, collect\(isOutOfScope ? ", none" : "")")
        }
        if isOutOfScope && action != .none { problems.error(file, "action", "the out-of-scope examples (oos) take no action; use \"none\"") }
        if !isOutOfScope && action == .none { problems.error(file, "action", "\"none\" is only for oos; use answer, handoff or collect") }
        let department = object["department"] as? String
        if object["department"] != nil && department == nil { problems.error(file, "department", "must be a string") }
        if let department, departments[department] == nil {
            problems.error(file, "department", "\"\(department)\" is not a department of bundle.json (\(departments.keys.sorted().joined(separator: ", ")))")
        }
        if (action == .handoff || action == .collect) && department == nil {
            problems.error(file, "department", "is required for \(action.rawValue): which team takes the chat?")
        }
        var priority = IntentDefinition.Priority.normal
        if let raw = object["priority"] {
            if let text = raw as? String, let parsed = IntentDefinition.Priority(rawValue: text) { priority = parsed } else {
                problems.error(file, "priority", "must be normal, high or urgent")
            }
        }
        var slots: [IntentDefinition.Slot] = []
        if let raw = object["slots"] {
            if let list = raw as? [[String: Any]] {
                for (i, entry) in list.enumerated() {
                    guard let name = entry["name"] as? String, !name.isEmpty else {
                        problems.error(file, "slots[\(i)].name", "is missing")
                        continue
                    }
                    let prompt = perLocaleStrings(entry["prompt"], file, "slots[\(i)].prompt", locales: locales, required: true)
                    slots.append(.init(name: name, prompt: prompt))
                }
            } else {
                problems.error(file, "slots", "must be a list of {\"name\", \"prompt\": {locale: text}}")
            }
        }
        if action == .collect && slots.isEmpty { problems.error(file, "slots", "collect needs at least one slot to ask for") }
        if action != .collect && !slots.isEmpty { problems.error(file, "slots", "only collect intents ask for slots") }
        let keywords = object["keywords"].map { perLocaleLists($0, file, "keywords", locales: locales) } ?? [:]
        let examples = perLocaleLists(object["examples"] ?? [String: Any](), file, "examples", locales: locales)
        if !isOutOfScope {
            for locale in locales.sorted() where (examples[locale] ?? []).isEmpty {
                problems.error(file, "examples.\(locale)", "has no examples; write at least a few as users type them")
            }
        }
        var answers: [String: [String]] = [:]
        if let raw = object["answers"] {
            guard let map = raw as? [String: Any] else {
                problems.error(file, "answers", "must be an object: locale → text (or list of texts)")
                return nil
            }
            for locale in map.keys.sorted() {
                let field = "answers.\(locale)"
                if !locales.contains(locale) { problems.error(file, field, "\"\(locale)\" is not a locale of bundle.json") }
                var texts: [String] = []
                if let text = map[locale] as? String { texts = [text] } else if let list = map[locale] as? [String] { texts = list } else {
                    problems.error(file, field, "must be a string or a list of strings")
                }
                if texts.isEmpty || texts.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                    problems.error(file, field, "is empty; write what the bot says")
                }
                for text in texts { checkPlaceholders(text, file, field, facts: facts, runtime: []) }
                answers[locale] = texts
            }
        }
        if !isOutOfScope {
            for locale in locales.sorted() where answers[locale] == nil {
                problems.error(file, "answers.\(locale)", "is missing; every intent needs an answer in every locale")
            }
        }
        guard problems.errors.count == errorsBefore else { return nil }
        return IntentDefinition(
            id: id, summary: summary, action: action, department: department, priority: priority, slots: slots,
            keywords: keywords, examples: examples, answers: answers)
    }

    // MARK: Helpers

    mutating func checkPlaceholders(_ text: String, _ file: String, _ field: String, facts: [String: [String: String]], runtime: Set<String>) {
        do {
            for name in try Placeholders.names(in: text) where facts[name] == nil && !runtime.contains(name) {
                let allowed = (runtime.sorted() + facts.keys.sorted()).joined(separator: ", ")
                problems.error(file, field, "placeholder {{\(name)}} has no site fact in bundle.json \"site\" (here you may use: \(allowed))")
            }
        } catch let malformed as Placeholders.Malformed {
            problems.error(file, field, "malformed placeholder near \"\(malformed.fragment)\"; write {{name}}")
        } catch {
            problems.error(file, field, "\(error)")
        }
    }

    mutating func perLocaleStrings(_ value: Any?, _ file: String, _ field: String, locales: Set<String>, required: Bool) -> [String: String] {
        guard let object = value as? [String: Any] else {
            problems.error(file, field, "must be an object: locale → text")
            return [:]
        }
        var result: [String: String] = [:]
        for locale in object.keys.sorted() {
            if !locales.contains(locale) {
                problems.error(file, "\(field).\(locale)", "\"\(locale)\" is not a locale of bundle.json")
                continue
            }
            guard let text = object[locale] as? String, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                problems.error(file, "\(field).\(locale)", "must be a non-empty string")
                continue
            }
            result[locale] = text
        }
        if required {
            for locale in locales.sorted() where object[locale] == nil {
                problems.error(file, "\(field).\(locale)", "is missing")
            }
        }
        return result
    }

    mutating func perLocaleLists(_ value: Any, _ file: String, _ field: String, locales: Set<String>) -> [String: [String]] {
        guard let object = value as? [String: Any] else {
            problems.error(file, field, "must be an object: locale → list of strings")
            return [:]
        }
        var result: [String: [String]] = [:]
        for locale in object.keys.sorted() {
            if !locales.contains(locale) {
                problems.error(file, "\(field).\(locale)", "\"\(locale)\" is not a locale of bundle.json")
                continue
            }
            guard let list = object[locale] as? [Any] else {
                problems.error(file, "\(field).\(locale)", "must be a list of strings")
                continue
            }
            var texts: [String] = []
            for (i, item) in list.enumerated() {
                guard let text = item as? String, text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                    problems.error(file, "\(field).\(locale)[\(i)]", "must be a non-empty string")
                    continue
                }
                texts.append(text)
            }
            result[locale] = texts
        }
        return result
    }

    mutating func stringList(_ value: Any?, _ file: String, _ field: String) -> [String]? {
        guard let value else {
            problems.error(file, field, "is missing")
            return nil
        }
        guard let list = value as? [String] else {
            problems.error(file, field, "must be a list of strings")
            return nil
        }
        return list
    }

    mutating func positiveInt(_ value: Any?, _ file: String, _ field: String) -> Int? {
        guard let value else { return nil }
        guard let number = JSONNumber.integer(value), number > 0 else {
            problems.error(file, field, "must be a whole number above 0")
            return nil
        }
        return number
    }

    func isLocaleCode(_ code: String) -> Bool {
        (2...3).contains(code.count) && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
    }
}

extension IntentBundle {
    /// Loads and validates the bundle in `directory`.
    /// - Returns: the bundle and the warnings found.
    /// - Throws: `BundleProblems` with every error (and warning) found.
    public static func load(from directory: String) throws(BundleProblems) -> (bundle: IntentBundle, warnings: [NLUError]) {
        var loader = BundleLoader(directory: directory)
        guard let bundle = loader.load() else { throw loader.problems }
        return (bundle, loader.problems.warnings)
    }

    /// Loads a bundle as `load(from:)` does but for the cross-checks of the examples (the
    /// same example under two intents, an example without words, repeats and near-repeats):
    /// those are returned to run later — they take most of the loading time, and a caller that
    /// trains a classifier can run them on the core the training leaves free. Their `run`
    /// returns every problem of the bundle, the loader's warnings included, in the order
    /// `load(from:)` gives. The bundle's content does not depend on them; a caller must not use
    /// the bundle if they find errors. A bundle refused by the loader is refused with all its
    /// problems, as by `load(from:)`.
    public static func loadDeferringExampleChecks(from directory: String) throws(BundleProblems) -> (bundle: IntentBundle, checks: ExampleChecks) {
        var loader = BundleLoader(directory: directory)
        loader.deferExampleChecks = true
        let bundle = loader.load()
        // With every problem the loader found, also those after the intents.
        let checks = loader.deferredChecks?.with(loaderProblems: loader.problems)
        guard let bundle, let checks else {
            // Refused anyway: with the examples' problems too, as `load(from:)` reports them.
            throw checks?.run() ?? loader.problems
        }
        return (bundle, checks)
    }
}

/// What the loader compares examples by, as 64-bit hashes of the token forms (the classifier's
/// text pipeline without building strings): the same hash is the same text to the classifier.
struct ExampleKeys {
    /// The diacritic-free feature forms in order; nil when the example has no tokens.
    var words: UInt64?
    /// The feature forms with diacritics, in order.
    var exact: UInt64
    /// The set of distinct diacritic-free words, when there are at least two.
    var content: UInt64?

    init(_ text: String, locale: String) {
        self.init(forms: TokenForms(text: text, locale: locale))
    }

    /// The keys of an example from its token forms (`TokenForms(text:locale:)`).
    init(forms: TokenForms) {
        guard !forms.tokens.isEmpty else {
            words = nil
            exact = 0
            content = nil
            return
        }
        func hash(_ range: Range<Int>, into running: inout UInt64) {
            for i in range { running = FeatureHash.add(running, forms.scalars[i]) }
            running = FeatureHash.add(running, 0x20)
        }
        var words = FeatureHash.start(.word), exact = FeatureHash.start(.exactWord)
        var content: [UInt64] = []
        for token in forms.tokens {
            hash(token.form, into: &words)
            hash(token.exact.isEmpty ? token.form : token.exact, into: &exact)
            if token.kind == .word {
                var word = FeatureHash.start(.word)
                hash(token.form, into: &word)
                content.append(FeatureHash.finish(word))
            }
        }
        self.words = FeatureHash.finish(words)
        self.exact = FeatureHash.finish(exact)
        content.sort()
        var distinct = 0
        var set = FeatureHash.start(.characters)
        for (i, word) in content.enumerated() where i == 0 || word != content[i - 1] {
            set = FeatureHash.finish(set ^ word)
            distinct += 1
        }
        self.content = distinct >= 2 ? set : nil
    }
}
