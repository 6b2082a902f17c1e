import Foundation

/// A labelled conversation in the DESIGN.md transcript shape: `{"id", "locale", "turns":
/// [{"role", "text", "expect": {"intent", "outcome", "department"}}]}`. Only user turns are
/// replayed; bot and agent turns are context for the reader.
public struct Transcript: Sendable {
    /// What a trainer expects of one user turn; every field optional.
    public struct Expectation: Sendable, Equatable {
        public var intent: String?
        public var outcome: String?
        public var department: String?
    }

    /// One user turn.
    public struct UserTurn: Sendable {
        public var text: String
        public var expect: Expectation?
        /// Where it came from, "file:line", for reports.
        public var source: String
    }

    public var id: String
    public var locale: String?
    public var turns: [UserTurn]
    public var source: String

    /// The outcomes a turn may expect.
    public static let outcomes: Set<String> = ["answer", "clarify", "handoff"]
}

/// Reads transcript files and folders, collecting one problem per bad line instead of
/// stopping, so the rest is still replayed.
public struct TranscriptReader: Sendable {
    /// A line that could not be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var location: String
        public var message: String
        public var description: String { "\(location): \(message)" }
    }

    /// Intents and departments `expect` may name.
    public var knownIntents: Set<String>
    public var knownDepartments: Set<String>

    public init(knownIntents: Set<String>, knownDepartments: Set<String>) {
        self.knownIntents = knownIntents
        self.knownDepartments = knownDepartments
    }

    /// Every `.jsonl` file under the paths (files are read as given, folders recursively,
    /// sorted so runs are reproducible).
    public func files(in paths: [String]) -> (files: [String], problems: [Problem]) {
        var files: [String] = [], problems: [Problem] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Problem(location: path, message: "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".jsonl") }.sorted().map { (path as NSString).appendingPathComponent($0) }
                if found.isEmpty { problems.append(Problem(location: path, message: "has no .jsonl transcript files")) }
                files += found
            } else {
                files.append(path)
            }
        }
        return (files, problems)
    }

    /// The transcripts of one file and the problems of its bad lines.
    public func read(file: String) -> (transcripts: [Transcript], problems: [Problem]) {
        guard let data = FileManager.default.contents(atPath: file) else {
            return ([], [Problem(location: file, message: "cannot be read")])
        }
        var transcripts: [Transcript] = [], problems: [Problem] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNumber += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            let line = data[start..<end]
            start = end < data.endIndex ? data.index(after: end) : end
            let location = "\(file):\(lineNumber)"
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            switch parse(Data(line), location: location) {
            case .success(let transcript): transcripts.append(transcript)
            case .failure(let problem): problems.append(problem)
            }
        }
        if transcripts.isEmpty && problems.isEmpty { problems.append(Problem(location: file, message: "is empty: no conversations")) }
        return (transcripts, problems)
    }

    func parse(_ line: Data, location: String) -> Result<Transcript, Problem> {
        guard String(data: line, encoding: .utf8) != nil else { return .failure(Problem(location: location, message: "is not valid UTF-8")) }
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            return .failure(Problem(location: location, message: "is not a JSON object; expected {\"id\", \"locale\", \"turns\": [...]}"))
        }
        guard let turns = object["turns"] as? [[String: Any]] else {
            return .failure(Problem(location: location, message: "\"turns\" is missing or not a list of objects"))
        }
        let id = object["id"] as? String ?? location
        var userTurns: [Transcript.UserTurn] = []
        for (index, turn) in turns.enumerated() {
            let field = "turns[\(index)]"
            guard let role = turn["role"] as? String, ["user", "bot", "agent"].contains(role) else {
                return .failure(Problem(location: location, message: "\(field).role must be user, bot or agent"))
            }
            guard role == "user" else { continue }
            guard let text = turn["text"] as? String else {
                return .failure(Problem(location: location, message: "\(field).text is missing or not a string"))
            }
            var expectation: Transcript.Expectation?
            if let expect = turn["expect"] {
                guard let map = expect as? [String: Any] else {
                    return .failure(Problem(location: location, message: "\(field).expect must be an object"))
                }
                let intent = map["intent"] as? String, outcome = map["outcome"] as? String, department = map["department"] as? String
                if let intent, !knownIntents.contains(intent) {
                    return .failure(Problem(location: location, message: "\(field).expect.intent \"\(intent)\" is not an intent of the bundle"))
                }
                if let outcome, !Transcript.outcomes.contains(outcome) {
                    return .failure(Problem(location: location, message: "\(field).expect.outcome \"\(outcome)\" must be answer, clarify or handoff"))
                }
                if let department, !knownDepartments.contains(department) {
                    return .failure(Problem(location: location, message: "\(field).expect.department \"\(department)\" is not a department of the bundle"))
                }
                expectation = .init(intent: intent, outcome: outcome, department: department)
            }
            userTurns.append(.init(text: text, expect: expectation, source: location))
        }
        guard !userTurns.isEmpty else { return .failure(Problem(location: location, message: "has no user turn to replay")) }
        return .success(Transcript(id: id, locale: object["locale"] as? String, turns: userTurns, source: location))
    }
}
