/// Limits, timeouts and threads of an `HTTPServer`; the defaults are what `firstline serve` uses.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind (`127.0.0.1`, `0.0.0.0`, `::`); numeric IPv4 or IPv6, or `localhost`.
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
    /// The defaults above.
    public init() {}
}
