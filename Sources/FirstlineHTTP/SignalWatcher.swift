import Dispatch
import Glibc

/// Turns SIGTERM and SIGINT into one call of a closure (graceful shutdown), and ignores
/// SIGPIPE process-wide so a peer that hangs up never kills the process.
public final class SignalWatcher: @unchecked Sendable {  // sources are only touched in init
    private var sources: [DispatchSourceSignal] = []

    public init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "firstline-signals")
        let once = Once()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { if once.first() { action() } }
            source.resume()
            sources.append(source)
        }
    }

    private final class Once: @unchecked Sendable {  // only touched on the serial signal queue
        private var fired = false
        func first() -> Bool {
            defer { fired = true }
            return !fired
        }
    }
}
