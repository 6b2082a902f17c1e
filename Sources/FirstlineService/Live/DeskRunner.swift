import FirstlineDialogue
import FirstlineNLU
import FirstlineStore
import Foundation

/// The one owner of the desk and its journal in the running service: a thread that takes
/// every request that arrived since its last turn, runs them through the reducer in arrival
/// order, makes all their events durable with **one** write and one sync (group commit),
/// and only then answers them and carries out their effects (live events, timers, metrics).
/// Under load a turn holds many requests, so the cost of a sync is shared; when idle a
/// request is answered after its own sync.
///
/// Jobs are closures run on that thread with a `DeskTurn`: they read the desk, classify,
/// stage events, and build their reply, which is delivered after the commit.
public final class DeskRunner: @unchecked Sendable {  // `pending` is guarded by `condition`, `currentBundle` and `failed` are locked; the store and classifier are touched only on the runner thread
    /// A job's answer, delivered after the commit: a value to reply with, or an error.
    public typealias Completion = @Sendable (Result<JSONValue, any Error>) -> Void

    struct Job {
        let work: (inout DeskTurn) throws -> JSONValue
        let completion: Completion
    }

    private let store: DeskJournal
    /// Only touched on the runner thread.
    private var classifier: IntentClassifier
    /// The bundle in use, for the event-loop threads (locales, canned answers); swapped with
    /// the classifier on reload.
    private let currentBundle: LockedValue<IntentBundle>
    /// Whether the journal has failed (then every job is refused and `/healthz` says so).
    private let failed = LockedValue(false)
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var isStopping = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    /// Carries out effects after each commit (live events, timers, metrics).
    let effects: EffectDispatcher
    /// The clock (tests inject one).
    let clock: @Sendable () -> Date

    init(store: DeskJournal, classifier: IntentClassifier, effects: EffectDispatcher, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.classifier = classifier
        currentBundle = LockedValue(classifier.bundle)
        self.effects = effects
        self.clock = clock
    }

    /// The bundle in use (safe from any thread).
    var bundle: IntentBundle { currentBundle.value }

    /// Whether the journal failed: nothing more can be made durable until a restart.
    var hasFailed: Bool { failed.value }

    /// Starts the runner thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "firstline-desk"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    /// Queues a job; its completion is called once, on the runner thread, after its events
    /// are durable (or with the error that refused it).
    func submit(_ work: @escaping (inout DeskTurn) throws -> JSONValue, completion: @escaping Completion) {
        condition.lock()
        if isStopping {
            condition.unlock()
            completion(.failure(APIError(503, "unavailable", "the service is shutting down; try again in a moment")))
            return
        }
        pending.append(Job(work: work, completion: completion))
        if pending.count == 1 { condition.signal() }
        condition.unlock()
    }

    /// Finishes the queued jobs, writes a snapshot, closes the journal and stops the thread.
    func stop() {
        condition.lock()
        guard !isStopping else { condition.unlock(); return }
        isStopping = true
        condition.signal()
        condition.unlock()
        if thread != nil { stopped.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !isStopping { condition.wait() }
            let jobs = pending
            pending.removeAll(keepingCapacity: true)
            let finishing = isStopping && jobs.isEmpty
            condition.unlock()
            if finishing { break }
            turn(jobs)
        }
        effects.finishSnapshots()
        try? store.snapshot()
        store.close()
        stopped.signal()
    }

    /// One turn: every job's work, one commit, then the replies and the effects.
    private func turn(_ jobs: [Job]) {
        if failed.value {
            let failure = APIError(503, "unavailable", "messages cannot be stored right now; the service needs a restart")
            for job in jobs { job.completion(.failure(failure)) }
            return
        }
        var turn = DeskTurn(store: store, classifier: classifier, now: clock())
        var results: [Result<JSONValue, any Error>] = []
        results.reserveCapacity(jobs.count)
        for job in jobs {
            do {
                results.append(.success(try job.work(&turn)))
            } catch {
                // A job that failed after staging leaves its staged events in place: the reducer
                // accepted them, so they are committed; only its reply is the error.
                results.append(.failure(error))
            }
        }
        do {
            try store.commitStaged()
        } catch {
            let failure = APIError(503, "unavailable", "messages cannot be stored right now; nothing was accepted — try again shortly")
            for (job, result) in zip(jobs, results) {
                if case .success = result { job.completion(.failure(failure)) } else { job.completion(result) }
            }
            failed.value = true
            effects.journalFailed("\(error)")
            return
        }
        effects.dispatch(turn.effects, touched: turn.touched, desk: store.desk, now: turn.now)
        for (job, result) in zip(jobs, results) { job.completion(result) }
        if store.isSnapshotDue { effects.snapshotDue(store) }
        if let bundle = turn.replacementBundle {
            store.replaceBundle(bundle.bundle)
            classifier = bundle.classifier
            currentBundle.value = bundle.bundle
        }
    }
}

/// What a job sees during a runner turn: the desk as of the events staged so far, the
/// classifier, the turn's time, and `stage` to run an event through the reducer.
struct DeskTurn {
    let store: DeskJournal
    let classifier: IntentClassifier
    let now: Date
    /// Effects to carry out after the commit, with the session whose reply already carries
    /// the `.send`s addressed to it (so they are not pushed over its event stream twice).
    var effects: [(effect: Effect, repliedTo: String?)] = []
    /// Sessions the staged events were about (their state may have changed even with no effect).
    var touched = Set<String>()
    var replacementBundle: (bundle: IntentBundle, classifier: IntentClassifier)?

    var desk: Desk { store.desk }

    /// Runs an event through the reducer and stages it for the turn's commit.
    /// - Parameter repliedTo: the session whose messages go back in the HTTP reply.
    /// - Throws: `APIError` for a refused event.
    @discardableResult
    mutating func stage(_ event: DeskEvent, repliedTo: String? = nil) throws -> [Effect] {
        do {
            let produced = try store.stage(event, now: now)
            if let session = event.session { touched.insert(session) }
            effects += produced.map { ($0, repliedTo) }
            return produced
        } catch let error as DialogueError {
            throw APIError(error)
        } catch {
            throw APIError(503, "unavailable", "messages cannot be stored right now; nothing was accepted — try again shortly")
        }
    }
}

extension DeskEvent {
    /// The chat an event is about, if one.
    var session: String? {
        switch self {
        case let .sessionOpened(session, _), let .userMessage(session, _, _, _), let .userClosed(session), let .surveyGiven(session, _, _),
             let .idleTimeout(session), let .agentMessage(_, session, _), let .agentTransferred(_, session, _), let .agentResolved(_, session),
             let .agentHandedBack(_, session):
            return session
        case .agentRegistered, .agentPresence, .agentClaimed, .offerExpired, .sessionsArchived:
            return nil
        }
    }
}

/// A value behind a lock.
final class LockedValue<Value: Sendable>: @unchecked Sendable {  // guarded by `lock`
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Reads and changes the value under the lock.
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&stored) }
    }
}
