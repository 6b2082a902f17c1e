import Dispatch

/// One client socket, owned by one loop and used only on its thread.
///
/// Memory is allocated lazily: an idle connection holds no read buffer (bytes are read into
/// the loop's shared buffer and only an unconsumed remainder is kept) and a small output
/// buffer at most. The life cycle is in `Connection+StateMachine.swift`, the socket I/O in
/// `Connection+IO.swift`, event streams in `Connection+EventStream.swift`.
final class Connection {
    /// What the connection is doing; each state has its deadline (see `deadlinePassed`).
    enum State {
        /// Between requests: the idle timeout runs; it ends quietly.
        case idle
        /// Part of a head has arrived: the header timeout runs (408).
        case receivingHead
        /// The head is complete and the body is arriving: the body timeout runs (408).
        case receivingBody
        /// The handler has the request; later bytes (pipelined requests) wait in `input`.
        case awaitingResponse(InFlight)
        /// The response is an event stream; the deadline is the next heartbeat.
        case streaming(HTTPEventStream)
        /// The last response is going out; then FIN, and a short wait for the client's FIN
        /// (a lingering close, so unread request bytes do not turn into a reset that would
        /// destroy the response).
        case closing
        /// The socket is closed.
        case closed
    }

    /// The request the handler is working on.
    struct InFlight {
        var sequence: UInt64
        var isHead: Bool
        var persistence: ResponseEncoder.Persistence
    }

    let descriptor: Int32
    /// Descriptor plus a generation, so an event for a recycled descriptor is not misdelivered.
    let token: UInt64
    unowned let loop: EventLoop
    let remoteAddress: String

    var state = State.idle
    /// When the current state's timeout fires (monotonic ns); `.max` for none.
    var deadline: UInt64 = .max
    /// Position in the loop's sweep list.
    var sweepIndex = 0

    var decoder: HTTPRequestDecoder
    /// Received bytes not yet consumed (empty most of the time).
    var input: [UInt8] = []
    /// Bytes to send, from `outputOffset` on.
    var output: [UInt8] = []
    var outputOffset = 0
    /// The number of the last request handed to the handler.
    var sequence: UInt64 = 0
    /// The client sent FIN: answer what is in flight, then close.
    var isInputClosed = false
    /// Edge-triggered: the socket may hold bytes we stopped reading (input was full).
    var isReadPending = false
    /// Epoll reported the peer's FIN or a hang-up; no further edge will come for it.
    var hasPeerHungUp = false
    /// Inside `process`: a response delivered now must not re-enter the decoder.
    var isProcessing = false
    /// Inside `flush`: a nested call (through a close on FIN) returns at once.
    var isFlushing = false
    /// FIN has been sent.
    var hasShutDownOutput = false
    /// Bytes thrown away while lingering, capped.
    var discardedBytes = 0

    init(descriptor: Int32, token: UInt64, loop: EventLoop, remoteAddress: String) {
        self.descriptor = descriptor
        self.token = token
        self.loop = loop
        self.remoteAddress = remoteAddress
        decoder = HTTPRequestDecoder(limits: loop.context.limits)
    }

    var context: ServerContext { loop.context }

    /// The most bytes kept unconsumed while a response is pending (pipelined requests).
    var maxBufferedInput: Int { context.limits.maxHeaderBytes + context.limits.maxBodyBytes }

    /// Starts the idle clock; called once registered.
    func start() {
        state = .idle
        deadline = loop.now &+ context.idleTimeout
        // Edge-triggered registration reports data that arrived before it, but reading now
        // saves a pass.
        readAvailable()
        pump()
    }

    /// Reacts to what epoll reported.
    func handle(_ event: Epoll.Event) {
        if event.isHangUp { hasPeerHungUp = true }
        if event.isWritable { flush() }
        if event.isReadable || event.isHangUp { readAvailable() }
        pump()
    }

    /// Hands a complete request to the application.
    func dispatch(_ head: HTTPRequestHead, body: [UInt8]) {
        sequence &+= 1
        let persistence: ResponseEncoder.Persistence =
            !head.isKeepAlive || loop.isShuttingDown ? .close : head.minorVersion == 0 ? .keepAliveHTTP10 : .keepAlive
        state = .awaitingResponse(InFlight(sequence: sequence, isHead: head.isHead, persistence: persistence))
        deadline = .max
        let (path, query) = RequestTarget.split(head.target)
        let request = HTTPRequest(
            method: head.method, target: head.target, path: path, query: query, headers: head.headers, body: body,
            remoteAddress: remoteAddress, receivedAt: DispatchTime.now().uptimeNanoseconds)
        context.handler(request, HTTPResponder(connection: self, sequence: sequence))
    }
}
