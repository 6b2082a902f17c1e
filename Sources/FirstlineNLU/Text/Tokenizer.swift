/// Splits folded text into words and shaped numbers.
///
/// Words are runs of letters, digits and combining marks; a run of digits may contain the
/// separators of amounts, dates and times (`1.500,00`, `12/03/2025`, `14:30`). A number
/// becomes an `amount` when a currency word or symbol touches it on either side.
///
/// The work is done on an array of scalar values and yields `Span`s (kind and range), so the
/// classifier's hot path never builds a `String`; `tokenize` makes `Token`s of the spans.
public enum Tokenizer {
    /// Currency words and symbols, folded and without diacritics.
    static let currencies: Set<String> = [
        "$", "€", "£", "₺", "₽", "₼", "zl", "zł", "tl", "try", "azn", "usd", "eur", "euro", "euros",
        "rub", "руб", "рублей", "рубля", "pln", "manat", "lira", "dollar", "dollars", "gbp",
        "usdt", "btc", "eth", "лир", "долларов", "евро", "eurų", "euru", "eurai", "zlotych", "złotych",
    ]
    /// The currencies by the hash of their scalars, so spans are looked up without strings.
    static let currencyHashes: Set<UInt64> = Set(currencies.map { FeatureHash.of($0, family: .word) })
    static let currencySymbols: Set<UInt32> = Set(["$", "€", "£", "₺", "₽", "₼"].map { (s: Unicode.Scalar) in s.value })

    /// The most scalars of one message that are tokenised; the rest is ignored.
    public static let maximumScalars = 4_096
    /// Longer runs of letters are not words (keyboard mashing, pasted hashes) and are dropped.
    public static let maximumWordLength = 48

    /// A token as a range of a scalar array.
    struct Span: Sendable {
        var kind: Token.Kind
        var start: Int
        var end: Int
    }

    /// Tokenises folded text.
    /// - Complexity: O(n) in the number of scalars (at most `maximumScalars`).
    public static func tokenize(_ folded: String) -> [Token] {
        let scalars = Self.scalars(of: folded)
        return spans(of: scalars).map { span in
            var text = String.UnicodeScalarView()
            for value in scalars[span.start..<span.end] { text.append(Unicode.Scalar(value)!) }
            return Token(kind: span.kind, text: String(text))
        }
    }

    /// The scalar values of a string, at most `maximumScalars` of them.
    static func scalars(of text: String) -> [UInt32] {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(min(text.utf8.count, maximumScalars))
        for scalar in text.unicodeScalars {
            if scalars.count == maximumScalars { break }
            scalars.append(scalar.value)
        }
        return scalars
    }

