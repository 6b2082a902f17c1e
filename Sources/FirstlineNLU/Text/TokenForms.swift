/// The feature forms of a message's tokens as ranges of one scalar buffer: what the feature
/// extractor reads.
///
/// It is made either from an `AnalysedText` or straight from raw text, the classifier's hot
/// path, which folds, strips and tokenises scalar arrays without building a `String` for the
/// message or its tokens; both give the same forms.
struct TokenForms: Sendable {
    /// The scalars of every form, back to back.
    var scalars: [UInt32] = []
    /// Per token: its kind, the range of its diacritic-free form, and the range of its form
    /// with diacritics when that differs (empty otherwise).
    var tokens: [(kind: Token.Kind, form: Range<Int>, exact: Range<Int>)] = []

    /// The forms of analysed text.
    init(_ text: AnalysedText) {
        tokens.reserveCapacity(text.strippedTokens.count)
        for (index, token) in text.strippedTokens.enumerated() {
            let form = append(token.featureForm.unicodeScalars.map(\.value))
            let exactForm = text.foldedTokens[index].featureForm
            let exact = exactForm != token.featureForm ? append(exactForm.unicodeScalars.map(\.value)) : form.upperBound..<form.upperBound
            tokens.append((token.kind, form, exact))
        }
    }

    /// The forms of raw text, folded with the rules of `locale`; the same as
    /// `TokenForms(AnalysedText(text, locale: locale))` (tested), from scalar arrays instead
    /// of the folded and stripped Strings (the bundle's token forms in 0.55× the time).
    /// - Complexity: O(n) in the length of the text; ASCII text allocates only the buffers.
    init(text: String, locale: String?) {
        let turkic = locale.map { TextFolding.turkicLocales.contains($0) } ?? false
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 || (turkic && byte == 0x49) { isASCII = false; break }
        if isASCII {
            var folded: [UInt32] = []
            folded.reserveCapacity(min(text.utf8.count, Tokenizer.maximumScalars))
            for byte in text.utf8 {
                if folded.count == Tokenizer.maximumScalars { break }
                folded.append(UInt32(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte))
            }
            let spans = Tokenizer.spans(of: folded)
            tokens.reserveCapacity(spans.count)
            scalars.reserveCapacity(folded.count + 8)
            for span in spans {
                let form = appendForm(span, of: folded)
                tokens.append((span.kind, form, form.upperBound..<form.upperBound))
            }
            return
        }
        // The scalars of `TextFolding.fold` and `stripDiacritics`, without their Strings.
        func capped(_ scalars: inout [UInt32]) {
            if scalars.count > Tokenizer.maximumScalars { scalars.removeLast(scalars.count - Tokenizer.maximumScalars) }
        }
        var folded = TextFolding.foldedScalars(text, locale: locale)
        var stripped = TextFolding.strippedScalars(folded)
        let differ = folded != stripped
        capped(&stripped)
        let strippedSpans = Tokenizer.spans(of: stripped)
        var foldedSpans = strippedSpans
        if differ {
            capped(&folded)
            foldedSpans = Tokenizer.spans(of: folded)
            if foldedSpans.count != strippedSpans.count { folded = stripped; foldedSpans = strippedSpans }
        } else {
            folded = stripped
        }
        for (index, span) in strippedSpans.enumerated() {
            let form = appendForm(span, of: stripped)
            let exactSpan = foldedSpans[index]
            let exact = appendForm(exactSpan, of: folded)
            if exact.count == form.count && scalars[exact] == scalars[form] {
                scalars.removeLast(exact.count)
                tokens.append((span.kind, form, form.upperBound..<form.upperBound))
            } else {
                tokens.append((span.kind, form, exact))
            }
        }
    }

    private mutating func append(_ values: [UInt32]) -> Range<Int> {
        let start = scalars.count
        scalars.append(contentsOf: values)
        return start..<scalars.count
    }

    /// Appends the feature form of a span (see `Token.featureForm`).
    private mutating func appendForm(_ span: Tokenizer.Span, of source: [UInt32]) -> Range<Int> {
        let start = scalars.count
        switch span.kind {
        case .word: scalars.append(contentsOf: source[span.start..<span.end])
        case .number:
            if span.end - span.start <= 2 { scalars.append(contentsOf: source[span.start..<span.end]) } else { scalars.append(contentsOf: Self.shapes[0]) }
        case .amount: scalars.append(contentsOf: Self.shapes[1])
        case .id: scalars.append(contentsOf: Self.shapes[2])
        case .date: scalars.append(contentsOf: Self.shapes[3])
        case .time: scalars.append(contentsOf: Self.shapes[4])
        }
        return start..<scalars.count
    }

    private static let shapes: [[UInt32]] = ["<num>", "<amount>", "<id>", "<date>", "<time>"].map { $0.unicodeScalars.map(\.value) }
}
