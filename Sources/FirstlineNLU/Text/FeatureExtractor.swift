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
        var result = MessageFeatures()
        visit(text) { view, hash, _ in
            if view == 0 { result.words.append(hash) } else { result.characters.append(hash) }
        }
        return result
    }

    /// The features of a message with their readable names, for explanations.
    public func namedFeatures(of text: AnalysedText) -> [(hash: UInt64, name: String)] {
        var result: [(UInt64, String)] = []
        var seen = Set<UInt64>()
        visit(text, wantsNames: true) { _, hash, name in
            if seen.insert(hash).inserted { result.append((hash, name ?? "")) }
        }
        return result
    }

    /// Calls `body(view, hash, name)` for every feature occurrence; `view` is 0 for words
    /// and 1 for characters; names are built only when asked for.
    private func visit(
        _ text: AnalysedText, wantsNames: Bool = false, _ body: (Int, UInt64, String?) -> Void
    ) {
        let tokens = text.strippedTokens
        var wordHashes: [UInt64] = []
        wordHashes.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            let form = token.featureForm
            let hash = FeatureHash.of(form, family: .word)
            wordHashes.append(hash)
            if settings.wordNGrams.contains(1) { body(0, hash, wantsNames ? form : nil) }
            let exact = text.foldedTokens[index].featureForm
            if exact != form {
                body(0, FeatureHash.of(exact, family: .exactWord), wantsNames ? exact : nil)
            }
            if token.kind == .word { characterGrams(of: form, wantsNames: wantsNames, body) }
        }
        if settings.wordNGrams.upperBound >= 2, tokens.count >= 2 {
            for index in 1..<tokens.count {
                let hash = FeatureHash.pair(wordHashes[index - 1], wordHashes[index])
                body(0, hash, wantsNames ? tokens[index - 1].featureForm + " " + tokens[index].featureForm : nil)
            }
        }
    }

    private func characterGrams(of word: String, wantsNames: Bool, _ body: (Int, UInt64, String?) -> Void) {
        var scalars: [UInt32] = [0x20]
        for scalar in word.unicodeScalars { scalars.append(scalar.value) }
        scalars.append(0x20)
        let shortest = settings.characterNGrams.lowerBound
        let longest = settings.characterNGrams.upperBound
        for start in scalars.indices {
            var hash = FeatureHash.start(.characters)
            var length = 0
            while length < longest, start + length < scalars.count {
                hash = FeatureHash.add(hash, scalars[start + length])
                length += 1
                if length >= shortest {
                    if length == 1 && scalars[start] == 0x20 { continue }
                    let name: String? = wantsNames
                        ? String(String.UnicodeScalarView(scalars[start..<start + length].compactMap(Unicode.Scalar.init)))
                        : nil
                    body(1, FeatureHash.finish(hash), name)
                }
            }
        }
    }
}
