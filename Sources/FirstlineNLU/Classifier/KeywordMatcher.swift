/// Finds the trainer's keywords in a message: phrases matched on diacritic-free tokens, and a
/// single keyword of four or more letters also as the start of a word, so "şikayet" finds
/// "şikayetim" and "sikayetci" (suffixing languages add endings to every noun).
struct KeywordMatcher: Sendable {
    private struct Phrase: Sendable {
        var words: [String]
        var label: Int
    }

    private let phrasesByFirstWord: [String: [Phrase]]
    /// Single keywords of four or more letters, by their first four letters.
    private let stemsByPrefix: [String: [(stem: String, label: Int)]]

    /// Builds the matcher from keywords per label index.
    init(keywords: [(label: Int, phrases: [String])]) {
        var byFirst: [String: [Phrase]] = [:]
        var stems: [String: [(stem: String, label: Int)]] = [:]
        for (label, phrases) in keywords {
            for phrase in phrases {
                let words = AnalysedText(phrase).strippedTokens.map(\.featureForm)
                guard let first = words.first else { continue }
                byFirst[first, default: []].append(Phrase(words: words, label: label))
                if words.count == 1 && first.count >= 4 { stems[String(first.prefix(4)), default: []].append((first, label)) }
            }
        }
        phrasesByFirstWord = byFirst
        stemsByPrefix = stems
    }

    /// The labels whose keywords occur in the text, each once, in label order.
    /// - Complexity: O(tokens · (phrases starting with the token + stems sharing its first four letters)).
    func labels(in text: AnalysedText) -> [Int] {
        let words = text.strippedTokens.map(\.featureForm)
        var found = Set<Int>()
        for (i, word) in words.enumerated() {
            for phrase in phrasesByFirstWord[word] ?? [] where !found.contains(phrase.label) {
                if i + phrase.words.count <= words.count && Array(words[i..<i + phrase.words.count]) == phrase.words {
                    found.insert(phrase.label)
                }
            }
            if word.count > 4 {
                for (stem, label) in stemsByPrefix[String(word.prefix(4))] ?? [] where !found.contains(label) && word.hasPrefix(stem) {
                    found.insert(label)
                }
            }
        }
        return found.sorted()
    }
}
