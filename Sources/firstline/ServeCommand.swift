import FirstlineHTTP
import FirstlineService
import Foundation

/// `firstline serve`: the live service — chat widget and demo page, agent console, APIs —
/// on the bundled intents with its journal in `./.firstline`. With no agent yet it makes a
/// demo agent for every department and prints its token with the addresses to open.
/// SIGTERM or SIGINT stops it gracefully (in-flight requests answered, journal synced).
struct ServeCommand {
    static let help = """
        firstline serve [--intents DIR] [--data DIR] [--host ADDR] [--port N] [--origin URL]...
                        [--web DIR] [--threads N] [--limit-address R] [--limit-session R] [--limit-streams N]
                        [--trusted-proxy ADDR]... [--no-demo-agent]

          --intents DIR        intent bundle (default Intents)
          --data DIR           journal, agents, tokens, archived transcripts (default .firstline)
          --host ADDR          address to listen on (default 127.0.0.1; 0.0.0.0 for all)
          --port N             port (default 8080; 0 picks a free one)
          --origin URL         a site allowed to embed the widget (CORS), repeatable
          --trusted-proxy ADDR a proxy whose X-Forwarded-For names the client (rate limits), repeatable
          --web DIR            serve the web files from DIR instead of the built-in ones
          --threads N          HTTP event-loop threads (default 2)
          --limit-address R    API requests per second per client address (default 50; 0 = off)
          --limit-session R    messages per second per chat (default 1, bursts of 10; 0 = off)
          --limit-streams N    open live streams per client address (default 200; 0 = off)
          --no-demo-agent      do not create the demo agent
        """

    var configuration = ServiceConfiguration()

    init(_ words: [String]) throws(UsageError) {
        var origins: [String] = [], proxies: [String] = []
        var remaining: [String] = []
        var index = 0
        while index < words.count {
            if words[index] == "--origin", index + 1 < words.count {
                origins.append(words[index + 1])
                index += 2
            } else if words[index] == "--trusted-proxy", index + 1 < words.count {
                proxies.append(words[index + 1])
                index += 2
            } else {
                remaining.append(words[index])
                index += 1
            }
        }
        let arguments = try Arguments(remaining, valued: ["--intents", "--data", "--host", "--port", "--web", "--threads", "--limit-address", "--limit-session", "--limit-streams"],
                                      flags: ["--no-demo-agent"])
        guard arguments.positional.isEmpty else { throw UsageError("serve takes no positional arguments") }
        configuration.intentsDirectory = arguments.options["--intents"] ?? "Intents"
        configuration.dataDirectory = arguments.options["--data"] ?? ".firstline"
        configuration.webDirectory = arguments.options["--web"]
        let host = arguments.options["--host"] ?? "127.0.0.1"
        configuration.http.host = host == "localhost" ? "127.0.0.1" : host
        if let port = arguments.options["--port"] {
            guard let value = UInt16(port) else { throw UsageError("--port must be 0–65535") }
            configuration.http.port = value
        }
        if let threads = arguments.options["--threads"] {
            guard let value = Int(threads), (1...64).contains(value) else { throw UsageError("--threads must be 1–64") }
            configuration.http.loopThreads = value
        }
        if let rate = arguments.options["--limit-address"] {
            guard let value = Double(rate), value >= 0 else { throw UsageError("--limit-address must be a number ≥ 0") }
            configuration.addressRate = value
            configuration.addressBurst = max(1, value * 4)
        }
        if let rate = arguments.options["--limit-session"] {
            guard let value = Double(rate), value >= 0 else { throw UsageError("--limit-session must be a number ≥ 0") }
            configuration.sessionRate = value
            configuration.sessionBurst = max(10, value * 4)
        }
        if let limit = arguments.options["--limit-streams"] {
            guard let value = Int(limit), value >= 0 else { throw UsageError("--limit-streams must be a whole number ≥ 0") }
            configuration.maxStreamsPerAddress = value
        }
        for origin in origins {
            guard let url = URL(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil, url.path.isEmpty || url.path == "/" else {
                throw UsageError("--origin \(origin) is not a site origin like https://bets.example")
            }
        }
        configuration.allowedOrigins = origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        configuration.createDemoAgent = !arguments.flags.contains("--no-demo-agent")
        configuration.trustedProxies = proxies
    }

    func run() throws -> Int32 {
        let began = Date()
        let service = try LiveService(configuration: configuration)
        let watcher = SignalWatcher { _ in service.stop() }
        _ = watcher
        try service.start()
        let base = "http://\(configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host):\(service.port)"
        let report = service.startup
        var lines = [
            "firstline serving on \(base) (started in \(String(format: "%.2f", Date().timeIntervalSince(began))) s: \(report.intents) intents, \(report.locales.joined(separator: " ")); model \(report.model == .cache ? "read from the cache" : "trained") in \(String(format: "%.2f", report.trainingSeconds)) s)",
            "  demo page:     \(base)/",
            "  agent console: \(base)/agent",
            "  data:          \(configuration.dataDirectory) (\(report.recovery.lastSequence) journal events, \(report.sessions) chats, \(report.openTickets) open tickets)",
        ]
        if let demo = report.demoAgent { lines.append("  demo agent token (all departments, shown once): \(demo.token)") }
        if let admin = report.adminToken { lines.append("  admin token (reload, export, stats; shown once): \(admin)") }
        if report.demoAgent == nil { lines.append("  agents: tokens were shown when made; `firstline agents add NAME --skills a,b` makes a new one") }
        lines.append("  stop with Ctrl-C (finishes what is in flight and syncs the journal)")
        Output.line(lines.joined(separator: "\n"))
        service.wait()
        Output.line("firstline stopped")
        return 0
    }
}

/// `firstline agents add NAME --skills a,b [--capacity N] [--data DIR]` prints the new
/// agent's token once (only its hash is stored); `firstline agents list` shows the accounts.
struct AgentsCommand {
    let words: [String]

