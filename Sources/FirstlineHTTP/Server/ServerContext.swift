/// What every loop of one server shares: the configuration, the handler, and the counts
/// behind `HTTPServer.openConnections` and `openEventStreams`.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    /// Derived limits and durations, in the units the loops use.
    let limits: HTTPRequestDecoder.Limits
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let idleTimeout: UInt64
    let heartbeatInterval: UInt64
    /// How long a closing connection waits for the client's FIN after the last response.
    let lingerTimeout: UInt64
    /// How often a loop checks deadlines.
    let tickInterval: UInt64
    /// Unsent bytes an event stream may hold before it is closed as a slow consumer.
    let maxEventStreamBacklog = 256 * 1024

    private struct Counts {
        var connections = 0
        var eventStreams = 0
    }
    private let counts = Locked(Counts())

    init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        limits = HTTPRequestDecoder.Limits(
            maxHeaderBytes: max(configuration.maxHeaderBytes, 64), maxBodyBytes: max(configuration.maxBodyBytes, 0))
        headerTimeout = nanoseconds(configuration.headerTimeout)
        bodyTimeout = nanoseconds(configuration.bodyTimeout)
        idleTimeout = nanoseconds(configuration.idleTimeout)
        heartbeatInterval = nanoseconds(configuration.eventStreamHeartbeat)
        lingerTimeout = min(nanoseconds(2), idleTimeout)
        let shortest = [headerTimeout, bodyTimeout, idleTimeout, heartbeatInterval].filter { $0 > 0 }.min() ?? nanoseconds(1)
        tickInterval = min(max(shortest / 4, nanoseconds(0.01)), nanoseconds(0.5))
    }

    /// Counts a new connection unless the limit is reached.
    func openConnection() -> Bool {
        counts.withLock { counts in
            guard counts.connections < configuration.maxConnections else { return false }
            counts.connections += 1
            return true
        }
    }

    func connectionClosed() { counts.withLock { $0.connections -= 1 } }
    func eventStreamOpened() { counts.withLock { $0.eventStreams += 1 } }
    func eventStreamClosed() { counts.withLock { $0.eventStreams -= 1 } }
    var openConnections: Int { counts.withLock { $0.connections } }
    var openEventStreams: Int { counts.withLock { $0.eventStreams } }
}
