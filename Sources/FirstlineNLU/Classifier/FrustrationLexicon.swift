/// The bundle's words and phrases of anger or frustration, matched on the diacritic-free
/// words of a message ("rezalet", "scam", "what the hell").
public struct FrustrationLexicon: Sendable {
    private let words: Set<String>
    private let phrases: [[String]]

    /// Builds the lexicon from entries of any locale.
    public init(_ entries: [String]) {
        var words = Set<String>(), phrases = Set<[String]>()
        for entry in entries {
            let tokens = AnalysedText(entry).strippedTokens.map(\.text)
            if tokens.count == 1 { words.insert(tokens[0]) } else if tokens.count > 1 { phrases.insert(tokens) }
        }
        self.words = words
        self.phrases = phrases.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// How many distinct entries occur in the text.
    /// - Complexity: O(words · (1 + phrases starting anywhere)).
    public func hits(in text: AnalysedText) -> Int {
        guard !words.isEmpty || !phrases.isEmpty else { return 0 }
        let tokens = text.strippedTokens.map(\.text)
        var found = Set<String>()
        for token in tokens where words.contains(token) { found.insert(token) }
        for phrase in phrases where tokens.count >= phrase.count {
            for start in 0...(tokens.count - phrase.count) where tokens[start] == phrase[0] && Array(tokens[start..<start + phrase.count]) == phrase {
                found.insert(phrase.joined(separator: " "))
                break
            }
        }
        return found.count
    }
}
