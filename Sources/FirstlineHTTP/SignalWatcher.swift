#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Turns SIGTERM and SIGINT into one call of a closure (for a graceful shutdown), through
/// Dispatch signal sources rather than a signal handler, and ignores SIGPIPE process-wide
/// so a write to a closed socket is an error, never the end of the process.
///
/// ```swift
/// let watcher = SignalWatcher { signal in server.shutdown(gracePeriod: 5) }
/// server.waitUntilStopped()
/// ```
public final class SignalWatcher: @unchecked Sendable {
    // @unchecked: `sources` is written once in `init` and then only read by `cancel`;
    // `hasFired` is behind its lock.
    private var sources: [DispatchSourceSignal] = []
    private let hasFired = Locked(false)

    /// Starts watching.
    /// - Parameters:
    ///   - signals: the signals to watch (default SIGTERM and SIGINT); their default action
    ///     (terminate) is turned off while watched.
    ///   - queue: where `action` runs.
    ///   - action: called once, with the first signal received; later signals are ignored.
    public init(signals: [Int32] = [SIGTERM, SIGINT], queue: DispatchQueue = .global(), action: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [hasFired] in
                let isFirst = hasFired.withLock { fired in
                    defer { fired = true }
                    return !fired
                }
                if isFirst { action(number) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching (the signals stay ignored).
    public func cancel() {
        for source in sources { source.cancel() }
    }

    deinit {
        cancel()
    }
}
