import FirstlineNLU
import Foundation

/// The figures of a replay, as `firstline replay` prints them and `--baseline` compares them.
public struct ReplayReport: Sendable {
    /// Figures of one group of turns (all, or one language).
    public struct Figures: Sendable, Equatable {
        public var intentAccuracy: Double?
        public var outcomeAccuracy: Double?
        public var turns: Int
    }

    public var overall: Figures
    public var perLanguage: [String: Figures]
    /// Share (percent) of conversations that ended without a handoff.
    public var containmentRate: Double
    public var conversations: Int
    /// Turns that should have gone to a person and did not.
    public var missedHandoffs: [ReplayedTurn]
    /// Turns that went to a person although another outcome was expected.
    public var wrongHandoffs: [ReplayedTurn]
    /// Share (percent) of turns expected at responsible gambling that were handed off there;
    /// nil when none expected it.
    public var responsibleGamblingRecall: Double?
    /// Precision, recall and F1 per expected intent.
    public var intentReport: EvaluationReport
    /// Per-intent precision and recall (percent).
    public var precision: [String: Double]
    public var recall: [String: Double]
    /// Turns whose intent or outcome differ from the expectation.
    public var failures: [ReplayedTurn]

    public init(_ turns: [ReplayedTurn]) {
        func figures(_ subset: [ReplayedTurn]) -> Figures {
            let intents = subset.compactMap(\.isIntentRight), outcomes = subset.compactMap(\.isOutcomeRight)
            return Figures(
                intentAccuracy: intents.isEmpty ? nil : 100 * Double(intents.filter { $0 }.count) / Double(intents.count),
                outcomeAccuracy: outcomes.isEmpty ? nil : 100 * Double(outcomes.filter { $0 }.count) / Double(outcomes.count),
                turns: subset.count)
        }
        overall = figures(turns)
        perLanguage = Dictionary(grouping: turns, by: \.language).mapValues(figures)
        let byConversation = Dictionary(grouping: turns, by: \.conversation)
        conversations = byConversation.count
        let contained = byConversation.values.filter { !$0.contains { $0.outcome == "handoff" } }.count
        containmentRate = conversations == 0 ? 0 : 100 * Double(contained) / Double(conversations)
        missedHandoffs = turns.filter { $0.expected?.outcome == "handoff" && $0.outcome != "handoff" }
        wrongHandoffs = turns.filter { $0.outcome == "handoff" && $0.expected?.outcome != nil && $0.expected?.outcome != "handoff" }
        let harm = turns.filter { $0.expected?.department == "responsible-gambling" || $0.expected?.intent == "responsible.self_exclusion" }
        responsibleGamblingRecall = harm.isEmpty ? nil
            : 100 * Double(harm.filter { $0.outcome == "handoff" && $0.department == "responsible-gambling" }.count) / Double(harm.count)
        let labelled = turns.compactMap { turn in turn.expected?.intent.map { Prediction(gold: $0, top: turn.intent, confidence: 1, lang: turn.language) } }
        intentReport = EvaluationReport(labelled, threshold: 0)
        var truePositives: [String: Int] = [:], predicted: [String: Int] = [:], actual: [String: Int] = [:]
        for prediction in labelled {
            actual[prediction.gold, default: 0] += 1
            predicted[prediction.top, default: 0] += 1
            if prediction.gold == prediction.top { truePositives[prediction.gold, default: 0] += 1 }
        }
        precision = predicted.mapValues { _ in 0 }.merging(truePositives) { $1 }.reduce(into: [:]) { result, entry in
            result[entry.key] = 100 * Double(entry.value) / Double(max(predicted[entry.key] ?? 0, 1))
        }
        recall = actual.reduce(into: [:]) { result, entry in
            result[entry.key] = 100 * Double(truePositives[entry.key] ?? 0) / Double(entry.value)
        }
        failures = turns.filter { $0.isIntentRight == false || $0.isOutcomeRight == false }
    }

    /// The report as one JSON object (what `--json` prints and `--baseline` reads).
    public func jsonObject() -> [String: Any] {
        func round(_ value: Double?) -> Any { value.map { ($0 * 100).rounded() / 100 } ?? NSNull() }
        func turn(_ t: ReplayedTurn) -> [String: Any] {
            ["source": t.source, "text": t.text, "expected_intent": t.expected?.intent ?? NSNull(),
             "expected_outcome": t.expected?.outcome ?? NSNull(), "expected_department": t.expected?.department ?? NSNull(),
             "intent": t.intent, "confidence": round(Double(t.confidence)), "outcome": t.outcome, "department": t.department ?? NSNull()]
        }
        return [
            "intent_accuracy": round(overall.intentAccuracy), "outcome_accuracy": round(overall.outcomeAccuracy),
            "containment_rate": round(containmentRate), "conversations": conversations, "turns": overall.turns,
            "missed_handoffs": missedHandoffs.count, "wrong_handoffs": wrongHandoffs.count,
            "responsible_gambling_recall": round(responsibleGamblingRecall),
            "per_lang": perLanguage.mapValues { ["intent_accuracy": round($0.intentAccuracy), "outcome_accuracy": round($0.outcomeAccuracy), "turns": $0.turns] },
            "per_intent": intentReport.f1ByIntent.keys.sorted().reduce(into: [String: Any]()) { result, intent in
                result[intent] = ["f1": round(intentReport.f1ByIntent[intent]), "precision": round(precision[intent] ?? 0), "recall": round(recall[intent])]
            },
            "confused_pairs": intentReport.confusedPairs.prefix(15).map { ["expected": $0.expected, "got": $0.got, "count": $0.count] },
            "failures": failures.map(turn),
            "missed": missedHandoffs.map(turn), "wrong": wrongHandoffs.map(turn),
        ]
    }
}

/// Compares a replay with an earlier `--json` report: any drop in intent or outcome accuracy
/// (overall or in any language), more missed or wrong handoffs, or a lower responsible-gambling
/// recall is a regression.
public enum ReplayBaseline {
    /// One line per regression; empty when nothing got worse.
    public static func regressions(current: [String: Any], baseline: [String: Any]) -> [String] {
        var found: [String] = []
        func number(_ object: [String: Any], _ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
        let tolerance = 0.001
        for key in ["intent_accuracy", "outcome_accuracy", "responsible_gambling_recall"] {
            if let old = number(baseline, key), let new = number(current, key), new < old - tolerance {
                found.append("\(key) fell from \(old) to \(new)")
            } else if number(baseline, key) != nil && number(current, key) == nil && key == "responsible_gambling_recall" {
                found.append("\(key) is no longer measured (no turn expects responsible gambling)")
            }
        }
        for key in ["missed_handoffs", "wrong_handoffs"] {
            if let old = number(baseline, key), let new = number(current, key), new > old { found.append("\(key) rose from \(Int(old)) to \(Int(new))") }
        }
        let oldLanguages = baseline["per_lang"] as? [String: [String: Any]] ?? [:]
        let newLanguages = current["per_lang"] as? [String: [String: Any]] ?? [:]
        for (language, old) in oldLanguages.sorted(by: { $0.key < $1.key }) {
            guard let new = newLanguages[language] else {
                found.append("language \(language) is no longer replayed")
                continue
            }
            for key in ["intent_accuracy", "outcome_accuracy"] {
                if let before = number(old, key), let after = number(new, key), after < before - tolerance {
                    found.append("\(language): \(key) fell from \(before) to \(after)")
                }
            }
        }
        return found
    }
}