    init(_ words: [String]) { self.words = words }

    func run() throws -> Int32 {
        guard let action = words.first else { throw UsageError("agents needs add or list") }
        let arguments = try Arguments(Array(words.dropFirst()), valued: ["--skills", "--capacity", "--data", "--intents"], flags: [])
        let data = arguments.options["--data"] ?? ".firstline"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let directory = try AgentDirectory(path: data + "/agents.json")
        switch action {
        case "add":
            guard arguments.positional.count == 1 else { throw UsageError("agents add takes one NAME (quote it if it has spaces)") }
            guard let skillList = arguments.options["--skills"] else { throw UsageError("agents add needs --skills a,b (department ids)") }
            let skills = skillList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let bundle = try Firstline.loadBundle(arguments.options["--intents"] ?? "Intents")
            let unknown = skills.filter { bundle.departments[$0] == nil }
            guard unknown.isEmpty else {
                throw UsageError("unknown department(s) \(unknown.joined(separator: ", ")); the bundle has \(bundle.departments.keys.sorted().joined(separator: ", "))")
            }
            let capacity = try arguments.options["--capacity"].map { text throws(UsageError) -> Int in
                guard let value = Int(text) else { throw UsageError("--capacity must be a whole number") }
                return value
            } ?? 5
            let (account, token) = try directory.add(name: arguments.positional[0], skills: skills, capacity: capacity)
            Output.line("agent \(account.id) (\(account.name); \(account.skills.joined(separator: ", ")); up to \(account.capacity) chats)")
            Output.line("token (shown once — only its hash is stored): \(token)")
            return 0
        case "list":
            for account in directory.all {
                Output.line("\(account.id)\t\(account.name)\t\(account.skills.joined(separator: ","))\t\(account.capacity)")
            }
            return 0
        default:
            throw UsageError("agents \(action): use add or list")
        }
    }
}
