import FirstlineDialogue
import Foundation

/// The desk's timers (idle chats, offers to agents) turned back into events when due. The
/// desk asks for them with `.schedule` effects; a restart re-arms them from the recovered
/// state (`rearm(from:)`), and a timer that fires for something that has moved on is
/// ignored by the reducer. Due timers are checked every `resolution` seconds.
final class DeskTimers: @unchecked Sendable {  // `due` guarded by `lock`
    /// One timer per session (idle) or offer: a later request replaces the earlier one, so
    /// memory is bounded by open chats, not by messages.
    private var due: [String: (at: Date, timer: DeskTimer)] = [:]
    private let lock = NSLock()
    private var source: DispatchSourceTimer?
    let resolution: TimeInterval

    init(resolution: TimeInterval = 0.5) {
        self.resolution = resolution
    }

    func schedule(_ timer: DeskTimer, at date: Date) {
        let key: String
        switch timer {
        case .idle(let session): key = "i" + session
        case .offer(let ticket, let agent): key = "o" + ticket + "\u{1}" + agent
        }
        lock.withLock { due[key] = (date, timer) }
    }

    /// Takes the timers due at `now`.
    func takeDue(now: Date) -> [DeskTimer] {
        lock.withLock {
            let fired = due.filter { $0.value.at <= now }
            for key in fired.keys { due[key] = nil }
            return fired.values.sorted { $0.at < $1.at }.map(\.timer)
        }
    }

    var count: Int { lock.withLock { due.count } }

    /// Arms the timers a recovered desk still needs: each bot-handled chat's idle timeout and
    /// each open offer's expiry.
    func rearm(from desk: Desk) {
        for session in desk.state.sessions.values where session.state.isBotHandled {
            schedule(.idle(session: session.id), at: session.lastActivity.addingTimeInterval(desk.policy.idleTimeout))
        }
        for ticket in desk.state.queue.tickets.values {
            if let agent = ticket.offeredTo, let expires = ticket.offerExpires { schedule(.offer(ticket: ticket.id, agent: agent), at: expires) }
        }
    }

    /// Starts checking; `fire` gets each due timer.
    func start(clock: @escaping @Sendable () -> Date, fire: @escaping @Sendable (DeskTimer) -> Void) {
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "firstline-timers"))
        source.schedule(deadline: .now() + resolution, repeating: resolution)
        source.setEventHandler { [weak self] in
            for timer in self?.takeDue(now: clock()) ?? [] { fire(timer) }
        }
        self.source = source
        source.resume()
    }

    func stop() {
        source?.cancel()
        source = nil
    }
}
