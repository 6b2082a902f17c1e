import FirstlineNLU
import Foundation

/// `firstline eval`: measures the classifier on public data sets (train/val/test splits) or
/// on the bundle itself (a test file, or k-fold over its examples).
struct EvalCommand {
    enum Mode {
        case dataset(train: String, validation: String?, test: String, target: Double?)
        case bundleTest(directory: String, test: String)
        case bundleFolds(directory: String, folds: Int)
    }

    let mode: Mode
    let isJSON: Bool
    /// Classifier settings, the defaults unless `--set name=value,...` changes some.
    let settings: ClassifierSettings

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(
            words, valued: ["--train", "--val", "--test", "--oos-recall-target", "--intents", "--folds", "--set"], flags: ["--json"])
        guard arguments.positional.isEmpty else { throw UsageError("eval takes no positional arguments: \(arguments.positional)") }
        isJSON = arguments.flags.contains("--json")
        let options = arguments.options
        // A bundle's classifier starts from the bundle's settings, a data set's from the defaults.
        settings = try Self.settings(options["--set"], base: options["--intents"] != nil ? .bundle : ClassifierSettings())
        let target = try arguments.number("--oos-recall-target", in: 0...1)
        if let directory = options["--intents"] {
            if options["--train"] != nil || options["--val"] != nil || target != nil {
                throw UsageError("--intents evaluates the bundle's own classifier; --train, --val and --oos-recall-target are for data sets")
            }
            if let folds = options["--folds"] {
                guard let k = Int(folds), (2...20).contains(k) else { throw UsageError("--folds must be a whole number from 2 to 20") }
                guard options["--test"] == nil else { throw UsageError("give either --test or --folds with --intents, not both") }
                mode = .bundleFolds(directory: directory, folds: k)
            } else if let test = options["--test"] {
                mode = .bundleTest(directory: directory, test: test)
            } else {
                throw UsageError("eval --intents DIR needs --test X.jsonl or --folds K")
            }
        } else {
            guard let train = options["--train"], let test = options["--test"] else {
                throw UsageError("eval needs --train T.jsonl and --test X.jsonl (or --intents DIR)")
            }
            if options["--folds"] != nil { throw UsageError("--folds is for --intents DIR") }
            if target != nil && options["--val"] == nil {
                throw UsageError("--oos-recall-target chooses the threshold on --val V.jsonl; give --val")
            }
            mode = .dataset(train: train, validation: options["--val"], test: test, target: target)
        }
    }

    /// `--set tolerance=1,min_df=2,...`: classifier settings to try other than the defaults
    /// (cost, tolerance, min_df, machine_min_df, bayes_share, bayes_smoothing, temperature,
    /// oos_folds, oos_tolerance, and char_min and char_max: the character n-gram lengths).
    static func settings(_ text: String?, base: ClassifierSettings) throws(UsageError) -> ClassifierSettings {
        var settings = base
        guard let text else { return settings }
        var characterLengths = (lower: base.features.characterNGrams.lowerBound, upper: base.features.characterNGrams.upperBound)
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else { throw UsageError("--set expects name=number, not \"\(item)\"") }
            // Each setting in the range where it means something (a count is whole; Int(_:)
            // of 1e300 would trap).
            func whole(_ range: ClosedRange<Int>) throws(UsageError) -> Int {
                guard value == value.rounded(), Double(range.lowerBound) <= value, value <= Double(range.upperBound) else {
                    throw UsageError("--set \(parts[0]) takes a whole number from \(range.lowerBound) to \(range.upperBound), not \(parts[1])")
                }
                return Int(value)
            }
            func positive() throws(UsageError) -> Float {
                guard value > 0, value <= 1e6 else { throw UsageError("--set \(parts[0]) takes a number above 0 (up to 1e6), not \(parts[1])") }
                return Float(value)
            }
            switch parts[0] {
            case "cost": settings.cost = try positive()
            case "tolerance": settings.tolerance = try positive()
            case "min_df": settings.minimumDocumentFrequency = try whole(1...1_000_000)
            case "bayes_share":
                guard (0...1).contains(value) else { throw UsageError("--set bayes_share takes a share from 0 to 1, not \(parts[1])") }
                settings.bayesShare = Float(value)
            case "bayes_smoothing": settings.bayesSmoothing = try positive()
            case "temperature": settings.temperature = try positive()
            case "machine_min_df": settings.machineMinimumDocumentFrequency = try whole(1...1_000_000)
            case "oos_folds": settings.outOfScopeFolds = try whole(0...20)
            case "oos_tolerance": settings.outOfScopeTolerance = try positive()
            case "char_min": characterLengths.lower = try whole(1...16)
            case "char_max": characterLengths.upper = try whole(1...16)
            default: throw UsageError("--set: unknown setting \"\(parts[0])\"")
            }
        }
        guard characterLengths.lower <= characterLengths.upper else {
            throw UsageError("--set: character n-gram lengths need char_min ≤ char_max, not \(characterLengths.lower)...\(characterLengths.upper)")
        }
        settings.features.characterNGrams = characterLengths.lower...characterLengths.upper
        return settings
    }

    func run() throws -> Int32 {
        switch mode {
        case let .dataset(train, validation, test, target):
            let evaluation = DatasetEvaluation(
                train: try IntentDataset(contentsOf: train), validation: try validation.map(IntentDataset.init(contentsOf:)),
                test: try IntentDataset(contentsOf: test), outOfScopeRecallTarget: target, settings: settings)
            print(evaluation.report, byLanguage: evaluation.reportByLanguage, languageAccuracy: [:],
                  threshold: evaluation.threshold, training: evaluation.trainingSeconds, microseconds: evaluation.medianMicroseconds)
        case let .bundleTest(directory, test):
            let evaluation = BundleEvaluation(bundle: try Firstline.loadBundle(directory), test: try IntentDataset(contentsOf: test), settings: settings)
            print(evaluation.report, byLanguage: evaluation.reportByLanguage, languageAccuracy: evaluation.languageAccuracy,
                  threshold: evaluation.threshold, training: evaluation.trainingSeconds, microseconds: evaluation.medianMicroseconds)
        case let .bundleFolds(directory, folds):
            let evaluation = BundleEvaluation(bundle: try Firstline.loadBundle(directory), folds: folds, settings: settings)
            print(evaluation.report, byLanguage: evaluation.reportByLanguage, languageAccuracy: evaluation.languageAccuracy,
                  threshold: evaluation.threshold, training: evaluation.trainingSeconds, microseconds: evaluation.medianMicroseconds)
        }
        return 0
    }

    private func figures(_ report: EvaluationReport) -> [String: Any] {
        var object: [String: Any] = [
            "accuracy": Output.rounded(report.accuracy), "macro_f1": Output.rounded(report.macroF1), "count": report.count,
        ]
        object["in_scope_accuracy"] = report.inScopeAccuracy.map { Output.rounded($0) } ?? NSNull()
        object["oos_recall"] = report.outOfScopeRecall.map { Output.rounded($0) } ?? NSNull()
        return object
    }

    private func print(
        _ report: EvaluationReport, byLanguage: [String: EvaluationReport], languageAccuracy: [String: Double],
        threshold: Float, training: Double, microseconds: Double
    ) {
        if isJSON {
            var object = figures(report)
            object["threshold"] = Output.rounded(Double(threshold), 6)
            object["train_s"] = Output.rounded(training, 3)
            object["us_per_msg"] = Output.rounded(microseconds, 2)
            object["worst_intents"] = report.worstIntents(10).map { ["intent": $0.intent, "f1": Output.rounded($0.f1)] }
            object["confused_pairs"] = report.confusedPairs.prefix(10).map { ["expected": $0.expected, "got": $0.got, "count": $0.count] }
            if !byLanguage.isEmpty {
                object["per_lang"] = byLanguage.mapValues { lang -> [String: Any] in figures(lang) }
                    .reduce(into: [String: Any]()) { result, entry in
                        var figures = entry.value
                        if let accuracy = languageAccuracy[entry.key] { figures["language_id_accuracy"] = Output.rounded(accuracy) }
                        result[entry.key] = figures
                    }
            }
            Output.json(object)
            return
        }
        func cell(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
        var rows = [["", "messages", "accuracy", "in-scope", "oos recall", "macro F1", "language id"]]
        rows.append(["all", "\(report.count)", cell(report.accuracy), cell(report.inScopeAccuracy), cell(report.outOfScopeRecall), cell(report.macroF1), ""])
        for (lang, figures) in byLanguage.sorted(by: { $0.key < $1.key }) {
            rows.append([lang, "\(figures.count)", cell(figures.accuracy), cell(figures.inScopeAccuracy), cell(figures.outOfScopeRecall), cell(figures.macroF1), cell(languageAccuracy[lang])])
        }
        Output.line(Output.table(rows))
        Output.line(String(format: "\nthreshold %.4f · training %.2f s · median %.1f µs per message", threshold, training, microseconds))
        Output.line("\nworst intents by F1:")
        Output.line(Output.table(report.worstIntents(8).map { ["  " + $0.intent, String(format: "%.1f", $0.f1)] }))
        Output.line("\nmost confused (expected → got):")
        Output.line(Output.table(report.confusedPairs.prefix(8).map { ["  \($0.expected) → \($0.got)", "\($0.count)"] }))
    }
}
