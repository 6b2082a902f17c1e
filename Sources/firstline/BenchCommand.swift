import FirstlineDialogue
import FirstlineNLU
import Foundation

/// `firstline bench dialogue [--sessions N] [--runs K]`: throughput of the desk reducer on
/// pre-classified conversations (the NLU is excluded), median of K runs, release build.
struct BenchCommand {
    let subject: String
    let sessions: Int
    let runs: Int
    let directory: String

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--sessions", "--runs", "--intents"], flags: [])
        guard arguments.positional.count == 1, ["dialogue"].contains(arguments.positional[0]) else {
            throw UsageError("bench takes a subject: dialogue")
        }
        subject = arguments.positional[0]
        sessions = Int(try arguments.number("--sessions", in: 1...10_000_000) ?? 20_000)
        runs = Int(try arguments.number("--runs", in: 1...100) ?? 5)
        directory = arguments.options["--intents"] ?? "Intents"
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
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
