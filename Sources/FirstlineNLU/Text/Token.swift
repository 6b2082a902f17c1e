/// One unit of a message after folding: a word, or a number reduced to its shape.
///
/// Numbers carry meaning by their shape, not their digits: "bet id 88123412" and
/// "bet id 11900023" are the same question, so both become an `id` token whose feature is
/// the shape `<id>`, while the digits stay in `text` for the agent's evidence.
public struct Token: Hashable, Sendable {
    /// What a token is.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Letters, possibly with a few digits ("2fa", "1xbet").
        case word
        /// A plain number ("3", "250").
        case number
        /// A number next to a currency ("500 TL", "$20", "200zł").
        case amount
        /// A long number or a code with digits ("88123412", "TR12345").
        case id
        /// A calendar date ("12.03.2025", "2025-03-12", "12/03").
        case date
        /// A time of day ("14:30").
        case time
    }

    /// The token's kind.
    public var kind: Kind
    /// The folded text of the token (digits kept as written).
    public var text: String

    /// Creates a token.
    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// The form that features are made of: the word itself, or the shape of a number.
    public var featureForm: String {
        switch kind {
        case .word: return text
        case .number: return text.count <= 2 ? text : "<num>"
        case .amount: return "<amount>"
        case .id: return "<id>"
        case .date: return "<date>"
        case .time: return "<time>"
        }
    }
}
