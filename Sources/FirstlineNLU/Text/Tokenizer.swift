/// Splits folded text into words and shaped numbers.
///
/// Words are runs of letters, digits and combining marks; a run of digits may contain the
/// separators of amounts, dates and times (`1.500,00`, `12/03/2025`, `14:30`). A number
/// becomes an `amount` when a currency word or symbol touches it on either side.
public enum Tokenizer {
    /// Currency words and symbols, folded and without diacritics.
    static let currencies: Set<String> = [
        "$", "€", "£", "₺", "₽", "₼", "zl", "zł", "tl", "try", "azn", "usd", "eur", "euro", "euros",
        "rub", "руб", "рублей", "рубля", "pln", "manat", "lira", "dollar", "dollars", "gbp",
        "usdt", "btc", "eth", "лир", "долларов", "евро", "eurų", "euru", "eurai", "zlotych", "złotych",
    ]
    static let currencySymbols: Set<Unicode.Scalar> = ["$", "€", "£", "₺", "₽", "₼"]
    static let numberSeparators: Set<Unicode.Scalar> = [".", ",", ":", "/", "-"]

    /// The most scalars of one message that are tokenised; the rest is ignored.
    public static let maximumScalars = 4_096
    /// Longer runs of letters are not words (keyboard mashing, pasted hashes) and are dropped.
    public static let maximumWordLength = 48

    /// Tokenises folded text.
    /// - Complexity: O(n) in the number of scalars (at most `maximumScalars`).
    public static func tokenize(_ folded: String) -> [Token] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(folded.unicodeScalars.count, maximumScalars))
        for scalar in folded.unicodeScalars {
            if scalars.count == maximumScalars { break }
            scalars.append(scalar)
        }
        var raw: [(text: String, kind: Token.Kind, isSymbol: Bool)] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if currencySymbols.contains(scalar) {
                raw.append((String(scalar), .word, true))
                index += 1
                continue
            }
            guard isWordScalar(scalar) else { index += 1; continue }
            var end = index
            var digits = 0, letters = 0
            var separators: [Unicode.Scalar] = []
            while end < scalars.count {
                let current = scalars[end]
                if isWordScalar(current) {
                    if isDigit(current) { digits += 1 } else if current.properties.isAlphabetic { letters += 1 }
                    end += 1
                } else if numberSeparators.contains(current), end > index, isDigit(scalars[end - 1]),
                          end + 1 < scalars.count, isDigit(scalars[end + 1]), letters == 0 {
                    separators.append(current)
                    end += 1
                } else {
                    break
                }
            }
            let run = Array(scalars[index..<end])
            index = end
            if run.count > maximumWordLength { continue }
            raw.append(contentsOf: classify(run, digits: digits, letters: letters, separators: separators))
        }
        var tokens: [Token] = []
        tokens.reserveCapacity(raw.count)
        var currencyTaken = false  // the previous currency already belongs to an amount
        for (position, item) in raw.enumerated() {
            var kind = item.kind
            let isCurrency = item.isSymbol || currencies.contains(item.text)
            if kind == .number {
                let before = position > 0 ? raw[position - 1] : nil
                let after = position + 1 < raw.count ? raw[position + 1] : nil
                if let before, !currencyTaken, before.isSymbol || currencies.contains(before.text) { kind = .amount }
                if let after, after.isSymbol || currencies.contains(after.text) { kind = .amount }
            }
            currencyTaken = isCurrency ? (position > 0 && [.number, .amount].contains(raw[position - 1].kind)) : false
            if item.isSymbol { continue }
            tokens.append(Token(kind: kind, text: item.text))
        }
        return tokens
    }

    /// Classifies one run of word scalars, splitting "500tl" into a number and a currency.
    private static func classify(
        _ run: [Unicode.Scalar], digits: Int, letters: Int, separators: [Unicode.Scalar]
    ) -> [(text: String, kind: Token.Kind, isSymbol: Bool)] {
        let text = String(String.UnicodeScalarView(run))
        if digits == 0 { return [(text, .word, false)] }
        if letters == 0 {
            if separators.contains(":") && separators.count == 1 && digits <= 4 { return [(text, .time, false)] }
            let dateSeparators = separators.filter { $0 == "." || $0 == "/" || $0 == "-" }
            if !dateSeparators.isEmpty && dateSeparators.count == separators.count,
               (1...2).contains(dateSeparators.count), looksLikeDate(text) {
                return [(text, .date, false)]
            }
            if separators.isEmpty && digits >= 6 { return [(text, .id, false)] }
            return [(text, .number, false)]
        }
        // Digits followed by a currency word: "500tl", "200zł".
        if let firstLetter = run.firstIndex(where: { !isDigit($0) }), firstLetter > 0,
           run[firstLetter...].allSatisfy({ !isDigit($0) }) {
            let unit = String(String.UnicodeScalarView(run[firstLetter...]))
            if currencies.contains(unit) {
                return [(String(String.UnicodeScalarView(run[..<firstLetter])), .amount, false), (unit, .word, false)]
            }
        }
        if digits >= 3 && run.count >= 5 { return [(text, .id, false)] }
        return [(text, .word, false)]
    }

    private static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" }).map { Int($0) ?? -1 }
        guard parts.count >= 2, parts.allSatisfy({ $0 >= 0 }) else { return false }
        if parts.count == 3 {
            return (parts[0] >= 1900 && parts[1] <= 12) || (parts[0] <= 31 && parts[1] <= 12 && parts[0] >= 1)
                || (parts[0] <= 12 && parts[1] <= 31)
        }
        return parts[0] >= 1 && parts[0] <= 31 && parts[1] >= 1 && parts[1] <= 12
    }

    /// Whether the scalar belongs inside a word.
    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
        }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType == .decimal || TextFolding.isCombiningMark(value)
    }

    @inline(__always)
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39 || (scalar.value >= 0x80 && scalar.properties.numericType == .decimal)
    }
}
