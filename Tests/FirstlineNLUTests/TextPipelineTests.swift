import Testing
@testable import FirstlineNLU

@Suite("Folding, tokens and features")
struct TextPipelineTests {
    @Test("Turkish and Azerbaijani fold dotted and dotless I by their own rules")
    func turkicCase() {
        #expect(TextFolding.fold("İSTANBUL IĞDIR", locale: "tr") == "istanbul ığdır")
        #expect(TextFolding.fold("ISTANBUL", locale: "az") == "ıstanbul")
        #expect(TextFolding.fold("ISTANBUL", locale: "en") == "istanbul")
        #expect(TextFolding.fold("İ", locale: "en") == "i")
        #expect(TextFolding.fold("ŞİFRE", locale: "tr") == "şifre")
    }

    @Test("the diacritic-free form is what users type without special letters")
    func stripping() {
        #expect(TextFolding.stripDiacritics(TextFolding.fold("Qeydiyyatdan keçə bilmirəm", locale: "az")) == "qeydiyyatdan kece bilmirem")
        #expect(TextFolding.stripDiacritics(TextFolding.fold("Šifrė neįveda, čia ką daryti", locale: "lt")) == "sifre neiveda, cia ka daryti")
        #expect(TextFolding.stripDiacritics(TextFolding.fold("Wypłata ŁÓDŹ źle", locale: "pl")) == "wyplata lodz zle")
        #expect(TextFolding.stripDiacritics(TextFolding.fold("ÇEKİM ışık", locale: "tr")) == "cekim isik")
        #expect(TextFolding.stripDiacritics("ёлка й") == "елка и")
    }

    @Test("compatibility forms and combining marks fold like the composed letters")
    func normalisation() {
        #expect(TextFolding.fold("ＢＯＮＵＳ") == "bonus")
        #expect(TextFolding.fold("s\u{327}ifre") == "şifre")
        #expect(TextFolding.stripDiacritics(TextFolding.fold("s\u{327}ifre")) == "sifre")
    }

    @Test("numbers become shapes: amounts, ids, dates, times")
    func numberShapes() {
        let tokens = Tokenizer.tokenize(TextFolding.fold("500 TL yatırdım, id 88123412, 12.03.2025 saat 14:30 $20 200zł 3 kez"))
        let shapes = tokens.map(\.featureForm)
        #expect(shapes == ["<amount>", "tl", "yatırdım", "id", "<id>", "<date>", "saat", "<time>", "<amount>", "<amount>", "zł", "3", "kez"])
        #expect(tokens.first { $0.kind == .id }?.text == "88123412")
    }

    @Test("a code with letters and digits is an id, a short one a word")
    func codes() {
        #expect(Tokenizer.tokenize("tr12345 2fa").map(\.kind) == [.id, .word])
    }

    @Test("blank, emoji-only and punctuation-only messages have no tokens")
    func emptyMessages() {
        for text in ["", "   \n\t", "😡😡😡", "?!…", "\u{200B}"] {
            #expect(AnalysedText(text).isEmpty, "\(text)")
        }
    }

    @Test("a 100 kB message is cut at the scalar limit, not processed whole")
    func longMessage() {
        let text = String(repeating: "bonus ", count: 20_000)
        let analysed = AnalysedText(text)
        #expect(analysed.strippedTokens.count <= Tokenizer.maximumScalars / 2 + 1)
        #expect(!analysed.isEmpty)
    }

    @Test("mixed scripts keep every word")
    func mixedScript() {
        #expect(AnalysedText("вывод withdrawal çekim").strippedTokens.map(\.text) == ["вывод", "withdrawal", "cekim"])
    }

    @Test("features: word 1-2-grams and character n-grams inside word boundaries")
    func features() {
        let extractor = FeatureExtractor(settings: FeatureSettings(wordNGrams: 1...2, characterNGrams: 3...5))
        let names = Set(extractor.namedFeatures(of: AnalysedText("şifre unuttum")).map(\.name))
        #expect(names.isSuperset(of: ["sifre", "unuttum", "sifre unuttum", "şifre", " si", "sif", "fre ", " sifr"]))
        #expect(!names.contains("e u"))  // no character n-gram crosses a word boundary
    }

    @Test("with and without diacritics share every character n-gram")
    func diacriticsShareFeatures() {
        let extractor = FeatureExtractor()
        let a = extractor.features(of: AnalysedText("çekim talebim", locale: "tr"))
        let b = extractor.features(of: AnalysedText("cekim talebim", locale: "tr"))
        #expect(a.characters == b.characters)
        #expect(Set(b.words).isSubset(of: Set(a.words)))
    }

    @Test("feature hashes are stable across runs (models are rebuilt from the same text)")
    func stableHashes() {
        #expect(FeatureHash.of("bonus", family: .word) == FeatureHash.of("bonus", family: .word))
        #expect(FeatureHash.of("bonus", family: .word) != FeatureHash.of("bonus", family: .exactWord))
    }
}

/// The table of scalar properties answers as the standard library does.
@Suite("Scalar classes: the table agrees with Unicode.Scalar.Properties")
struct ScalarClassesTests {
    @Test("every scalar below the limit: alphabetic, decimal, changes when lowercased")
    func tableAgreesWithProperties() {
        var checked = 0
        for value in 0..<ScalarClasses.limit {
            guard let properties = Unicode.Scalar(value)?.properties else { continue }
            #expect(ScalarClasses.isAlphabetic(value) == properties.isAlphabetic, "U+\(String(value, radix: 16))")
            #expect(ScalarClasses.isDecimal(value) == (properties.numericType == .decimal), "U+\(String(value, radix: 16))")
            #expect(ScalarClasses.changesWhenLowercased(value) == properties.changesWhenLowercased, "U+\(String(value, radix: 16))")
            checked += 1
        }
        #expect(checked == Int(ScalarClasses.limit))
        // Letters of the bundle's languages and the boundaries the table covers.
        #expect(ScalarClasses.isAlphabetic(0x259) && ScalarClasses.isAlphabetic(0x44F) && !ScalarClasses.isAlphabetic(0x2C))
        #expect(ScalarClasses.changesWhenLowercased(0x130) && ScalarClasses.changesWhenLowercased(0x416) && !ScalarClasses.changesWhenLowercased(0x436))
    }
}
