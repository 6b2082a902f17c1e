import FirstlineDialogue
import FirstlineNLU
import FirstlineStore
import Foundation

/// `firstline bench dialogue [--sessions N] [--runs K]`: throughput of the desk reducer on
/// pre-classified conversations (the NLU is excluded), median of K runs, release build.
/// `firstline bench recovery [--sessions N] [--runs K]`: a desk journal of that many
/// conversations (about 6.4 events each; 160,000 sessions ≈ 1,000,000 events) is written
/// once, then reopened K times; prints the median time to rebuild the desk.
/// `firstline bench classify (--train T.jsonl | --intents DIR) --test X.jsonl [--runs K]`:
/// latency of one message, see `ClassifyBench`.
/// `firstline bench startup [--intents DIR] [--runs K]`: what a starting service spends on
/// the bundle — loading and validating it, then training the classifier from its examples —
/// K times in this process; prints the medians. `--set name=value,...` trains with other
/// settings (as `eval --set`).
struct BenchCommand {
    let subject: String
    let sessions: Int
    let runs: Int
    let directory: String
    let snapshotInterval: Int
    let train: String?
    let test: String?
    let settings: ClassifierSettings

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--sessions", "--runs", "--intents", "--snapshot-every", "--train", "--test", "--set"], flags: [])
        guard arguments.positional.count == 1, ["dialogue", "recovery", "classify", "startup"].contains(arguments.positional[0]) else {
            throw UsageError("bench takes a subject: dialogue, recovery, classify or startup")
        }
        train = arguments.options["--train"]
        test = arguments.options["--test"]
        if arguments.positional[0] == "classify" && test == nil { throw UsageError("bench classify needs --test X.jsonl") }
        subject = arguments.positional[0]
        sessions = Int(try arguments.number("--sessions", in: 1...10_000_000) ?? 20_000)
        runs = Int(try arguments.number("--runs", in: 1...100) ?? 5)
        directory = arguments.options["--intents"] ?? "Intents"
        snapshotInterval = Int(try arguments.number("--snapshot-every", in: 1...1e12) ?? 50_000)
        settings = try EvalCommand.settings(arguments.options["--set"], base: .bundle)
    }

    func run() throws -> Int32 {
        if subject == "classify", let test {
            return try ClassifyBench(train: train, test: test, directory: directory, runs: runs).run()
        }
        if subject == "startup" { return try startup() }
        let bundle = try Firstline.loadBundle(directory)
        if subject == "recovery" { return try recovery(bundle) }
        let events = Self.conversations(sessions)
        var rates: [Double] = []
        for _ in 0..<runs {
            var desk = Desk(bundle: bundle)
            let start = Date(timeIntervalSinceReferenceDate: 800_000_000)
            var handled = 0
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for (i, event) in events.enumerated() {
                    if (try? desk.handle(event, now: start.addingTimeInterval(Double(i) * 0.001))) != nil { handled += 1 }
                }
            }
            rates.append(Double(handled) / elapsed.inSeconds)
        }
        rates.sort()
        Output.json([
            "bench": subject, "events": events.count, "runs": runs,
            "median_events_per_s": Int(rates[rates.count / 2]), "min_events_per_s": Int(rates[0]), "max_events_per_s": Int(rates[rates.count - 1]),
        ])
        return 0
    }

    /// Times loading the bundle and training its classifier, `runs` times.
    func startup() throws -> Int32 {
        let clock = ContinuousClock()
        var loads: [Double] = [], trainings: [Double] = [], totals: [Double] = []
        var examples = 0
        for _ in 0..<runs {
            var bundle: IntentBundle?
            var loadError: Error?
            let load = clock.measure {
                do { bundle = try Firstline.loadBundle(directory) } catch { loadError = error }
            }
            if let loadError { throw loadError }
            var classifier: IntentClassifier?
            let training = clock.measure { classifier = IntentClassifier(bundle: bundle!, settings: settings) }
            examples = IntentClassifier.examples(of: bundle!).count
            withExtendedLifetime(classifier) {}
            loads.append(load.inSeconds)
            trainings.append(training.inSeconds)
            totals.append(load.inSeconds + training.inSeconds)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        Output.json([
            "bench": "startup", "intents": directory, "examples": examples, "runs": runs,
            "median_load_s": Output.rounded(median(loads), 3), "median_train_s": Output.rounded(median(trainings), 3),
            "median_total_s": Output.rounded(median(totals), 3), "min_total_s": Output.rounded(totals.min()!, 3),
            "max_total_s": Output.rounded(totals.max()!, 3),
        ])
        return 0
    }

    /// Writes the journal of `sessions` conversations, then times reopening it.
    func recovery(_ bundle: IntentBundle) throws -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-bench-recovery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = Self.conversations(sessions)
        let start = Date(timeIntervalSinceReferenceDate: 800_000_000)
        do {
            let store = try DeskJournal(directory: directory + "/journal", bundle: bundle, archivePath: directory + "/transcripts.jsonl")
            store.snapshotInterval = UInt64(snapshotInterval)
            var batch: [DeskRecord] = []
            for (i, event) in events.enumerated() {
                batch.append(DeskRecord(at: start.addingTimeInterval(Double(i) * 0.001), event: event))
                if batch.count == 10_000 || i == events.count - 1 {
                    try store.handleBatch(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            store.close()
        }
        var times: [Double] = []
        var sessionsFound = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            var reopened: DeskJournal?
            times.append(clock.measure {
                reopened = try? DeskJournal(directory: directory + "/journal", bundle: bundle, archivePath: directory + "/transcripts.jsonl")
            }.inSeconds)
            sessionsFound = (reopened?.desk.state.sessions.count ?? -1) + (reopened?.desk.state.archivedSessions.count ?? 0)
            reopened?.close()
        }
        times.sort()
        Output.json([
            "bench": "recovery", "events": events.count, "sessions": sessionsFound, "runs": runs,
            "median_s": Output.rounded(times[times.count / 2], 3), "min_s": Output.rounded(times[0], 3),
        ])
        return sessionsFound == sessions ? 0 : 1
    }

    /// A realistic mix: every session greets, asks two questions, confirms or denies; one in
    /// five hands off to an agent who claims, replies and resolves; every session ends.
    static func conversations(_ count: Int) -> [DeskEvent] {
        func u(_ intent: String?, _ locale: String) -> Understanding {
            Understanding(locale: locale, intent: intent, confidence: 0.9, candidates: intent.map { [.init(intent: $0, confidence: 0.9)] } ?? [])
        }
        let locales = ["tr", "az", "lt", "pl", "ru", "en"]
        var events: [DeskEvent] = [
            .agentRegistered(agent: "a1", name: "Ana", skills: ["payments", "general"], capacity: 1_000_000),
            .agentPresence(agent: "a1", presence: .online),
        ]
        for n in 0..<count {
            let id = "s\(n)", locale = locales[n % locales.count]
            events.append(.sessionOpened(session: id, locale: nil))
            events.append(.userMessage(session: id, text: "hello", understanding: u("greeting", locale), choice: nil))
            events.append(.userMessage(session: id, text: "bonus wagering?", understanding: u("bonus.wagering", locale), choice: nil))
            if n % 5 == 0 {
                events.append(.userMessage(session: id, text: "my deposit of 500 TL is missing", understanding: u("deposit.missing", locale), choice: nil))
                events.append(.agentClaimed(agent: "a1", ticket: nil))
                events.append(.agentMessage(agent: "a1", session: id, text: "Checking now"))
                events.append(.agentResolved(agent: "a1", session: id))
            } else {
                events.append(.userMessage(session: id, text: "yes", understanding: u("affirm", locale), choice: QuickReply.yes))
                events.append(.userMessage(session: id, text: "bye", understanding: u("goodbye", locale), choice: nil))
            }
            events.append(.surveyGiven(session: id, rating: 5, comment: nil))
        }
        return events
    }
}
