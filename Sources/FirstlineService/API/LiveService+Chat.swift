import FirstlineDialogue
import FirstlineHTTP
import FirstlineNLU
import Foundation

/// The chat API the widget uses: a session, its messages, its live events, closing and rating.
extension LiveService {
    func routeChat(_ parts: [String], _ request: HTTPRequest, _ reply: Reply) throws(APIError) {
        guard parts.first == "sessions" else { throw .notFound }
        if parts.count == 1 {
            try Self.requireMethod(request, "POST")
            return try createSession(request, reply)
        }
        let id = parts[1]
        guard let token = Self.bearer(request), tokens.verify(token, session: id) else { throw .unauthorized }
        switch parts.count == 2 ? nil : parts[2] {
        case nil:
            try Self.requireMethod(request, "GET")
            readSession(id, reply)
        case "messages" where parts.count == 3:
            try Self.requireMethod(request, "POST")
            try sendMessage(id, request, reply)
        case "events" where parts.count == 3:
            try Self.requireMethod(request, "GET")
            openSessionEvents(id, request, reply)
        case "close" where parts.count == 3:
            try Self.requireMethod(request, "POST")
            stageAndReply(id, reply) { .userClosed(session: id) }
        case "rating" where parts.count == 3:
            try Self.requireMethod(request, "POST")
            let body = try RequestBody(request)
            guard let rating = try body.int("rating", required: true), (1...5).contains(rating) else {
                throw .invalid("'rating' must be a whole number from 1 to 5")
            }
            let comment = try body.string("comment", maxLength: configuration.maxCommentCharacters)
            stageAndReply(id, reply) { .surveyGiven(session: id, rating: rating, comment: comment) }
        case "typing" where parts.count == 3:
            try Self.requireMethod(request, "POST")
            runner.submit({ [hub] turn in
                if case .withAgent(_, let agent)? = turn.desk.session(id)?.state {
                    hub.broadcast(EventHub.agentChannel(agent), event: "typing", data: ["session": .string(id)])
                }
                return .null
            }, completion: { _ in reply.noContent() })
        default:
            throw .notFound
        }
    }

    private func createSession(_ request: HTTPRequest, _ reply: Reply) throws(APIError) {
        let body = try RequestBody(request)
        let locale = try body.string("locale", maxLength: 16)
        let bundleLocales = runner.bundle.locales
        if let locale, !bundleLocales.contains(locale) {
            throw .invalid("'locale' \(locale) is not one of \(bundleLocales.joined(separator: ", ")); omit it to follow the user's language")
        }
        let id = tokens.newSessionID()
        if let locale { pinnedLocales.withLock { $0[id] = locale } }
        let token = tokens.token(for: id)
        runner.submit({ turn in
            let effects = try turn.stage(.sessionOpened(session: id, locale: locale), repliedTo: id)
            let session = turn.desk.session(id)
            return [
                "session": .string(id), "token": .string(token), "locale": .optional(session?.locale),
                "state": .optional(session?.state.name), "messages": .array(Self.messages(in: effects, to: id, at: turn.now)),
            ]
        }, completion: { reply.complete($0, status: 201) })
    }

    private func readSession(_ id: String, _ reply: Reply) {
        runner.submit({ [hub] turn in
            guard let session = turn.desk.session(id) else { throw APIError(410, "gone", "this chat has ended and was archived; start a new one") }
            return [
                "session": .string(id), "locale": .string(session.locale), "state": .string(session.state.name),
                "queue": Representation.queue(session, desk: turn.desk),
                "messages": .array(session.transcript.map { Representation.turn($0, includeUnderstanding: false) }),
                "last_event_id": hub.lastEventID(EventHub.sessionChannel(id)).map { .string(String($0)) } ?? .null,
                "rating": session.rating.map(JSONValue.int) ?? .null,
                "agent_name": {
                    if case .withAgent(_, let agent) = session.state { return .optional(turn.desk.state.queue.agents[agent]?.name) }
                    return .null
                }(),
                "quick_replies": .array(turn.desk.pendingQuickReplies(for: session).map { ["label": .string($0.label), "value": .string($0.value)] }),
            ]
        }, completion: { reply.complete($0) })
    }

    private func sendMessage(_ id: String, _ request: HTTPRequest, _ reply: Reply) throws(APIError) {
        guard sessionLimiter.allow(id, now: Self.seconds(request)) else {
            var limited = reply
            limited.extraHeaders.append(("Retry-After", String(sessionLimiter.retryAfter(id))))
            return limited.error(APIError(429, "rate_limited", "messages are coming too fast in this chat; wait a moment"))
        }
        let body = try RequestBody(request)
        let choice = try body.string("choice", maxLength: 100)
        let text = try body.string("text", maxLength: configuration.maxMessageCharacters, required: choice == nil) ?? choice ?? ""
        let locale = try body.string("locale", maxLength: 16)
        if let locale {
            guard runner.bundle.locales.contains(locale) else { throw .invalid("'locale' \(locale) is not one of the bundle's locales") }
            pinnedLocales.withLock { $0[id] = locale }
        }
        let pinned = pinnedLocales.withLock { $0[id] }
        let metrics = metrics
        runner.submit({ turn in
            guard let session = turn.desk.session(id) else { throw APIError(410, "gone", "this chat has ended; start a new one") }
            let classification = turn.classifier.classify(text, locale: pinned, previousLocale: session.locale)
            let effects = try turn.stage(.userMessage(session: id, text: text, understanding: Understanding(classification), choice: choice), repliedTo: id)
            metrics.userMessage(intent: classification.intent)
            guard let after = turn.desk.session(id) else { return .null }
            return [
                "messages": .array(Self.messages(in: effects, to: id, at: turn.now)),
                "intent": .optional(classification.intent), "confidence": Representation.confidence(classification.confidence),
                "locale": .string(after.locale), "state": .string(after.state.name), "queue": Representation.queue(after, desk: turn.desk),
            ]
        }, completion: { reply.complete($0) })
    }

    private func openSessionEvents(_ id: String, _ request: HTTPRequest, _ reply: Reply) {
        openStream(EventHub.sessionChannel(id), request, reply) { turn in
            guard let session = turn.desk.session(id) else { throw APIError(410, "gone", "this chat has ended and was archived") }
            var agentName: JSONValue = .null
            if case .withAgent(_, let agent) = session.state { agentName = .optional(turn.desk.state.queue.agents[agent]?.name) }
            var opening: [(String, JSONValue)] = [("state", ["state": .string(session.state.name), "agent_name": agentName])]
            let queue = Representation.queue(session, desk: turn.desk)
            if queue != .null { opening.append(("queue", queue)) }
            return opening
        }
    }

    /// Stages one user-side event and replies with the session's messages and state.
    private func stageAndReply(_ id: String, _ reply: Reply, event: @escaping @Sendable () -> DeskEvent) {
        runner.submit({ turn in
            let effects = try turn.stage(event(), repliedTo: id)
            return [
                "state": .optional(turn.desk.session(id)?.state.name ?? "closed"),
                "messages": .array(Self.messages(in: effects, to: id, at: turn.now)),
            ]
        }, completion: { reply.complete($0) })
    }

    /// The messages addressed to one session among a handful of effects.
    static func messages(in effects: [Effect], to session: String, at: Date) -> [JSONValue] {
        effects.compactMap { effect in
            guard case .send(let message) = effect, message.session == session else { return nil }
            return Representation.message(message, at: at)
        }
    }
}
