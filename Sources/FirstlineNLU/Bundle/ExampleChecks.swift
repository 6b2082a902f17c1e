/// The checks across a bundle's examples: an example with no words to learn from, the same
/// example twice in one intent (a warning) or under two intents (an error), and nearly the
/// same words under two intents (a warning). Each example's keys come from its token forms,
/// so these checks are most of the work of loading a bundle; `IntentBundle.load(from:)` runs
/// them, `loadDeferringExampleChecks` hands them to the caller.
///
/// The intents are checked in the order of their files (the first file to hold an example
/// owns it), and each file's problems are reported right after the loader's own problems with
/// that file — exactly as loading with the checks inline reports them.
public struct ExampleChecks: Sendable {
    /// An intent, the file it came from, and how many errors and warnings the loader had
    /// reported when it finished that file (where this file's check problems go).
    struct Entry: Sendable {
        let path: String
        let intent: IntentDefinition
        let errorsBefore: Int
        let warningsBefore: Int
    }

    /// In file order.
    let entries: [Entry]
    /// The loader's problems, into which these checks' problems are merged.
    let loaderProblems: BundleProblems
    /// The entries in the order of `IntentClassifier.examples(of:)`: by intent id.
    private let byID: [Int]
    /// Per entry, where its examples begin in that order (then by locale, then as listed).
    private let offsets: [Int]

    init(entries: [Entry], loaderProblems: BundleProblems) {
        self.entries = entries
        self.loaderProblems = loaderProblems
        byID = entries.indices.sorted { entries[$0].intent.id < entries[$1].intent.id }
        var offsets = [Int](repeating: 0, count: entries.count)
        var next = 0
        for e in byID {
            offsets[e] = next
            next += Self.exampleCount(entries[e].intent)
        }
        self.offsets = offsets
    }

    /// The same checks with the loader's final problems (those it found after the intents).
    func with(loaderProblems: BundleProblems) -> ExampleChecks {
        ExampleChecks(entries: entries, loaderProblems: loaderProblems)
    }

    /// Whether these are the checks of `bundle`'s examples (the same intents and example
    /// counts), so that forms computed from `IntentClassifier.examples(of: bundle)` fit them.
    func matches(_ bundle: IntentBundle) -> Bool {
        let mine = entries.map { ($0.intent.id, $0.intent.examples.mapValues(\.count)) }.sorted { $0.0 < $1.0 }
        let theirs = bundle.intents.map { ($0.id, $0.examples.mapValues(\.count)) }
        return mine.count == theirs.count && zip(mine, theirs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Every problem of the bundle: the loader's, with these checks' merged in.
    /// - Parameter onAllCores: compute the examples' keys on every core (false: on this
    ///   thread only, for a caller running them beside other work).
    /// - Complexity: O(total length of the examples).
    public func run(onAllCores: Bool = true) -> BundleProblems {
        // In the order of `IntentClassifier.examples(of:)`, which `offsets` index.
        let examples = byID.flatMap { e in
            let intent = entries[e].intent
            return intent.examples.keys.sorted().flatMap { locale in intent.examples[locale]!.map { (locale, $0) } }
        }
        return run(keys: onAllCores
            ? Parallel.map(examples) { ExampleKeys($0.1, locale: $0.0) } : examples.map { ExampleKeys($0.1, locale: $0.0) })
    }

    /// Every problem of the bundle, from the examples' token forms in the order of
    /// `IntentClassifier.examples(of:)` (as the classifier's training computed them).
    func run(forms: [TokenForms]) -> BundleProblems {
        guard forms.count == entries.reduce(0, { $0 + Self.exampleCount($1.intent) }) else {
            return run(onAllCores: false)
        }
        return run(keys: forms.map { ExampleKeys(forms: $0) })
    }

    private static func exampleCount(_ intent: IntentDefinition) -> Int {
        intent.examples.values.reduce(0) { $0 + $1.count }
    }

    private func run(keys: [ExampleKeys]) -> BundleProblems {
        var perEntry = [BundleProblems](repeating: BundleProblems(), count: entries.count)
        var owners: [UInt64: (intent: String, field: String)] = [:]  // folded example → first intent
        var wordSets: [UInt64: (intent: String, field: String, text: String)] = [:]  // content words → first owner
        for (e, entry) in entries.enumerated() {
            let intent = entry.intent, path = entry.path
            var next = offsets[e]
            for locale in intent.examples.keys.sorted() {
                var seenHere = Set<UInt64>()
                for (i, example) in intent.examples[locale]!.enumerated() {
                    let field = "examples.\(locale)[\(i)]"
                    let keys = keys[next]
                    next += 1
                    guard let key = keys.words else {
                        perEntry[e].error(path, field, "has no words to learn from; remove it")
                        continue
                    }
                    if !seenHere.insert(keys.exact).inserted {
                        perEntry[e].warning(path, field, "repeats an earlier example of this intent: \"\(example)\"")
                        continue
                    }
                    if let owner = owners[key], owner.intent != intent.id {
                        perEntry[e].error(path, field, "\"\(example)\" is also an example of \(owner.intent) (\(owner.field)); keep it under one intent")
                        continue
                    }
                    owners[key] = owners[key] ?? (intent.id, field)
                    // Near-duplicates: the same words in another order, repeated, or with other
                    // numbers and punctuation, under another intent.
                    guard let contentKey = keys.content else { continue }
                    if let other = wordSets[contentKey], other.intent != intent.id {
                        perEntry[e].warning(path, field, "\"\(example)\" is nearly the same as \"\(other.text)\" of \(other.intent) (\(other.field)); one of them may be under the wrong intent")
                    } else if wordSets[contentKey] == nil {
                        wordSets[contentKey] = (intent.id, field, example)
                    }
                }
            }
        }
        // Each file's problems after the loader's problems up to that file (last file first,
        // so the earlier positions still hold).
        var merged = loaderProblems
        for (e, entry) in entries.enumerated().reversed() {
            merged.errors.insert(contentsOf: perEntry[e].errors, at: min(entry.errorsBefore, merged.errors.count))
            merged.warnings.insert(contentsOf: perEntry[e].warnings, at: min(entry.warningsBefore, merged.warnings.count))
        }
        return merged
    }
}
