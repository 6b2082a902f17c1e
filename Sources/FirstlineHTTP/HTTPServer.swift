import Dispatch
import Foundation

/// The HTTP/1.1 server: `loopThreads` epoll loops serving keep-alive, pipelined requests and
/// Server-Sent Events, strict about framing (RFC 9112) and bounded in size and time.
///
/// One listening socket is watched by loop 0, which hands accepted connections to the loops
/// round-robin. The handler runs on a loop thread and must not block; it answers through the
/// `HTTPResponder`, at once or later from any thread.
///
/// ```swift
/// var configuration = HTTPServerConfiguration()
/// configuration.port = 0
/// let server = HTTPServer(configuration: configuration) { request, responder in
///     responder.respond(HTTPResponse(status: 200, contentType: "text/plain", body: "hi"))
/// }
/// try server.start()
/// print(server.port)
/// ```
public final class HTTPServer: @unchecked Sendable {
    // @unchecked: `lifecycle` is behind its lock; `context` is immutable and Sendable.
    private enum Lifecycle {
        case idle
        case running(loops: [EventLoop], port: UInt16)
        case stopping(port: UInt16)
        case stopped(port: UInt16)
    }

    private let context: ServerContext
    private let lifecycle = Locked(Lifecycle.idle)
    private let loopsStopped = DispatchGroup()

    /// - Parameters:
    ///   - configuration: address, limits, timeouts, threads.
    ///   - handler: called on a loop thread for each complete request.
    public init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        context = ServerContext(configuration: configuration, handler: handler)
    }

    /// Binds, listens and starts the loops; returns once connections are accepted.
    /// - Throws: `HTTPServerError` when the address cannot be bound, a loop cannot be
    ///   created, or the server was already started.
    public func start() throws(HTTPServerError) {
        let failure = lifecycle.withLock { lifecycle -> HTTPServerError? in
            do throws(HTTPServerError) {
                try start(&lifecycle)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private func start(_ lifecycle: inout Lifecycle) throws(HTTPServerError) {
        guard case .idle = lifecycle else { throw HTTPServerError(description: "the server was already started") }
        let configuration = context.configuration
        let (listener, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        var loops: [EventLoop] = []
        do {
            for _ in 0..<max(1, configuration.loopThreads) {
                loops.append(try EventLoop(context: context))
            }
            let acceptor = Acceptor(descriptor: listener, loops: loops)
            try acceptor.register(on: loops[0])
            loops[0].acceptor = acceptor
        } catch {
            SystemCall.close(listener)
            throw HTTPServerError(description: "cannot start the event loops: \(error)")
        }
        for (index, loop) in loops.enumerated() {
            loopsStopped.enter()
            let group = loopsStopped
            let thread = Thread {
                loop.run()
                group.leave()
            }
            thread.name = "firstline-http-\(index)"
            thread.start()
        }
        lifecycle = .running(loops: loops, port: port)
    }

    /// The bound port (0 before `start`).
    public var port: UInt16 {
        lifecycle.withLock { lifecycle in
            switch lifecycle {
            case .idle: 0
            case .running(_, let port), .stopping(let port), .stopped(let port): port
            }
        }
    }

    /// Connections open now (keep-alive, in flight, and event streams), for metrics.
    public var openConnections: Int { context.openConnections }

    /// Event streams open now, for metrics.
    public var openEventStreams: Int { context.openEventStreams }

    /// Begins a graceful shutdown and returns at once (`waitUntilStopped()` waits for it):
    /// stops accepting, closes idle keep-alive connections, ends event streams (their
    /// `onClose` actions run), lets requests being received or answered finish with
    /// `Connection: close`, and after `gracePeriod` seconds closes whatever is left.
    /// A second call does nothing.
    public func shutdown(gracePeriod: Double = 5) {
        let loops = lifecycle.withLock { lifecycle -> [EventLoop] in
            switch lifecycle {
            case .idle:
                lifecycle = .stopped(port: 0)
                return []
            case .running(let loops, let port):
                lifecycle = .stopping(port: port)
                return loops
            case .stopping, .stopped:
                return []
            }
        }
        guard let first = loops.first else { return }
        let deadline = monotonicNanoseconds() &+ nanoseconds(gracePeriod)
        first.execute(.closeListener)
        for loop in loops { loop.execute(.beginShutdown(deadline: deadline)) }
        let group = loopsStopped
        group.notify(queue: .global()) { [lifecycle] in
            lifecycle.withLock { lifecycle in
                if case .stopping(let port) = lifecycle { lifecycle = .stopped(port: port) }
            }
        }
    }

    /// Blocks until the server has shut down (at once if it was never started).
    public func waitUntilStopped() {
        loopsStopped.wait()
    }
}
