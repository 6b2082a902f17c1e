import FirstlineNLU
import FirstlineService
import Foundation

/// `firstline replay PATH... [--intents DIR] [--json] [--baseline FILE] [--html FILE]
/// [--target-accuracy P] [--set-threshold]`: replays labelled transcripts through the live
/// classifier and desk and reports what changed. Exit 1 on a regression against the baseline
/// or on any unreadable line (the rest is still replayed).
struct ReplayCommand {
    let paths: [String]
    let directory: String
    let isJSON: Bool
    let baseline: String?
    let html: String?
    let targetAccuracy: Double
    let setsThreshold: Bool
    let suggestions: String?

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(
            words, valued: ["--intents", "--baseline", "--html", "--target-accuracy", "--suggest"], flags: ["--json", "--set-threshold"])
        guard !arguments.positional.isEmpty else { throw UsageError("replay needs transcript files or folders, e.g. firstline replay Transcripts") }
        paths = arguments.positional
        directory = arguments.options["--intents"] ?? "Intents"
        isJSON = arguments.flags.contains("--json")
        baseline = arguments.options["--baseline"]
        html = arguments.options["--html"]
        targetAccuracy = try arguments.number("--target-accuracy", in: 0...100) ?? 95
        setsThreshold = arguments.flags.contains("--set-threshold")
        suggestions = arguments.options["--suggest"]
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        let reader = TranscriptReader(knownIntents: Set(bundle.intents.map(\.id)), knownDepartments: Set(bundle.departments.keys))
        var (files, problems) = reader.files(in: paths)
        var transcripts: [Transcript] = []
        for file in files {
            let read = reader.read(file: file)
            transcripts += read.transcripts
            problems += read.problems
        }
        for problem in problems { Output.error("replay: \(problem)") }
        let clock = ContinuousClock()
        var classifier: IntentClassifier?
        let training = clock.measure { classifier = IntentClassifier(bundle: bundle) }
        var turns: [ReplayedTurn] = []
        let replaying = clock.measure {
            turns = ReplayEngine(classifier: classifier!).replay(transcripts) { done in
                Output.error("replay: \(done) of \(transcripts.count) conversations")
            }
        }
        let report = ReplayReport(turns)
        let sweep = ThresholdSweep(turns)
        var object = report.jsonObject()
        object["threshold_sweep"] = sweep.rows.map { ["threshold": Double($0.threshold), "answered": Output.rounded($0.answeredShare), "accuracy": Output.rounded($0.answeredAccuracy)] }
        object["recommended_threshold"] = sweep.recommended(forAccuracy: targetAccuracy).map { Double($0.threshold) } ?? NSNull()
        object["train_s"] = Output.rounded(training.inSeconds, 3)
        object["replay_s"] = Output.rounded(replaying.inSeconds, 3)
        object["problems"] = problems.map(\.description)
        if isJSON { Output.json(object) } else { printText(report, sweep: sweep, problems: problems, seconds: replaying.inSeconds) }
        if let html {
            try ReplayHTML(report: report, sweep: sweep, classifier: classifier!, title: paths.joined(separator: ", "))
                .render().write(toFile: html, atomically: true, encoding: .utf8)
            Output.error("replay: report written to \(html)")
        }
        if let suggestions {
            let proposals = ExampleProposals(failures: turns)
            try proposals.jsonData().write(to: URL(fileURLWithPath: suggestions))
            Output.error("replay: \(proposals.groups.map(\.examples.count).reduce(0, +)) proposed example(s) in \(suggestions); review, then firstline apply \(suggestions)")
        }
        if setsThreshold {
            guard let row = sweep.recommended(forAccuracy: targetAccuracy) else {
                Output.error("replay: no threshold reaches \(targetAccuracy)% answered accuracy; bundle unchanged")
                return 1
            }
            try BundleThresholdWriter.setAnswerThreshold(row.threshold, in: directory)
            Output.error("replay: thresholds.answer set to \(row.threshold) in \(directory)/bundle.json (answers \(Output.rounded(row.answeredShare))% at \(Output.rounded(row.answeredAccuracy))%)")
        }
        var status: Int32 = problems.isEmpty ? 0 : 1
        if let baseline {
            guard let data = FileManager.default.contents(atPath: baseline),
                  let old = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                Output.error("replay: baseline \(baseline) is missing or not a JSON object; write one with --json > \(baseline)")
                return 1
            }
            let regressions = ReplayBaseline.regressions(current: object, baseline: old)
            for regression in regressions { Output.error("regression: \(regression)") }
            if !regressions.isEmpty { status = 1 } else { Output.error("replay: no regression against \(baseline)") }
        }
        return status
    }

    private func printText(_ report: ReplayReport, sweep: ThresholdSweep, problems: [TranscriptReader.Problem], seconds: Double) {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }
        Output.line("\(report.conversations) conversations, \(report.overall.turns) user turns replayed in \(String(format: "%.2f", seconds)) s")
        var rows = [["", "turns", "intent acc.", "outcome acc."], ["all", "\(report.overall.turns)", cell(report.overall.intentAccuracy), cell(report.overall.outcomeAccuracy)]]
        for (language, figures) in report.perLanguage.sorted(by: { $0.key < $1.key }) {
            rows.append([language, "\(figures.turns)", cell(figures.intentAccuracy), cell(figures.outcomeAccuracy)])
        }
        Output.line(Output.table(rows))
        Output.line("containment \(cell(report.containmentRate))% · missed handoffs \(report.missedHandoffs.count) · wrong handoffs \(report.wrongHandoffs.count) · responsible-gambling recall \(cell(report.responsibleGamblingRecall))%")
        if !report.failures.isEmpty {
            Output.line("\nturns that differ (expected → got):")
            for turn in report.failures.prefix(40) {
                let expected = [turn.expected?.intent, turn.expected?.outcome, turn.expected?.department].compactMap { $0 }.joined(separator: "/")
                let got = [turn.intent, turn.outcome, turn.department].compactMap { $0 }.joined(separator: "/")
                Output.line("  \(turn.source)  \"\(turn.text.prefix(60))\"  \(expected) → \(got) (\(String(format: "%.2f", turn.confidence)))")
            }
        }
        if !report.intentReport.confusedPairs.isEmpty {
            Output.line("\nmost confused:")
            Output.line(Output.table(report.intentReport.confusedPairs.prefix(8).map { ["  \($0.expected) → \($0.got)", "\($0.count)"] }))
        }
        Output.line("\nthreshold sweep (answered share / accuracy of answers):")
        Output.line(Output.table(sweep.rows.filter { Int(($0.threshold * 100).rounded()) % 10 == 0 }.map {
            ["  \(String(format: "%.2f", $0.threshold))", "\(cell($0.answeredShare))%", "\(cell($0.answeredAccuracy))%"]
        }))
        if let row = sweep.recommended(forAccuracy: targetAccuracy) {
            Output.line("recommended for \(cell(targetAccuracy))% answer accuracy: \(String(format: "%.2f", row.threshold)) (--set-threshold writes it)")
        }
        if !problems.isEmpty { Output.line("\n\(problems.count) unreadable line(s), listed on stderr") }
    }
}

/// Writes `thresholds.answer` in a bundle's `bundle.json`, changing nothing else in the file.
enum BundleThresholdWriter {
    static func setAnswerThreshold(_ value: Float, in directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("bundle.json")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let thresholds = text.range(of: "\"thresholds\""),
              let answer = text.range(of: #""answer"\s*:\s*[0-9.]+"#, options: .regularExpression, range: thresholds.upperBound..<text.endIndex) else {
            throw UsageError("\(path) has no thresholds.answer to set")
        }
        let updated = text.replacingCharacters(in: answer, with: "\"answer\": \(String(format: "%.2f", value))")
        try updated.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try IntentBundle.load(from: directory)  // refuse to leave a broken bundle
    }
}
