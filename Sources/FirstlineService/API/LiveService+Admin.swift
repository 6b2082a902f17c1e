import FirstlineHTTP
import FirstlineNLU
import FirstlineStore
import Foundation

/// The trainers' and admins' API (admin token): reload the intents, export transcripts,
/// statistics.
extension LiveService {
    func routeAdmin(_ parts: [String], _ request: HTTPRequest, _ reply: Reply) throws(APIError) {
        guard let token = Self.bearer(request), token.utf8.count <= 128,
              SecretToken.constantTimeEquals(Array(SecretToken.storedHash(of: token).utf8), adminTokenHash) else { throw .unauthorized }
        switch (request.method, parts.joined(separator: "/")) {
        case ("POST", "reload"): reload(reply)
        case ("GET", "transcripts"): exportTranscripts(reply)
        case ("GET", "stats"):
            let metrics = metrics
            runner.submit({ turn in
                let queue = turn.desk.state.queue
                return .object(metrics.summary + [
                    ("open_chats", .int(turn.desk.state.sessions.values.filter { $0.state != .closed }.count)),
                    ("agents_online", .int(queue.agents.values.filter { $0.presence == .online }.count)),
                    ("intents", .int(turn.desk.bundle.intents.count)), ("locales", .array(turn.desk.bundle.locales.map(JSONValue.string))),
                ])
            }, completion: { reply.complete($0) })
        case (_, "reload"), (_, "transcripts"), (_, "stats"):
            throw APIError(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        default:
            throw .notFound
        }
    }

    /// Loads and trains the bundle away from the desk; only a valid one replaces the old,
    /// between two runner turns, so no message is classified half-way through a reload. As at
    /// start-up, the checks across the examples run while the classifier trains (on the token
    /// forms it computes) and a bundle they find errors in is refused.
    private func reload(_ reply: Reply) {
        let directory = configuration.intentsDirectory
        let dataDirectory = configuration.dataDirectory
        reloadQueue.async { [runner, log] in
            let bundle: IntentBundle, checks: ExampleChecks
            do throws(BundleProblems) {
                (bundle, checks) = try IntentBundle.loadDeferringExampleChecks(from: directory)
            } catch {
                return reply.error(Self.invalidBundle(error, directory: directory))
            }
            let (classifier, problems) = IntentClassifier.training(bundle, checking: checks)
            guard problems.errors.isEmpty else { return reply.error(Self.invalidBundle(problems, directory: directory)) }
            ModelCache(dataDirectory: dataDirectory, intentsDirectory: directory).store(classifier)
            runner.submit({ turn in
                turn.replacementBundle = (bundle, classifier)
                return ["intents": .int(bundle.intents.count), "locales": .array(bundle.locales.map(JSONValue.string)),
                        "examples": .int(bundle.intents.reduce(0) { $0 + $1.examples.values.reduce(0) { $0 + $1.count } })]
            }, completion: { result in
                if case .success = result { log("intents reloaded from \(directory)") }
                reply.complete(result)
            })
        }
    }

    /// A 422 listing a refused bundle's errors, named relative to the bundle's folder (no
    /// server paths in a response).
    private static func invalidBundle(_ problems: BundleProblems, directory: String) -> APIError {
        var failure = APIError(422, "invalid_bundle", "the bundle has \(problems.errors.count) problem(s); the running bot keeps the previous one")
        let prefix = URL(fileURLWithPath: directory).standardized.path + "/"
        failure.details = [("problems", .array(problems.errors.map {
            JSONValue.string("\($0)".replacingOccurrences(of: prefix, with: "").replacingOccurrences(of: directory + "/", with: ""))
        }))]
        return failure
    }

    /// Archived chats (from `transcripts.jsonl`) and the ones in memory, masked, one a line.
    private func exportTranscripts(_ reply: Reply) {
        let archive = configuration.dataDirectory + "/transcripts.jsonl"
        runner.submit({ turn in
            let sessions = turn.desk.state.sessions.values.sorted { $0.openedAt < $1.openedAt }
            return .array(TranscriptExporter().jsonLines(sessions).map(JSONValue.string))
        }, completion: { [reloadQueue] result in
            guard case .success(.array(let lines)) = result else { return reply.complete(result) }
            // The archive is read away from the desk's thread: it may be large.
            reloadQueue.async {
                var body = FileManager.default.contents(atPath: archive).map { Array($0) } ?? []
                for case .string(let line) in lines { body += Array((line + "\n").utf8) }
                reply.send(HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/x-ndjson; charset=utf-8")]), body: body))
            }
        })
    }
}
