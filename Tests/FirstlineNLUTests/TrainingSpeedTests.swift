import Testing
@testable import FirstlineNLU

/// The start-up work made faster (parallel extraction, hashed duplicate keys, language
/// features from raw token forms) must give exactly what the plain serial way gives.
@Suite("Training done in parallel or reordered gives the same results")
struct TrainingSpeedTests {
    static let texts = [
        "Bonus çevrim şartı nedir?", "İADE ISTIYORUM", "qeydiyyat necə olur", "Gdzie jest moja wypłata 500 zł",
        "где мой вывод 12.03.2025", "Kaip atsiimti pinigus?", "what is the wagering requirement", "", "🙂🙂",
        "my bet id 88123412 was not settled", "şifre sıfırlama", "ŞİFRE", "sifre", "Ğ ü ö ç ı İ",
    ]

    @Test("parallel feature extraction equals extracting each example alone, in order")
    func parallelFeatures() {
        let locales: [String?] = ["tr", "az", "lt", "pl", "ru", "en", nil]
        var examples: [LabelledText] = []
        for i in 0..<2_000 {
            examples.append(LabelledText(text: Self.texts[i % Self.texts.count] + " \(i % 7 == 0 ? "x\(i)" : "")", label: "l\(i % 5)", locale: locales[i % locales.count]))
        }
        let extractor = FeatureExtractor()
        let parallel = IntentModel.features(of: examples, extractor: extractor)
        let serial = examples.map { extractor.features(of: AnalysedText($0.text, locale: $0.locale)) }
        #expect(parallel.count == serial.count)
        #expect(parallel.map(\.words) == serial.map(\.words))
        #expect(parallel.map(\.characters) == serial.map(\.characters))
    }

    @Test("a view counted in two halves and merged equals counting it in one pass; fitted columns give the looked-up vectors",
          arguments: [0, 1, 7, 1_000])
    func countedInHalves(split: Int) {
        let locales: [String?] = ["tr", "az", "lt", "pl", "ru", "en", nil]
        let documents = (0..<1_000).map { i in
            FeatureExtractor().features(of: TokenForms(text: Self.texts[i % Self.texts.count] + " w\(i % 13) \(i % 3 == 0 ? "ek\(i)" : "")", locale: locales[i % locales.count]))
        }
        let whole = Vectorizer.count(documents[...], capacity: 16) { $0.characters }
        let merged = Vectorizer.count(documents[..<split], capacity: 16) { $0.characters }
            .merged(with: Vectorizer.count(documents[split...], capacity: 16) { $0.characters })
        #expect(merged.hashes == whole.hashes)
        #expect(merged.frequencies == whole.frequencies)
        #expect(merged.columns == whole.columns)
        #expect(merged.starts == whole.starts)
        #expect(whole.hashes.enumerated().allSatisfy { merged.index.column(of: $1) == Int32($0) })

        let (vectorizer, fitted) = Vectorizer.fitting(documents, characterIDF: false, minimumDocumentFrequency: 1)
        for d in documents.indices {
            let fast = vectorizer.vector(fitted: fitted!, document: d), plain = vectorizer.vector(documents[d])
            #expect(fast.columns == plain.columns && fast.values.map(\.bitPattern) == plain.values.map(\.bitPattern), "document \(d)")
        }
        #expect(Vectorizer.fitting(documents, characterIDF: false, minimumDocumentFrequency: 2).columns == nil, "pruning renumbers: no fitted columns")
    }

    @Test("token forms folded and stripped as scalars equal those of analysed text (Strings), edge cases included")
    func formsFromScalars() {
        let long = String(repeating: "Çekim ŞİFRE ß æ ", count: Tokenizer.maximumScalars / 8)
        let edges = [
            "ISTANBUL İzmir I\u{307}", "i\u{307}ade", "ＢＯＮＵＳ ｂｏｎｕｓ", "s\u{327}ifre", "ﬁnal ﬂow", "Straße ÆSIR œuvre",
            "“quoted” ‘single’", "Ёлка йод", "ǄUNGLA ǅ", "x²³ ½", "\u{00A0}nbsp", "DŽ", long, long + "İ", "ß" + long,
        ]
        for text in Self.texts + edges {
            for locale: String? in ["tr", "az", "lt", "pl", "ru", "en", nil] {
                let fast = TokenForms(text: text, locale: locale), plain = TokenForms(AnalysedText(text, locale: locale))
                let same = fast.tokens.count == plain.tokens.count && zip(fast.tokens, plain.tokens).allSatisfy { a, b in
                    a.kind == b.kind && fast.scalars[a.form] == plain.scalars[b.form] && fast.scalars[a.exact] == plain.scalars[b.exact]
                }
                #expect(same, "\(text.prefix(40)) \(locale ?? "none")")
            }
        }
    }

