import FirstlineNLU
import Foundation

/// `firstline bench classify`: the latency of classifying one message, made repeatable on a
/// shared machine. Every test message is classified `runs` times (one thread); a message's
/// time is its fastest run, so interruptions by other processes drop out, and the figure is
/// the median over messages.
///
/// - `--train T.jsonl --test X.jsonl`: `IntentModel.decision(of:locale:)` as `eval`
///   times it (text pipeline, features, scores, softmax, out-of-scope calibration).
/// - `--intents DIR --test X.jsonl`: `IntentClassifier.classify` of the bundle (language
///   identification, keywords and thresholds included), trained on all its examples.
struct ClassifyBench {
    let train: String?
    let test: String
    let directory: String
    let runs: Int

    func run() throws -> Int32 {
        let rows = try IntentDataset(contentsOf: test).rows
        let clock = ContinuousClock()
        var fastest = [Double](repeating: .infinity, count: rows.count)
        var first: [Double] = []
        var checksum = 0
        func time(_ body: (IntentDataset.Row) -> Int) {
            for run in 0..<runs {
                for (i, row) in rows.enumerated() {
                    var result = 0
                    let seconds = clock.measure { result = body(row) }.inSeconds * 1e6
                    checksum &+= result
                    fastest[i] = min(fastest[i], seconds)
                    if run == 0 { first.append(seconds) }
                }
            }
        }
        if let train {
            let model = IntentModel(training: try IntentDataset(contentsOf: train).labelled)
            time { row in model.decision(of: row.text, locale: row.lang).best }
        } else {
            let classifier = IntentClassifier(bundle: try Firstline.loadBundle(directory))
            time { row in classifier.classify(row.text).intent?.count ?? 0 }
        }
        fastest.sort()
        first.sort()
        Output.json([
            "bench": "classify", "messages": rows.count, "runs": runs,
            "median_us": Output.rounded(fastest[fastest.count / 2], 3),
            "p90_us": Output.rounded(fastest[fastest.count * 9 / 10], 3),
            "first_run_median_us": Output.rounded(first[first.count / 2], 3),
            "checksum": checksum,
        ])
        return 0
    }
}
