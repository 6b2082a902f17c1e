import FirstlineNLU

/// `firstline lint [DIR] [--json]`: validates a bundle; exit 1 on any error.
struct LintCommand {
    let directory: String
    let isJSON: Bool

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: [], flags: ["--json"])
        guard arguments.positional.count <= 1 else { throw UsageError("lint takes at most one DIR") }
        directory = arguments.positional.first ?? "Intents"
        isJSON = arguments.flags.contains("--json")
    }

    func run() -> Int32 {
        let bundle: IntentBundle?
        var problems = BundleProblems()
        do {
            let loaded = try IntentBundle.load(from: directory)
            bundle = loaded.bundle
            problems.warnings = loaded.warnings
        } catch {
            bundle = nil
            problems = error
        }
        let summary = bundle.map(Summary.init)
        if isJSON {
            func list(_ errors: [NLUError]) -> [[String: Any]] {
                errors.map { ["file": $0.file, "field": $0.field ?? NSNull(), "problem": $0.problem] }
            }
            var object: [String: Any] = ["ok": bundle != nil, "errors": list(problems.errors), "warnings": list(problems.warnings)]
            if let summary {
                object["intents"] = summary.intentCount
                object["locales"] = summary.locales
                object["examples_per_locale"] = summary.examplesPerLocale
                object["smallest"] = ["intent": summary.smallest.intent, "locale": summary.smallest.locale, "examples": summary.smallest.count]
            }
            Output.json(object)
        } else {
            for error in problems.errors { Output.line("error: \(error)") }
            for warning in problems.warnings { Output.line("warning: \(warning)") }
            if let summary {
                Output.line("\(directory): ok — \(summary.intentCount) intents, locales \(summary.locales.joined(separator: ", "))")
                Output.line("examples per locale: " + summary.locales.map { "\($0) \(summary.examplesPerLocale[$0] ?? 0)" }.joined(separator: ", "))
                Output.line("smallest intent×locale: \(summary.smallest.intent) × \(summary.smallest.locale) with \(summary.smallest.count) examples")
            } else {
                Output.line("\(directory): \(problems.errors.count) error(s), \(problems.warnings.count) warning(s)")
            }
        }
        return bundle == nil ? 1 : 0
    }

    /// The figures lint reports for a valid bundle.
    struct Summary {
        var intentCount: Int
        var locales: [String]
        var examplesPerLocale: [String: Int]
        var smallest: (intent: String, locale: String, count: Int)

        init(_ bundle: IntentBundle) {
            let real = bundle.intents.filter { !$0.isOutOfScope }
            intentCount = real.count
            locales = bundle.locales
            var perLocale: [String: Int] = [:]
            var smallest = (intent: "", locale: "", count: Int.max)
            for intent in bundle.intents {
                for locale in bundle.locales {
                    let count = intent.examples[locale]?.count ?? 0
                    perLocale[locale, default: 0] += count
                    if !intent.isOutOfScope && count < smallest.count { smallest = (intent.id, locale, count) }
                }
            }
            examplesPerLocale = perLocale
            self.smallest = smallest.count == Int.max ? ("", "", 0) : smallest
        }
    }
}

import Foundation
