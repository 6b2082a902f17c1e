/// An open Server-Sent Events stream: `send` from any thread; events are written by the
/// connection's loop in order.
///
/// The stream ends once: when the client goes away (hang-up, read end, write error), when
/// `close()` is called, when the consumer is too slow (more than 256 kB unsent), or when the
/// server shuts down; `onClose` actions then run once, on the loop's thread.
public final class HTTPEventStream: @unchecked Sendable {
    // @unchecked: `shared` is behind its lock; `connection` is read and written only on the
    // loop's thread (it is set by the loop when the stream starts and cleared when it ends).
    private struct Shared {
        var isOpen = true
        var pending: [UInt8] = []
        var isFlushScheduled = false
        var hasEnded = false
        var closeActions: [@Sendable () -> Void] = []
    }

    private let shared = Locked(Shared())
    private let loop: EventLoop?
    private let maxPendingBytes: Int
    /// The connection carrying the stream; loop thread only.
    private(set) var connection: Connection?

    init(loop: EventLoop?, maxPendingBytes: Int) {
        self.loop = loop
        self.maxPendingBytes = maxPendingBytes
    }

    /// Queues one event.
    /// - Parameters:
    ///   - id: the `id:` field (CR and LF removed), or nil.
    ///   - event: the `event:` field (CR and LF removed), or nil for the default `message`.
    ///   - data: the data; several lines become several `data:` lines.
    /// - Returns: false when the stream is closed (the event is dropped), or when this event
    ///   would pass the pending limit (the stream is then closed).
    @discardableResult
    public func send(id: String? = nil, event: String? = nil, data: String) -> Bool {
        let bytes = EventStreamEncoder.encode(id: id, event: event, data: data)
        enum Outcome { case closed, queued, scheduled, overflowed }
        let outcome = shared.withLock { shared -> Outcome in
            guard shared.isOpen else { return .closed }
            if shared.pending.count + bytes.count > maxPendingBytes {
                shared.isOpen = false
                shared.pending = []
                return .overflowed
            }
            shared.pending.append(contentsOf: bytes)
            if shared.isFlushScheduled { return .queued }
            shared.isFlushScheduled = true
            return .scheduled
        }
        switch outcome {
        case .closed:
            return false
        case .queued:
            return true
        case .scheduled:
            loop?.execute(.flushEventStream(self))
            return true
        case .overflowed:
            if let loop { loop.execute(.closeEventStream(self, isAbort: true)) } else { didClose() }
            return false
        }
    }

    /// Ends the stream after the events already queued, and closes its connection.
    public func close() {
        let wasOpen = shared.withLock { shared in
            defer { shared.isOpen = false }
            return shared.isOpen
        }
        guard wasOpen else { return }
        if let loop { loop.execute(.closeEventStream(self, isAbort: false)) } else { didClose() }
    }

    /// Whether events can still be sent (the client is connected and nobody closed it).
    public var isOpen: Bool { shared.withLock { $0.isOpen } }

    /// Runs `action` once when the stream ends, on the loop's thread; at once (on the
    /// caller's thread) if it has already ended.
    public func onClose(_ action: @escaping @Sendable () -> Void) {
        let hasEnded = shared.withLock { shared in
            if !shared.hasEnded { shared.closeActions.append(action) }
            return shared.hasEnded
        }
        if hasEnded { action() }
    }

    // MARK: Loop side

    /// Takes the bytes queued by `send`.
    func takePending() -> [UInt8] {
        shared.withLock { shared in
            shared.isFlushScheduled = false
            defer { shared.pending = [] }
            return shared.pending
        }
    }

    /// The stream is now carried by `connection` (loop thread).
    func attach(_ connection: Connection) { self.connection = connection }

    /// The stream's connection is done with it (loop thread).
    func detach() { connection = nil }

    /// Marks the stream ended and runs the close actions, once.
    func didClose() {
        let actions = shared.withLock { shared -> [@Sendable () -> Void] in
            guard !shared.hasEnded else { return [] }
            shared.hasEnded = true
            shared.isOpen = false
            shared.pending = []
            defer { shared.closeActions = [] }
            return shared.closeActions
        }
        for action in actions { action() }
    }
}