    /// The tokens of folded scalars, as spans.
    /// - Complexity: O(n) in the number of scalars.
    static func spans(of scalars: [UInt32]) -> [Span] {
        var raw: [(span: Span, isSymbol: Bool)] = []
        raw.reserveCapacity(scalars.count / 3 + 1)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar >= 0x80 && currencySymbols.contains(scalar) || scalar == 0x24 {
                raw.append((Span(kind: .word, start: index, end: index + 1), true))
                index += 1
                continue
            }
            guard isWordScalar(scalar) else { index += 1; continue }
            var end = index
            var digits = 0, letters = 0, separators = 0, colons = 0, dateSeparators = 0
            while end < scalars.count {
                let current = scalars[end]
                if isWordScalar(current) {
                    if isDigit(current) { digits += 1 } else if isAlphabetic(current) { letters += 1 }
                    end += 1
                } else if isNumberSeparator(current), end > index, isDigit(scalars[end - 1]),
                          end + 1 < scalars.count, isDigit(scalars[end + 1]), letters == 0 {
                    separators += 1
                    if current == 0x3A { colons += 1 } else if current != 0x2C { dateSeparators += 1 }
                    end += 1
                } else {
                    break
                }
            }
            if end - index <= maximumWordLength {
                classify(scalars, index, end, digits: digits, letters: letters, separators: separators,
                         colons: colons, dateSeparators: dateSeparators, into: &raw)
            }
            index = end
        }
        var spans: [Span] = []
        spans.reserveCapacity(raw.count)
        var currencyTaken = false  // the previous currency already belongs to the amount before it
        for (position, item) in raw.enumerated() {
            let itemIsCurrency = isCurrency(item, scalars)
            defer {
                currencyTaken = itemIsCurrency && position > 0 && [.number, .amount].contains(raw[position - 1].span.kind)
            }
            if item.isSymbol { continue }
            var span = item.span
            if span.kind == .number {
                if position > 0, !currencyTaken, isCurrency(raw[position - 1], scalars) { span.kind = .amount }
                if position + 1 < raw.count, isCurrency(raw[position + 1], scalars) { span.kind = .amount }
            }
            spans.append(span)
        }
        return spans
    }

    private static func isCurrency(_ item: (span: Span, isSymbol: Bool), _ scalars: [UInt32]) -> Bool {
        item.isSymbol || (item.span.kind == .word && currencyHashes.contains(hash(scalars, item.span.start, item.span.end)))
    }

    private static func hash(_ scalars: [UInt32], _ start: Int, _ end: Int) -> UInt64 {
        var hash = FeatureHash.start(.word)
        for i in start..<end { hash = FeatureHash.add(hash, scalars[i]) }
        return FeatureHash.finish(hash)
    }

    /// Classifies one run of word scalars, splitting "500tl" into a number and a currency.
    private static func classify(
        _ scalars: [UInt32], _ start: Int, _ end: Int, digits: Int, letters: Int, separators: Int,
        colons: Int, dateSeparators: Int, into raw: inout [(span: Span, isSymbol: Bool)]
    ) {
        func add(_ kind: Token.Kind, _ from: Int = start, _ to: Int = end) {
            raw.append((Span(kind: kind, start: from, end: to), false))
        }
        if digits == 0 { return add(.word) }
        if letters == 0 {
            if colons == 1 && separators == 1 && digits <= 4 { return add(.time) }
            if dateSeparators > 0 && dateSeparators == separators, (1...2).contains(dateSeparators),
               looksLikeDate(scalars[start..<end]) {
                return add(.date)
            }
            if separators == 0 && digits >= 6 { return add(.id) }
            return add(.number)
        }
        // Digits followed by a currency word: "500tl", "200zł".
        var firstLetter = start
        while firstLetter < end && isDigit(scalars[firstLetter]) { firstLetter += 1 }
        if firstLetter > start, !scalars[firstLetter..<end].contains(where: isDigit),
           currencyHashes.contains(hash(scalars, firstLetter, end)) {
            add(.amount, start, firstLetter)
            add(.word, firstLetter, end)
            return
        }
        if digits >= 3 && end - start >= 5 { return add(.id) }
        add(.word)
    }

    private static func looksLikeDate(_ run: ArraySlice<UInt32>) -> Bool {
        var parts: [Int] = []
        var current = -1
        for value in run {
            if value == 0x2E || value == 0x2F || value == 0x2D {
                if current >= 0 { parts.append(current) }
                current = -1
            } else if value >= 0x30 && value <= 0x39 {
                current = min((current < 0 ? 0 : current) * 10 + Int(value - 0x30), 1 << 48)
            } else {
                return false
            }
        }
        if current >= 0 { parts.append(current) }
        guard parts.count >= 2 else { return false }
        if parts.count == 3 {
            return (parts[0] >= 1900 && parts[1] <= 12) || (parts[0] <= 31 && parts[1] <= 12 && parts[0] >= 1)
                || (parts[0] <= 12 && parts[1] <= 31)
        }
        return parts[0] >= 1 && parts[0] <= 31 && parts[1] >= 1 && parts[1] <= 12
    }

    @inline(__always)
    static func isNumberSeparator(_ value: UInt32) -> Bool {
        value == 0x2E || value == 0x2C || value == 0x3A || value == 0x2F || value == 0x2D
    }

    /// Whether the scalar belongs inside a word.
    @inline(__always)
    static func isWordScalar(_ value: UInt32) -> Bool {
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
        }
        if value < ScalarClasses.limit {
            return ScalarClasses.isAlphabetic(value) || ScalarClasses.isDecimal(value) || TextFolding.isCombiningMark(value)
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType == .decimal || TextFolding.isCombiningMark(value)
    }

    @inline(__always)
    static func isAlphabetic(_ value: UInt32) -> Bool {
        if value < 0x80 { return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) }
        if value < ScalarClasses.limit { return ScalarClasses.isAlphabetic(value) }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    @inline(__always)
    static func isDigit(_ value: UInt32) -> Bool {
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        if value < ScalarClasses.limit { return ScalarClasses.isDecimal(value) }
        return Unicode.Scalar(value)?.properties.numericType == .decimal
    }
}
