/// A message after the text pipeline: the folded forms and the tokens of the stripped form.
public struct AnalysedText: Sendable {
    /// The text as received.
    public var original: String
    /// NFKC-normalised and case-folded with the locale's rules.
    public var folded: String
    /// `folded` without diacritics.
    public var stripped: String
    /// Tokens of `folded` (diacritics kept), one per token of `strippedTokens`.
    public var foldedTokens: [Token]
    /// Tokens of `stripped`: what features are made of.
    public var strippedTokens: [Token]

    /// Runs the pipeline on `text`, folding with the rules of `locale` when given.
    /// - Complexity: O(n) in the length of the text, capped at `Tokenizer.maximumScalars`.
    public init(_ text: String, locale: String? = nil) {
        original = text
        folded = TextFolding.fold(text, locale: locale)
        stripped = TextFolding.stripDiacritics(folded)
        strippedTokens = Tokenizer.tokenize(stripped)
        foldedTokens = folded == stripped ? strippedTokens : Tokenizer.tokenize(folded)
        if foldedTokens.count != strippedTokens.count { foldedTokens = strippedTokens }
    }

    /// Whether the message has anything to classify (emoji-only or blank messages do not).
    public var isEmpty: Bool { strippedTokens.isEmpty }
}
