import FirstlineNLU

/// `firstline classify TEXT` and `firstline explain TEXT`.
struct ClassifyCommand {
    let text: String
    let directory: String
    let locale: String?
    let isJSON: Bool
    let isExplaining: Bool

    init(_ words: [String], explaining: Bool) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--intents", "--locale"], flags: ["--json"])
        guard arguments.positional.count == 1 else {
            throw UsageError("\(explaining ? "explain" : "classify") takes one TEXT argument (quote it)")
        }
        text = arguments.positional[0]
        directory = arguments.options["--intents"] ?? "Intents"
        locale = arguments.options["--locale"]
        isJSON = arguments.flags.contains("--json")
        isExplaining = explaining
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        if let locale, !bundle.locales.contains(locale) {
            throw UsageError("--locale \(locale) is not one of the bundle's locales (\(bundle.locales.joined(separator: ", ")))")
        }
        let classifier = IntentClassifier(bundle: bundle)
        let explanation = isExplaining ? classifier.explain(text, locale: locale) : nil
        let result = explanation?.classification ?? classifier.classify(text, locale: locale)
        if isJSON {
            var object: [String: Any] = [
                "text": text, "locale": result.locale, "locale_confidence": Output.rounded(Double(result.localeConfidence), 4),
                "intent": result.intent ?? IntentDefinition.outOfScopeID, "out_of_scope": result.isOutOfScope,
                "confidence": Output.rounded(Double(result.confidence), 4), "ambiguous": result.isAmbiguous,
                "candidates": result.candidates.map { ["intent": $0.intent, "confidence": Output.rounded(Double($0.confidence), 4)] },
                "entities": result.entities.map { ["kind": $0.kind.rawValue, "text": $0.text] },
                "keywords": result.keywordIntents,
            ]
            if let explanation {
                object["explained_intent"] = explanation.intent ?? NSNull()
                object["features"] = explanation.contributions.map { ["ngram": $0.feature, "weight": Output.rounded(Double($0.weight), 4)] }
            }
            Output.json(object)
            return 0
        }
        let verdict = result.intent.map { "\($0) (\(percent(result.confidence)))" }
            ?? "out of scope (best guess \(result.candidates.first.map { "\($0.intent) \(percent($0.confidence))" } ?? "none"), threshold \(percent(bundle.thresholds.answer)))"
        Output.line("intent:     \(verdict)\(result.isAmbiguous ? " — ambiguous" : "")")
        Output.line("language:   \(result.locale) (\(percent(result.localeConfidence)))")
        Output.line("candidates: " + result.candidates.map { "\($0.intent) \(percent($0.confidence))" }.joined(separator: ", "))
        if !result.entities.isEmpty {
            Output.line("found:      " + result.entities.map { "\($0.kind.rawValue) \($0.text)" }.joined(separator: ", "))
        }
        if !result.keywordIntents.isEmpty { Output.line("keywords:   " + result.keywordIntents.joined(separator: ", ")) }
        if let explanation, let intent = explanation.intent {
            Output.line("\nn-grams that drove \(intent) (weight; negative pulls away):")
            Output.line(Output.table(explanation.contributions.map { ["  \"\($0.feature)\"", String(format: "%+.3f", $0.weight)] }))
        }
        return 0
    }

    private func percent(_ value: Float) -> String { String(format: "%.1f%%", Double(value) * 100) }
}

import Foundation
