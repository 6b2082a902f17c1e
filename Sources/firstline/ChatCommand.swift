import FirstlineDialogue
import FirstlineNLU
import FirstlineStore
import Foundation

/// `firstline chat [--intents DIR] [--data DIR] [--locale xx] [--json]`: talk to the bot in
/// the terminal through the same desk (reducer) and journal the service runs. Every accepted
/// event is durable in `--data` (default `.firstline`) before the reply is printed; start it
/// again and the conversation, tickets and queue are where they were. With standard input not a terminal it
/// reads one user message a line, so conversations can be scripted; `--json` prints one
/// object per message to the user.
///
/// Typing a quick reply's number presses it. Lines starting with `/` drive the agent side of
/// the same desk, so the whole loop can be tried before the HTTP service exists:
/// `/agent` (a demo agent for every department comes online), `/queue`, `/claim [TICKET]`,
/// `/say TEXT` (as the agent), `/transfer DEPT`, `/back` (hand back to the bot),
/// `/resolve`, `/rate N`, `/close`, `/state`, `/help`.
struct ChatCommand {
    let directory: String
    let dataDirectory: String
    let locale: String?
    let isJSON: Bool

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(words, valued: ["--intents", "--locale", "--data"], flags: ["--json"])
        guard arguments.positional.isEmpty else { throw UsageError("chat takes no positional arguments") }
        directory = arguments.options["--intents"] ?? "Intents"
        dataDirectory = arguments.options["--data"] ?? ".firstline"
        locale = arguments.options["--locale"]
        isJSON = arguments.flags.contains("--json")
    }

    func run() throws -> Int32 {
        let bundle = try Firstline.loadBundle(directory)
        if let locale, !bundle.locales.contains(locale) {
            throw UsageError("--locale \(locale) is not one of the bundle's locales (\(bundle.locales.joined(separator: ", ")))")
        }
        let store = try DeskJournal(directory: dataDirectory + "/journal", bundle: bundle, archivePath: dataDirectory + "/transcripts.jsonl")
        defer { store.close() }
        var loop = ChatLoop(store: store, classifier: IntentClassifier(bundle: bundle), locale: locale, isJSON: isJSON)
        if store.report.lastSequence > 0 {
            loop.report("resumed from \(dataDirectory)/journal: \(store.report.lastSequence) events, \(store.desk.state.sessions.count) sessions, \(store.desk.state.queue.tickets.count) open tickets")
        }
        if let tail = store.report.droppedTail { loop.report("dropped a torn last record (\(tail.byteCount) bytes, never acknowledged)") }
        try loop.start()
        let interactive = isatty(STDIN_FILENO) == 1
        while true {
            if interactive && !isJSON { FileHandle.standardOutput.write(Data("you> ".utf8)) }
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            loop.input(text)
        }
        return 0
    }
}

/// The terminal conversation: one session, a clock that is the wall clock, and the agent
/// commands.
struct ChatLoop {
    let store: DeskJournal
    let classifier: IntentClassifier
    let locale: String?
    let isJSON: Bool
    var session = "terminal-1"
    var lastQuickReplies: [QuickReply] = []
    let agent = "demo"

    var bundle: IntentBundle { store.desk.bundle }
    var desk: Desk { store.desk }

    init(store: DeskJournal, classifier: IntentClassifier, locale: String?, isJSON: Bool) {
        self.store = store
        self.classifier = classifier
        self.locale = locale
        self.isJSON = isJSON
    }

    /// Resumes the last terminal conversation if it is still open, else starts a new one.
    mutating func start() throws {
        var number = 1
        while let existing = desk.session("terminal-\(number)") {
            if existing.state != .closed {
                session = existing.id
                report("continuing \(session) (state \(existing.state.name))")
                return
            }
            number += 1
        }
        session = "terminal-\(number)"
        show(try store.handle(.sessionOpened(session: session, locale: locale), now: Date()), classification: nil)
    }

    /// Timers the desk asked for (idle close, offer expiry), fired when due: the terminal has
    /// no event loop, so they are checked before each line is handled.
    var timers: [(at: Date, timer: DeskTimer)] = []

