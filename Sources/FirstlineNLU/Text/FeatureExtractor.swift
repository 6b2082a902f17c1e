/// Which n-grams a message is described by.
///
/// Two views, each weighted and normalised on its own so neither drowns the other:
/// word n-grams (of the diacritic-free tokens, numbers by their shape, plus the folded word
/// when it had diacritics) and character n-grams inside word boundaries (each word padded
/// with a space on both sides, as in "` şifre `").
public struct FeatureSettings: Codable, Hashable, Sendable {
    /// Word n-gram lengths.
    public var wordNGrams: ClosedRange<Int>
    /// Character n-gram lengths, inside word boundaries.
    public var characterNGrams: ClosedRange<Int>

    /// Creates settings; the defaults are what the README's figures were measured with.
    public init(wordNGrams: ClosedRange<Int> = 1...2, characterNGrams: ClosedRange<Int> = 2...5) {
        self.wordNGrams = wordNGrams
        self.characterNGrams = characterNGrams
    }
}

/// The hashed n-grams of one message, by view, with repetitions (term frequency).
public struct MessageFeatures: Sendable {
    /// Word n-gram hashes.
    public var words: [UInt64] = []
    /// Character n-gram hashes.
    public var characters: [UInt64] = []
}

/// Makes the hashed features of analysed text.
public struct FeatureExtractor: Sendable {
    /// The n-gram lengths used.
    public var settings: FeatureSettings

    /// Creates an extractor.
    public init(settings: FeatureSettings = FeatureSettings()) {
        self.settings = settings
    }

    /// The features of a message.
    /// - Complexity: O(n · k) for n scalars and k the longest character n-gram.
    public func features(of text: AnalysedText) -> MessageFeatures {
        features(of: TokenForms(text))
    }

    /// The features of token forms (the classifier's hot path makes them from raw text).
    func features(of forms: TokenForms) -> MessageFeatures {
        var result = MessageFeatures()
        result.words.reserveCapacity(forms.tokens.count * 3)
        result.characters.reserveCapacity(forms.scalars.count * 5)
        visit(forms) { view, hash, _ in
            if view == 0 { result.words.append(hash) } else { result.characters.append(hash) }
        }
        return result
    }

    /// The features of a message with their readable names, for explanations.
    public func namedFeatures(of text: AnalysedText) -> [(hash: UInt64, name: String)] {
        var result: [(UInt64, String)] = []
        var seen = Set<UInt64>()
        visit(TokenForms(text), wantsNames: true) { _, hash, name in
            if seen.insert(hash).inserted { result.append((hash, name ?? "")) }
        }
        return result
    }

    /// Calls `body(view, hash)` for every feature occurrence of token forms, in the order of
    /// `features(of:)`; `view` is 0 for words and 1 for characters.
    @inline(__always)
    func visitHashes(_ forms: TokenForms, _ body: (Int, UInt64) -> Void) {
        visit(forms) { view, hash, _ in body(view, hash) }
    }

    /// An upper bound on the number of feature occurrences of token forms (for sizing scratch).
    func occurrenceBound(of forms: TokenForms) -> Int {
        let lengths = max(settings.characterNGrams.count, 0)
        var bound = 0
        for token in forms.tokens { bound += 3 + (token.form.count + 2) * lengths }
        return bound
    }

    /// Calls `body(view, hash, name)` for every feature occurrence; `view` is 0 for words
    /// and 1 for characters; names are built only when asked for.
    @inline(__always)
    private func visit(
        _ forms: TokenForms, wantsNames: Bool = false, _ body: (Int, UInt64, String?) -> Void
    ) {
        let scalars = forms.scalars
        func name(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
        }
        func hash(_ range: Range<Int>, _ family: FeatureHash.Family) -> UInt64 {
            var hash = FeatureHash.start(family)
            for i in range { hash = FeatureHash.add(hash, scalars[i]) }
            return FeatureHash.finish(hash)
        }
        var previous: UInt64 = 0
        var previousForm = 0..<0
        let bigrams = settings.wordNGrams.upperBound >= 2
        for (index, token) in forms.tokens.enumerated() {
            let wordHash = hash(token.form, .word)
            if settings.wordNGrams.contains(1) { body(0, wordHash, wantsNames ? name(token.form) : nil) }
            if !token.exact.isEmpty {
                body(0, hash(token.exact, .exactWord), wantsNames ? name(token.exact) : nil)
            }
            if token.kind == .word { characterGrams(of: token.form, in: scalars, wantsNames: wantsNames, body) }
            if bigrams && index > 0 {
                body(0, FeatureHash.pair(previous, wordHash), wantsNames ? name(previousForm) + " " + name(token.form) : nil)
            }
            previous = wordHash
            previousForm = token.form
        }
    }

    @inline(__always)
    private func characterGrams(
        of form: Range<Int>, in scalars: [UInt32], wantsNames: Bool, _ body: (Int, UInt64, String?) -> Void
    ) {
        let shortest = settings.characterNGrams.lowerBound
        let longest = settings.characterNGrams.upperBound
        let count = form.count + 2
        // Position p of the padded word " form ": a space at both ends.
        @inline(__always) func scalar(_ p: Int) -> UInt32 { p == 0 || p == count - 1 ? 0x20 : scalars[form.lowerBound + p - 1] }
        for start in 0..<count {
            var hash = FeatureHash.start(.characters)
            var length = 0
            while length < longest, start + length < count {
                hash = FeatureHash.add(hash, scalar(start + length))
                length += 1
                if length >= shortest {
                    if length == 1 && (start == 0 || start == count - 1) { continue }
                    var gramName: String?
                    if wantsNames {
                        var view = String.UnicodeScalarView()
                        for p in start..<start + length { view.append(Unicode.Scalar(scalar(p)) ?? " ") }
                        gramName = String(view)
                    }
                    body(1, FeatureHash.finish(hash), gramName)
                }
            }
        }
    }
}
