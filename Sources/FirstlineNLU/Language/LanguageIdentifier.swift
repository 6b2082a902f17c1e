import Foundation

/// Tells which of the bundle's locales a message is written in: multinomial naive Bayes over
/// character 1–3-grams of the folded text (diacritics kept: `ə`, `ı`, `ł`, `ė` are strong
/// evidence) and whole words in both folded forms (so "salam" vs "selam" and diacritic-free
/// "sifre" still carry their language).
///
/// Only the bundle's locales compete, and the conversation's language so far is a prior,
/// which is what keeps two-word replies ("ok thanks", "yox") in the user's language.
public struct LanguageIdentifier: Sendable {
    /// A guess.
    public struct Guess: Hashable, Sendable {
        /// The likeliest locale.
        public var locale: String
        /// Its probability among the candidate locales, 0…1.
        public var confidence: Float
    }

    /// The candidate locales.
    public let locales: [String]
    let index: FeatureIndex
    /// `logLikelihoods[column * locales.count + locale]`.
    let logLikelihoods: [Float]
    /// Per locale: the log-likelihood of a feature seen in training but never in that locale.
    let unseen: [Float]

    /// An identifier as saved by `TrainedState`.
    init(restoring locales: [String], index: FeatureIndex, logLikelihoods: [Float], unseen: [Float]) throws(TrainedStateError) {
        guard !locales.isEmpty, unseen.count == locales.count, logLikelihoods.count == index.count * locales.count else {
            throw TrainedStateError("the language tables' shapes do not agree")
        }
        self.locales = locales
        self.index = index
        self.logLikelihoods = logLikelihoods
        self.unseen = unseen
    }

    /// Learns the locales from texts per locale.
    /// - Complexity: O(total length of the texts).
    public init(texts: [String: [String]], smoothing: Float = 0.5) {
        self.init(forms: Dictionary(uniqueKeysWithValues: texts.map { locale, texts in
            (locale, texts.map { TokenForms(text: $0, locale: locale) })
        }), smoothing: smoothing)
    }

    /// Learns the locales from the token forms of texts per locale (`TokenForms(text:locale:)`
    /// with the text's own locale), for a caller that has them already.
    init(forms: [String: [TokenForms]], smoothing: Float = 0.5) {
        let locales = forms.keys.sorted()
        self.locales = locales
        var index = FeatureIndex(capacity: 1 << 15)
        var counts: [Float] = []
        var totals = [Float](repeating: 0, count: locales.count)
        for (l, locale) in locales.enumerated() {
            for text in forms[locale] ?? [] {
                Self.visitFeatures(text) { hash in
                    let column = Int(index.insert(hash))
                    if column * locales.count >= counts.count { counts.append(contentsOf: repeatElement(0, count: locales.count)) }
                    counts[column * locales.count + l] += 1
                    totals[l] += 1
                }
            }
        }
        let vocabulary = Float(index.count)
        let denominators = totals.map { logf($0 + smoothing * vocabulary) }
        for column in 0..<index.count {
            for l in 0..<locales.count {
                let i = column * locales.count + l
                counts[i] = logf(counts[i] + smoothing) - denominators[l]
            }
        }
        unseen = denominators.map { logf(smoothing) - $0 }
        self.index = index
        logLikelihoods = counts
    }

    /// The likeliest locale of `text`.
    /// - Parameters:
    ///   - previous: the conversation's language so far, favoured by `priorWeight` log-odds
    ///     per square root of the number of features seen.
    ///   - fallback: the answer when the text has no letters to judge by.
    /// - Complexity: O(length of the text · locales).
    public func identify(_ text: AnalysedText, previous: String? = nil, priorWeight: Float = 2, fallback: String) -> Guess {
        var scores = [Float](repeating: 0, count: locales.count)
        var seen = 0
        Self.visitFeatures(text) { hash in
            guard let column = index.column(of: hash) else { return }
            seen += 1
            let base = Int(column) * locales.count
            for l in 0..<locales.count { scores[l] += logLikelihoods[base + l] }
        }
        guard seen > 0 else {
            return Guess(locale: previous.flatMap { locales.contains($0) ? $0 : nil } ?? fallback, confidence: 0)
        }
        // The prior grows with the square root of the evidence, so it decides short, ambiguous
        // replies but a sentence clearly in another language still switches.
        if let previous, let l = locales.firstIndex(of: previous) { scores[l] += priorWeight * sqrtf(Float(seen)) }
        let top = scores.max()!
        let exps = scores.map { expf($0 - top) }
        let sum = exps.reduce(0, +)
        let best = scores.firstIndex(of: top)!
        return Guess(locale: locales[best], confidence: exps[best] / sum)
    }

    /// Calls `body` with the hash of every language feature of the text.
    static func visitFeatures(_ text: AnalysedText, _ body: (UInt64) -> Void) {
        visitFeatures(TokenForms(text), body)
    }

    /// Calls `body` with the hash of every language feature of token forms: per word, the
    /// folded word, the diacritic-free word when it differs, and the character 1–3-grams of
    /// the folded word padded with spaces.
    static func visitFeatures(_ forms: TokenForms, _ body: (UInt64) -> Void) {
        forms.scalars.withUnsafeBufferPointer { scalars in
            for token in forms.tokens where token.kind == .word {
                let folded = token.exact.isEmpty ? token.form : token.exact
                var exact = FeatureHash.start(.exactWord)
                for i in folded { exact = FeatureHash.add(exact, scalars[i]) }
                body(FeatureHash.finish(exact))
                if !token.exact.isEmpty {
                    var stripped = FeatureHash.start(.word)
                    for i in token.form { stripped = FeatureHash.add(stripped, scalars[i]) }
                    body(FeatureHash.finish(stripped))
                }
                // Position p of the padded word " folded ".
                let count = folded.count + 2
                @inline(__always) func scalar(_ p: Int) -> UInt32 { p == 0 || p == count - 1 ? 0x20 : scalars[folded.lowerBound + p - 1] }
                for start in 0..<count {
                    var hash = FeatureHash.start(.characters)
                    for length in 1...3 where start + length <= count {
                        hash = FeatureHash.add(hash, scalar(start + length - 1))
                        if length == 1 && scalar(start) == 0x20 { continue }
                        body(FeatureHash.finish(hash ^ 0x1A46))
                    }
                }
            }
        }
    }
}
