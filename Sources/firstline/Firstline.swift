import FirstlineNLU
import Foundation

/// The `firstline` command line: parses the words into a command, validates, runs it, and
/// maps failures to exit codes in one place (0 ok, 1 the check failed, 2 bad input data,
/// 64 usage).
enum Firstline {
    static let usage = """
        firstline — first-line live-chat support for betting, casino and bonus sites

        usage:
          firstline serve [--intents DIR] [--data DIR] [--port N] [--origin URL]... (serve --help for all)
          firstline agents add NAME --skills a,b [--capacity N] [--data DIR]   (prints the token once)
          firstline agents list [--data DIR]
          firstline chat [--intents DIR] [--data DIR] [--locale xx] [--json]
          firstline export [--data DIR]            (transcripts, personal data masked)
          firstline replay PATH... [--intents DIR] [--json] [--baseline FILE] [--html FILE]
                           [--target-accuracy P] [--set-threshold] [--suggest FILE]
          firstline review [--data DIR] [--out FILE]   (messages not understood, grouped)
          firstline apply FILE [--intents DIR]         (add reviewed examples)
          firstline classify TEXT [--intents DIR] [--locale xx] [--json]
          firstline explain TEXT [--intents DIR] [--locale xx] [--json]
          firstline lint [DIR] [--json]
          firstline eval --train T.jsonl [--val V.jsonl] --test X.jsonl [--oos-recall-target R] [--json]
          firstline eval --intents DIR (--test X.jsonl | --folds K) [--json]
          firstline bench dialogue [--sessions N] [--runs K]
          firstline bench classify (--train T.jsonl | --intents DIR) --test X.jsonl [--runs K]
          firstline bench startup [--intents DIR] [--runs K]   (bundle load + training)
          firstline bench-journal [--appenders 64] [--payload 200] [--records 1000000] [--runs 5]
          firstline help

        DIR defaults to ./Intents. Data files are JSONL: {"text": ..., "intent": ...} a line,
        "oos" = out of scope, optional "lang". Exit codes: 0 ok, 1 check failed, 2 bad input, 64 usage.
        """

    static func run(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first else {
            Output.error(usage)
            return 64
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch name {
            case "classify": return try ClassifyCommand(rest, explaining: false).run()
            case "explain": return try ClassifyCommand(rest, explaining: true).run()
            case "lint": return try LintCommand(rest).run()
            case "serve":
                if rest.contains("--help") { Output.line(ServeCommand.help); return 0 }
                return try ServeCommand(rest).run()
            case "agents": return try AgentsCommand(rest).run()
            case "chat": return try ChatCommand(rest).run()
            case "export": return try ExportCommand(rest).run()
            case "replay": return try ReplayCommand(rest).run()
            case "apply": return try ApplyCommand(rest).run()
            case "review": return try ReviewCommand(rest).run()
            case "bench": return try BenchCommand(rest).run()
            case "bench-journal": return runJournalBench(arguments: rest)
            case "eval": return try EvalCommand(rest).run()
            case "help", "--help", "-h":
                Output.line(usage)
                return 0
            default:
                throw UsageError("unknown command \"\(name)\"")
            }
        } catch let error as UsageError {
            Output.error("firstline: \(error)\n\n\(usage)")
            return 64
        } catch let problems as BundleProblems {
            Output.error("firstline: the intent bundle has \(problems.errors.count) error(s) (run firstline lint for warnings too):")
            for error in problems.errors { Output.error("error: \(error)") }
            return 2
        } catch {
            Output.error("firstline: \(error)")
            return 2
        }
    }

    /// Loads a bundle, printing its warnings to standard error.
    static func loadBundle(_ directory: String) throws -> IntentBundle {
        let (bundle, _) = try IntentBundle.load(from: directory)
        return bundle
    }
}
