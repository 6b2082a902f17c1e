import Foundation

/// Limits, timeouts and threads of an `HTTPServer`; the defaults are what `firstline serve` uses.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind (`127.0.0.1`, `0.0.0.0`, `::`).
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one (see `HTTPServer.port`).
    public var port: UInt16 = 8080
    /// Event-loop threads (each with its own epoll set).
    public var loopThreads = 2
    /// Open connections at most; beyond it new ones get 503 and are closed.
    public var maxConnections = 10_000
    /// Request line plus header fields, in bytes (431 beyond it; 414 for a long request line).
    public var maxHeaderBytes = 16 * 1024
    /// Body, in bytes (413 beyond it).
    public var maxBodyBytes = 64 * 1024
    /// Seconds to receive a whole request head once its first byte came (408, then close).
    public var headerTimeout: Double = 10
    /// Seconds to receive the whole body after the head (408, then close).
    public var bodyTimeout: Double = 10
    /// Seconds a keep-alive connection may sit idle between requests (closed quietly).
    public var idleTimeout: Double = 60
    /// Seconds between `: keep-alive` comments on open event streams.
    public var eventStreamHeartbeat: Double = 15
    public init() {}
}

/// Answers requests: called on an event-loop thread, it must not block; it calls
/// `responder.respond(_:)` (or `startEventStream`) exactly once, now or later from any thread.
public typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// The way back to one request's connection.
public final class HTTPResponder: @unchecked Sendable {
    init() {}
    /// Sends the response (a second call is ignored).
    public func respond(_ response: HTTPResponse) { fatalError("FirstlineHTTP not built yet") }
    /// Answers with `200 text/event-stream` and keeps the connection open for events.
    public func startEventStream(headers: HTTPHeaders = HTTPHeaders()) -> HTTPEventStream { fatalError("FirstlineHTTP not built yet") }
}

/// An open Server-Sent Events stream.
public final class HTTPEventStream: @unchecked Sendable {
    init() {}
    /// Queues one event; false when the stream is closed.
    @discardableResult
    public func send(id: String? = nil, event: String? = nil, data: String) -> Bool { false }
    /// Ends the stream and closes its connection.
    public func close() {}
    /// Whether the client is still connected.
    public var isOpen: Bool { false }
    /// Called once when the stream ends (client gone, `close()`, or server shutdown).
    public func onClose(_ action: @escaping @Sendable () -> Void) {}
}

/// The HTTP/1.1 server.
public final class HTTPServer: @unchecked Sendable {
    public init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {}
    /// Binds, listens and starts the loops; returns once connections are accepted.
    public func start() throws(HTTPServerError) {}
    public var openConnections: Int { 0 }
    /// The bound port.
    public var port: UInt16 { 0 }
    /// Stops accepting, lets in-flight requests finish (at most `gracePeriod` seconds), closes every connection.
    public func shutdown(gracePeriod: Double = 5) {}
    /// Blocks until the server has shut down.
    public func waitUntilStopped() {}
}

/// Why the server could not start.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
