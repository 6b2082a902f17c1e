import FirstlineDialogue
import FirstlineHTTP
import FirstlineNLU
import FirstlineStore
import Foundation

/// The running support desk behind `firstline serve`: the HTTP server, the chat, agent and
/// admin APIs, the live event streams, the timers and the journal, wired together.
///
/// ```swift
/// let service = try LiveService(configuration: ServiceConfiguration())
/// try service.start()          // recovers the journal, opens the socket
/// service.stop()               // finishes in-flight requests, snapshots, closes the journal
/// ```
public final class LiveService: @unchecked Sendable {  // immutable after init, except what each component guards itself
    public let configuration: ServiceConfiguration
    /// What start-up found and made (printed by `serve`).
    public let startup: StartupReport
    let runner: DeskRunner
    let hub = EventHub()
    let metrics = ServiceMetrics()
    let timers = DeskTimers()
    let tokens: SessionTokens
    let agents: AgentDirectory
    let adminTokenHash: [UInt8]
    let assets: StaticAssets
    let addressLimiter: RateLimiter
    let sessionLimiter: RateLimiter
    private(set) var server: HTTPServer!
    /// Locales a user picked in the widget, by session (a caller's locale wins over identification).
    let pinnedLocales = LockedValue<[String: String]>([:])
    /// Open event streams by client address.
    let streamsPerAddress = LockedValue<[String: Int]>([:])
    private let stopping = OnceFlag()
    private let stopped = DispatchSemaphore(value: 0)
    let reloadQueue = DispatchQueue(label: "firstline-reload")
    /// Where notices go (start-up, journal failures); the CLI prints them.
    public var log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    /// Loads and trains the bundle, recovers the journal, and prepares the agents and tokens.
    /// - Throws: `ServiceSetupError` (bundle problems, an unwritable data folder, a damaged
    ///   secret), `JournalError` (a corrupt journal names the file and offset), `DeskRecordError`.
    public init(configuration: ServiceConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.configuration = configuration
        let started = DispatchTime.now().uptimeNanoseconds
        let data = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServiceSetupError("cannot create the data folder \(data): \(error.localizedDescription); pass --data DIR with a writable folder")
        }
        // The cache's key (a hash of every bundle file) is computed while the bundle loads, and
        // the checks across the bundle's examples run while the classifier trains (on the core
        // its machines leave free); a bundle they find errors in is refused all the same.
        let keying = ModelCache.Pending(dataDirectory: data, intentsDirectory: configuration.intentsDirectory)
        func refuse(_ problems: BundleProblems) -> ServiceSetupError {
            ServiceSetupError("the intent bundle in \(configuration.intentsDirectory) has problems:\n\(problems)\nrun `firstline lint \(configuration.intentsDirectory)` for details")
        }
        let bundle: IntentBundle, checks: ExampleChecks
        do {
            (bundle, checks) = try IntentBundle.loadDeferringExampleChecks(from: configuration.intentsDirectory)
        } catch {
            throw refuse(error)
        }
        let cache = keying.wait()
        let classifier: IntentClassifier
        let modelSource: StartupReport.ModelSource
        var problems = BundleProblems()
        if let cached = cache.load(bundle: bundle) {
            problems = checks.run()
            classifier = cached
            modelSource = .cache
        } else {
            (classifier, problems) = IntentClassifier.training(bundle, checking: checks)
            modelSource = .trained
        }
        guard problems.errors.isEmpty else { throw refuse(problems) }
        if modelSource == .trained { cache.store(classifier) }
        let trained = DispatchTime.now().uptimeNanoseconds
        let store = try DeskJournal(directory: data + "/journal", bundle: bundle, archivePath: data + "/transcripts.jsonl")
        tokens = try SessionTokens.load(path: data + "/secret.key")
        agents = try AgentDirectory(path: data + "/agents.json")
        var demo: (AgentDirectory.Account, token: String)?
        if configuration.createDemoAgent && agents.all.isEmpty {
            demo = try agents.add(name: "Demo agent", skills: bundle.departments.keys.sorted(), capacity: 10)
        }
        let admin = try AdminToken.load(path: data + "/admin.json")
        adminTokenHash = Array(admin.hash.utf8)
        assets = try StaticAssets(directory: configuration.webDirectory)
        addressLimiter = RateLimiter(rate: configuration.addressRate, burst: configuration.addressBurst)
        sessionLimiter = RateLimiter(rate: configuration.sessionRate, burst: configuration.sessionBurst)
        let dispatcher = EffectDispatcher(hub: hub, timers: timers, metrics: metrics)
        runner = DeskRunner(store: store, classifier: classifier, effects: dispatcher, clock: clock)
        dispatcher.runner = runner
        dispatcher.prime(desk: store.desk)
        timers.rearm(from: store.desk)
        startup = StartupReport(
            trainingSeconds: Double(trained - started) / 1e9, model: modelSource, recovery: store.report, sessions: store.desk.state.sessions.count,
            openTickets: store.desk.state.queue.tickets.count, demoAgent: demo.map { ($0.0.name, $0.token) }, adminToken: admin.newToken,
            intents: bundle.intents.count, locales: bundle.locales)
        let pins = pinnedLocales
        dispatcher.onSessionClosed = { id in pins.withLock { $0[id] = nil } }
        dispatcher.onJournalFailure = { [log] in log("journal: \($0) — every later message is refused until the service restarts") }
    }

    /// Starts the desk, the timers and the HTTP server; returns once connections are accepted.
    public func start() throws {
        runner.start()
        let runner = runner
        timers.start(clock: runner.clock) { timer in
            let event: DeskEvent
            switch timer {
            case .idle(let session): event = .idleTimeout(session: session)
            case .offer(let ticket, let agent): event = .offerExpired(ticket: ticket, agent: agent)
            }
            runner.submit({ turn in
                try turn.stage(event)
                return .null
            }, completion: { _ in })
        }
        server = HTTPServer(configuration: configuration.http) { [weak self] request, responder in
            guard let self else { return responder.respond(HTTPResponse(status: 503)) }
            self.handle(request, responder)
        }
        metrics.gauges = { [weak self] in
            guard let self else { return [] }
            return [
                ("firstline_http_open_connections", "Open HTTP connections.", Double(self.server.openConnections)),
                ("firstline_event_streams", "Open live event streams (widgets and consoles).", Double(self.hub.streamCount)),
                ("firstline_timers", "Armed desk timers (idle chats, offers).", Double(self.timers.count)),
            ]
        }
        do {
            try server.start()
        } catch {
            timers.stop()
            runner.stop()
            throw ServiceSetupError("\(error); pass --port with a free port (or --port 0 for any)")
        }
    }

    /// The bound port (after `start`).
    public var port: UInt16 { server?.port ?? 0 }

    /// Graceful stop: no new connections, in-flight requests answered (up to `gracePeriod`
    /// seconds), event streams ended, the desk's last events synced and a snapshot written.
    /// Safe to call more than once; `wait()` returns when it is done.
    public func stop(gracePeriod: Double = 5) {
        guard stopping.claim() else { return }
        server?.shutdown(gracePeriod: gracePeriod)
        server?.waitUntilStopped()   // in-flight requests answered, streams ended
        timers.stop()
        runner.stop()                // queued jobs finished, snapshot written, journal closed
        ModelCache.finishWrites()    // a classifier trained at this start is cached for the next
        stopped.signal()
    }

    /// Blocks until `stop()` has finished (the journal closed).
    public func wait() {
        stopped.wait()
        stopped.signal()
    }

    /// Whether the journal failed (then the service refuses writes and `/healthz` says 503).
    public var isFailing: Bool { runner.hasFailed }
}

/// What `LiveService` found and made at start-up.
public struct StartupReport: Sendable {
    /// Where the classifier came from.
    public enum ModelSource: String, Sendable {
        /// Trained from the bundle's examples at this start (then cached).
        case trained
        /// Read from the data folder's cache (same bundle files, same binary).
        case cache
    }
    /// Seconds to load the bundle and train (or read) the classifier.
    public var trainingSeconds: Double
    public var model: ModelSource
    public var recovery: RecoveryReport
    public var sessions: Int
    public var openTickets: Int
    /// The demo agent made at this start (name, token — shown once), if any.
    public var demoAgent: (name: String, token: String)?
    /// The admin token made at this start (shown once), if any.
    public var adminToken: String?
    public var intents: Int
    public var locales: [String]
}

/// True for the first caller of `claim()` only.
final class OnceFlag: @unchecked Sendable {  // guarded by `lock`
    private var claimed = false
    private let lock = NSLock()

    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}