    mutating func fireDueTimers(now: Date = Date()) {
        let due = timers.filter { $0.at <= now }
        timers.removeAll { $0.at <= now }
        for (_, timer) in due {
            switch timer {
            case .idle(let id): run(.idleTimeout(session: id))
            case .offer(let ticket, let agent): run(.offerExpired(ticket: ticket, agent: agent))
            }
        }
    }

    mutating func input(_ text: String) {
        fireDueTimers()
        if text.hasPrefix("/") { return command(text) }
        var choice: String?
        if let number = Int(text), (1...lastQuickReplies.count).contains(number) { choice = lastQuickReplies[number - 1].value }
        let previous = desk.session(session)?.locale
        let classification = classifier.classify(choice.map { value in lastQuickReplies.first { $0.value == value }?.label ?? text } ?? text,
                                                 locale: locale, previousLocale: previous)
        run(.userMessage(session: session, text: text, understanding: Understanding(classification), choice: choice), classification: classification)
    }

    mutating func run(_ event: DeskEvent, classification: Classification? = nil) {
        do {
            show(try store.handle(event, now: Date()), classification: classification)
        } catch {
            report("refused: \(error)")
        }
    }

    mutating func command(_ line: String) {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : nil
        switch parts[0] {
        case "/agent":
            run(.agentRegistered(agent: agent, name: "Demo agent", skills: bundle.departments.keys.sorted(), capacity: 5))
            run(.agentPresence(agent: agent, presence: .online))
            report("demo agent online for every department")
        case "/queue":
            let waiting = desk.state.queue.waiting()
            report(waiting.isEmpty ? "queue empty" : waiting.map { "\($0.id) \($0.department) \($0.priority.rawValue): \($0.evidence.summary)" }.joined(separator: "\n"))
        case "/claim": run(.agentClaimed(agent: agent, ticket: argument))
        case "/say": run(.agentMessage(agent: agent, session: session, text: argument ?? ""))
        case "/transfer": run(.agentTransferred(agent: agent, session: session, department: argument ?? ""))
        case "/back": run(.agentHandedBack(agent: agent, session: session))
        case "/resolve": run(.agentResolved(agent: agent, session: session))
        case "/rate": run(.surveyGiven(session: session, rating: Int(argument ?? "") ?? 0, comment: nil))
        case "/close": run(.userClosed(session: session))
        case "/state": report(desk.session(session).map { "state \($0.state.name), locale \($0.locale)" } ?? "no session")
        default:
            report("commands: /agent /queue /claim [TICKET] /say TEXT /transfer DEPT /back /resolve /rate N /close /state")
        }
    }

    mutating func show(_ effects: [Effect], classification: Classification?) {
        let current = desk.session(session)
        var ticket: String?
        if case .queued(let t)? = current?.state { ticket = t }
        if case .withAgent(let t, _)? = current?.state { ticket = t }
        for effect in effects {
            switch effect {
            case .send(let message):
                lastQuickReplies = message.quickReplies.isEmpty ? lastQuickReplies : message.quickReplies
                if isJSON {
                    var localeValue: Any = NSNull()
                    if let current { localeValue = current.locale }
                    Output.json([
                        "text": message.text, "role": message.role.rawValue, "kind": message.kind,
                        "intent": classification?.intent ?? NSNull(),
                        "confidence": classification.map { Output.rounded(Double($0.confidence), 4) } ?? NSNull(),
                        "locale": localeValue, "state": current?.state.name ?? "closed", "ticket": ticket ?? NSNull(),
                        "quick_replies": message.quickReplies.map { ["label": $0.label, "value": $0.value] },
                    ])
                } else {
                    let who = message.role == .agent ? "agent" : message.role == .system ? "notice" : "bot"
                    Output.line("\(who)> \(message.text)")
                    if !message.quickReplies.isEmpty {
                        Output.line("      " + message.quickReplies.enumerated().map { "[\($0.offset + 1)] \($0.element.label)" }.joined(separator: "  "))
                    }
                }
            case .schedule(let at, let timer):
                timers.append((at, timer))
            case .enqueued, .notifyAgent, .notifyDepartment:
                continue
            }
        }
    }

    func report(_ text: String) {
        if isJSON { Output.json(["notice": text]) } else { Output.line("~ \(text)") }
    }
}
