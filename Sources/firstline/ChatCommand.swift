import FirstlineNLU
import Foundation

/// `firstline chat [--intents DIR] [--locale xx] [--json]`: talk to the bot in the terminal.
/// With standard input not a terminal it reads one user message a line, so conversations can
/// be scripted; `--json` prints one object per bot message.
struct ChatCommand {
    let directory: String
    let locale: String?
    let isJSON: Bool

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--intents", "--locale", "--data"], flags: ["--json"])
        guard arguments.positional.isEmpty else { throw UsageError("chat takes no positional arguments") }
        directory = arguments.options["--intents"] ?? "Intents"
        locale = arguments.options["--locale"]
        isJSON = arguments.flags.contains("--json")
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        if let locale, !bundle.locales.contains(locale) {
            throw UsageError("--locale \(locale) is not one of the bundle's locales (\(bundle.locales.joined(separator: ", ")))")
        }
        let classifier = IntentClassifier(bundle: bundle)
        let interactive = isatty(STDIN_FILENO) == 1
        var sessionLocale = locale ?? bundle.defaultLocale
        say(bundle.message("greeting", locale: sessionLocale), intent: nil, confidence: nil, state: "open")
        while true {
            if interactive && !isJSON { FileHandle.standardOutput.write(Data("you> ".utf8)) }
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let result = classifier.classify(text, locale: locale, previousLocale: sessionLocale)
            sessionLocale = result.locale
            if let intent = result.intent, !result.isAmbiguous {
                let answer = bundle.answer(intent, locale: sessionLocale) ?? bundle.message("fallback", locale: sessionLocale)
                say(answer, intent: intent, confidence: result.confidence, state: "answered")
            } else if result.isAmbiguous, result.candidates.count >= 2 {
                let names = result.candidates.prefix(2).map { bundle.intent($0.intent)?.summary ?? $0.intent }
                say(bundle.message("clarify", locale: sessionLocale, values: ["option1": names[0], "option2": names[1]]),
                    intent: result.candidates[0].intent, confidence: result.confidence, state: "clarifying")
            } else {
                say(bundle.message("fallback", locale: sessionLocale), intent: nil, confidence: result.confidence, state: "open")
            }
        }
        return 0
    }

    private func say(_ text: String, intent: String?, confidence: Float?, state: String) {
        if isJSON {
            Output.json([
                "text": text, "intent": intent ?? NSNull(), "confidence": confidence.map { Output.rounded(Double($0), 4) } ?? NSNull(),
                "state": state, "ticket": NSNull(),
            ])
        } else {
            Output.line("bot> \(text)")
        }
    }
}
