import Testing
@testable import FirstlineNLU

@Suite("The bundle's classifier on a small fixed bundle")
struct ClassifierTests {
    static let classifier: IntentClassifier = {
        IntentClassifier(bundle: try! TestBundle().load().get())
    }()

    @Test("messages unlike any example still find their intent", arguments: [
        ("what's the wagering on this bonus", "bonus.wagering"),
        ("cevrim sarti kac", "bonus.wagering"),
        ("which methods can i use to deposit", "deposit.methods"),
        ("yatırdığım 200 TL hesaba geçmedi", "deposit.missing"),
    ])
    func recognises(text: String, intent: String) {
        let result = Self.classifier.classify(text)
        #expect(result.candidates.first?.intent == intent)
        #expect(result.confidence > 0 && result.confidence <= 1)
    }

    @Test("the language follows the text, and a caller's locale wins")
    func language() {
        #expect(Self.classifier.classify("bonus çevrim şartı nedir").locale == "tr")
        #expect(Self.classifier.classify("what is the wagering requirement").locale == "en")
        let forced = Self.classifier.classify("what is the wagering requirement", locale: "tr")
        #expect(forced.locale == "tr" && forced.localeConfidence == 1)
    }

    @Test("empty, emoji-only and huge messages get a defined out-of-scope result")
    func degenerateInput() {
        for text in ["", "   ", "😀😀", String(repeating: "x", count: 100_000)] {
            let result = Self.classifier.classify(text)
            #expect(result.isOutOfScope)
            #expect(result.confidence >= 0 && result.confidence <= 1)
        }
    }

    @Test("amounts and ids found in a message are reported")
    func entities() {
        let result = Self.classifier.classify("deposited 50 EUR, transaction 99812345 not there")
        #expect(result.entities.map(\.kind) == [.amount, .id])
        #expect(result.entities.map(\.text) == ["50", "99812345"])
    }

    @Test("a trainer keyword raises its intent's score")
    func keywordBoost() {
        let plain = IntentClassifier(bundle: withoutKeywords())
        let text = "is there wagering"
        let boosted = Self.classifier.classify(text)
        let unboosted = plain.classify(text)
        #expect(boosted.keywordIntents == ["bonus.wagering"])
        #expect(unboosted.keywordIntents.isEmpty)
        let a = boosted.candidates.first { $0.intent == "bonus.wagering" }!.confidence
        let b = unboosted.candidates.first { $0.intent == "bonus.wagering" }!.confidence
        #expect(a > b)
    }

    @Test("keywords match with a suffix in suffixing languages")
    func keywordSuffix() {
        #expect(Self.classifier.classify("çevrimleri anlamadım").keywordIntents == ["bonus.wagering"])
    }

    @Test("below the threshold a message is out of scope but keeps its best guess")
    func threshold() throws {
        var fixture = TestBundle()
        fixture.bundle["thresholds"] = ["answer": 0.99, "ambiguity_margin": 0.1]
        let strict = IntentClassifier(bundle: try fixture.load().get())
        let result = strict.classify("how can i deposit")
        #expect(result.isOutOfScope)
        #expect(result.candidates.first?.intent == "deposit.methods")
    }

    @Test("two intents too close to call are flagged ambiguous")
    func ambiguity() throws {
        var fixture = TestBundle()
        fixture.bundle["thresholds"] = ["answer": 0.0, "ambiguity_margin": 1.0]
        let result = IntentClassifier(bundle: try fixture.load().get()).classify("deposit")
        #expect(result.isAmbiguous)
        var narrow = TestBundle()
        narrow.bundle["thresholds"] = ["answer": 0.0, "ambiguity_margin": 0.0]
        #expect(!IntentClassifier(bundle: try narrow.load().get()).classify("deposit").isAmbiguous)
    }

    @Test("the explanation lists n-grams that pulled towards the intent")
    func explanation() {
        let explanation = Self.classifier.explain("what is the wagering requirement")
        #expect(explanation.intent == "bonus.wagering")
        #expect(explanation.contributions.contains { $0.feature.contains("wager") && $0.weight > 0 })
        let weights = explanation.contributions.map { abs($0.weight) }
        #expect(weights == weights.sorted(by: >))
    }

    @Test("training is deterministic")
    func deterministic() throws {
        let again = IntentClassifier(bundle: try TestBundle().load().get())
        for text in ["bonus rollover", "para yatırdım gelmedi", "hello"] {
            #expect(again.classify(text).candidates == Self.classifier.classify(text).candidates)
        }
    }

    private func withoutKeywords() -> IntentBundle {
        var fixture = TestBundle()
        fixture.intents["bonus.wagering"]!["keywords"] = nil
        return try! fixture.load().get()
    }
}

@Suite("Frustration lexicon")
struct FrustrationLexiconTests {
    @Test("words and phrases match on diacritic-free words, each counted once")
    func hits() {
        let lexicon = FrustrationLexicon(["rezalet", "dolandırıcı", "what the hell", "scam"])
        #expect(lexicon.hits(in: AnalysedText("REZALET bir site, dolandirici!! rezalet")) == 2)
        #expect(lexicon.hits(in: AnalysedText("what the hell is this scam")) == 2)
        #expect(lexicon.hits(in: AnalysedText("what is the hello")) == 0)
        #expect(lexicon.hits(in: AnalysedText("scampi recipe")) == 0)
    }
}