    @Test("Parallel.map keeps the order for any size", arguments: [0, 1, 255, 256, 1_000, 10_007])
    func parallelMap(count: Int) {
        let input = Array(0..<count)
        #expect(Parallel.map(input, minimumChunk: 16) { $0 * 3 } == input.map { $0 * 3 })
    }

    @Test("language features of raw token forms equal those of analysed text")
    func languageFeatures() {
        for text in Self.texts {
            for locale in ["tr", "pl", "en"] {
                var fromForms: [UInt64] = [], fromAnalysed: [UInt64] = []
                LanguageIdentifier.visitFeatures(TokenForms(text: text, locale: locale)) { fromForms.append($0) }
                LanguageIdentifier.visitFeatures(AnalysedText(text, locale: locale)) { fromAnalysed.append($0) }
                #expect(fromForms == fromAnalysed, "\(text) \(locale)")
            }
        }
    }

    @Test("a minimum document frequency drops the features of fewer messages, and only those")
    func minimumDocumentFrequency() {
        let documents = [
            MessageFeatures(words: [1, 2, 2], characters: [10, 11]), MessageFeatures(words: [1, 3], characters: [10, 12]),
            MessageFeatures(words: [1, 2], characters: [13]),
        ]
        let all = Vectorizer(fitting: documents), pruned = Vectorizer(fitting: documents, minimumDocumentFrequency: 2)
        #expect(all.columnCount == 7)
        #expect(pruned.columnCount == 3)  // words 1 and 2, character 10
        #expect(pruned.column(of: 3) == nil && pruned.column(of: 11) == nil && pruned.column(of: 2) != nil)
        let vector = pruned.vector(MessageFeatures(words: [1, 3], characters: [10, 12]))
        #expect(vector.columns.count == 2)
    }

    @Test("duplicate keys: same words, other diacritics and numbers meet; other words do not")
    func exampleKeys() {
        let a = ExampleKeys("Şifre sıfırlama", locale: "tr"), b = ExampleKeys("sifre sifirlama", locale: "tr")
        #expect(a.words == b.words && a.exact != b.exact)
        #expect(ExampleKeys("bet 88123412 lost", locale: "en").words == ExampleKeys("bet 11900023 lost", locale: "en").words)
        #expect(ExampleKeys("lost bet", locale: "en").content == ExampleKeys("bet lost lost", locale: "en").content)
        #expect(ExampleKeys("lost bet", locale: "en").words != ExampleKeys("bet lost", locale: "en").words)
        #expect(ExampleKeys("lost", locale: "en").content == nil)
        #expect(ExampleKeys("🙂", locale: "en").words == nil)
        #expect(ExampleKeys("ab c", locale: "en").words != ExampleKeys("a bc", locale: "en").words)
    }

    @Test("the scoring path (scratch on the stack, columns in order of first occurrence) equals scoring the plain weighted vector")
    func fastScoringEqualsPlainVector() {
        let locales: [String?] = ["tr", "az", "lt", "pl", "ru", "en", nil]
        var examples: [LabelledText] = []
        for i in 0..<600 {
            examples.append(LabelledText(text: Self.texts[i % Self.texts.count] + " \(i % 3 == 0 ? "bonus bonus" : "para")", label: "l\(i % 6)", locale: locales[i % locales.count]))
        }
        let model = IntentModel(training: examples, settings: ClassifierSettings(outOfScopeFolds: 0))
        let messages = Self.texts + ["bonus bonus bonus çevrim çevrim", String(repeating: "para çekme ", count: 2_000), "x", "   "]
        for text in messages {
            for locale in ["tr", "en", nil] as [String?] {
                let fast = model.probabilities(of: text, locale: locale)
                let plain = model.probabilities(from: model.scores(of: model.vector(of: text, locale: locale)))
                #expect(fast.count == plain.count)
                for (a, b) in zip(fast, plain) { #expect(abs(a - b) < 1e-4, "\(text.prefix(20)) \(locale ?? "-")") }
                let decision = model.decision(of: text, locale: locale)
                if !model.vector(of: text, locale: locale).isEmpty {
                    #expect(fast[decision.best] == fast.max(), "the decision's label is the likeliest")
                }
            }
        }
    }

    @Test("examples are numbered by language for the machines' passes; one language is no grouping")
    func languageGroups() {
        let mixed = [LabelledText(text: "a", label: "x", locale: "tr"), LabelledText(text: "b", label: "x", locale: "en"),
                     LabelledText(text: "c", label: "y", locale: "tr"), LabelledText(text: "d", label: "y", locale: nil)]
        #expect(IntentModel.languageGroups(of: mixed) == [0, 1, 0, 2])
        #expect(IntentModel.languageGroups(of: mixed.filter { $0.locale == "tr" }).isEmpty)
    }
}
