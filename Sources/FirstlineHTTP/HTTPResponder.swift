/// Answers requests: called on an event-loop thread, it must not block; it calls
/// `responder.respond(_:)` (or `startEventStream`) exactly once, now or later from any thread.
public typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// The way back to one request's connection. `respond` and `startEventStream` may be called
/// from any thread; on the loop's own thread they act at once, from elsewhere they post a
/// task to the loop (a locked queue and at most one wake-up per batch).
public final class HTTPResponder: @unchecked Sendable {
    // @unchecked: `connection` is only used on its loop's thread: directly when the caller is
    // on that thread, otherwise through the loop's task queue. The other members are immutable.
    private let connection: Connection
    private let loop: EventLoop
    private let sequence: UInt64

    init(connection: Connection, sequence: UInt64) {
        self.connection = connection
        self.loop = connection.loop
        self.sequence = sequence
    }

    /// Sends the response (a second call, or a call after the client left, is ignored).
    public func respond(_ response: HTTPResponse) {
        if loop.isCurrent {
            connection.deliver(response, sequence: sequence)
        } else {
            loop.execute(.respond(connection, sequence: sequence, response))
        }
    }

    /// Answers with `200 text/event-stream` (and `Cache-Control: no-store`, plus `headers`)
    /// and keeps the connection open for events. The stream is close-delimited: no further
    /// request is read on this connection.
    /// - Returns: the stream; if the client has already gone it is closed (`send` returns false
    ///   and `onClose` actions run at once).
    public func startEventStream(headers: HTTPHeaders = HTTPHeaders()) -> HTTPEventStream {
        let stream = HTTPEventStream(loop: loop, maxPendingBytes: loop.context.maxEventStreamBacklog)
        if loop.isCurrent {
            connection.startEventStream(stream, headers: headers, sequence: sequence)
        } else {
            loop.execute(.startEventStream(connection, sequence: sequence, stream, headers))
        }
        return stream
    }
}
