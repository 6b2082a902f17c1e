/// The checks across a bundle's examples: an example with no words to learn from, the same
/// example twice in one intent (a warning) or under two intents (an error), and nearly the
/// same words under two intents (a warning). Each example's keys come from its token forms,
/// so these checks are most of the work of loading a bundle; `IntentBundle.load(from:)` runs
/// them, `loadDeferringExampleChecks` hands them to the caller.
public struct ExampleChecks: Sendable {
    /// An intent and the file it came from.
    struct Entry: Sendable {
        let path: String
        let intent: IntentDefinition
    }

    /// The intents in order of their ids: the order of `IntentBundle.intents`, so the examples
    /// come in the order of `IntentClassifier.examples(of:)`.
    let entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries.sorted { $0.intent.id < $1.intent.id }
    }

    /// The number of examples checked.
    var exampleCount: Int { entries.reduce(0) { $0 + $1.intent.examples.values.reduce(0) { $0 + $1.count } } }

    /// The problems found, intent by intent.
    /// - Parameter onAllCores: compute the examples' keys on every core (false: on this
    ///   thread only, for a caller running them beside other work).
    /// - Complexity: O(total length of the examples).
    public func run(onAllCores: Bool = true) -> BundleProblems {
        let examples = entries.flatMap { entry in
            entry.intent.examples.keys.sorted().flatMap { locale in entry.intent.examples[locale]!.map { (locale, $0) } }
        }
        return run(keys: onAllCores
            ? Parallel.map(examples) { ExampleKeys($0.1, locale: $0.0) } : examples.map { ExampleKeys($0.1, locale: $0.0) })
    }

    /// The problems found, from the examples' token forms in the order of
    /// `IntentClassifier.examples(of:)` (as the classifier's training computed them).
    func run(forms: [TokenForms]) -> BundleProblems {
        guard forms.count == exampleCount else { return run(onAllCores: false) }
        return run(keys: forms.map { ExampleKeys(forms: $0) })
    }

    private func run(keys: [ExampleKeys]) -> BundleProblems {
        var problems = BundleProblems()
        var next = 0
        var owners: [UInt64: (intent: String, field: String)] = [:]  // folded example → first intent
        var wordSets: [UInt64: (intent: String, field: String, text: String)] = [:]  // content words → first owner
        for entry in entries {
            let intent = entry.intent, path = entry.path
            for locale in intent.examples.keys.sorted() {
                var seenHere = Set<UInt64>()
                for (i, example) in intent.examples[locale]!.enumerated() {
                    let field = "examples.\(locale)[\(i)]"
                    let keys = keys[next]
                    next += 1
                    guard let key = keys.words else {
                        problems.error(path, field, "has no words to learn from; remove it")
                        continue
                    }
                    if !seenHere.insert(keys.exact).inserted {
                        problems.warning(path, field, "repeats an earlier example of this intent: \"\(example)\"")
                        continue
                    }
                    if let owner = owners[key], owner.intent != intent.id {
                        problems.error(path, field, "\"\(example)\" is also an example of \(owner.intent) (\(owner.field)); keep it under one intent")
                        continue
                    }
                    owners[key] = owners[key] ?? (intent.id, field)
                    // Near-duplicates: the same words in another order, repeated, or with other
                    // numbers and punctuation, under another intent.
                    guard let contentKey = keys.content else { continue }
                    if let other = wordSets[contentKey], other.intent != intent.id {
                        problems.warning(path, field, "\"\(example)\" is nearly the same as \"\(other.text)\" of \(other.intent) (\(other.field)); one of them may be under the wrong intent")
                    } else if wordSets[contentKey] == nil {
                        wordSets[contentKey] = (intent.id, field, example)
                    }
                }
            }
        }
        return problems
    }
}
