#if canImport(Glibc)
import Glibc
#endif

/// One thread with its own epoll set, serving many connections without blocking.
///
/// Each pass waits for socket events (at most one tick), handles them, runs the tasks other
/// threads posted, and, once a tick, checks every connection's deadline (header, body and
/// idle timeouts, heartbeats): a linear sweep of small structs, cheaper than a timer per
/// connection and exact to one tick.
///
/// Other threads reach the loop only through `execute(_:)`: a locked queue plus one eventfd
/// write when the queue goes from empty to non-empty, so a burst of responses costs one wake.
final class EventLoop: @unchecked Sendable {
    // @unchecked: `tasks` is behind its lock and `epoll.wake()` is a write to an eventfd;
    // every other member is touched only on the loop's own thread (see `isCurrent`).
    let context: ServerContext
    let epoll: Epoll
    private let tasks = Locked<[LoopTask]>([])

    // Loop-thread state.
    /// Connections by descriptor, for events.
    private var connectionsByDescriptor: [Connection?] = []
    /// Connections packed, for the deadline sweep.
    private var connections: [Connection] = []
    private var generation: UInt32 = 0
    /// The shared read buffer: connections keep only the bytes they have not consumed.
    let readBuffer: UnsafeMutableRawBufferPointer
    var date = HTTPDate()
    /// Monotonic nanoseconds, read once per pass.
    private(set) var now: UInt64 = monotonicNanoseconds()
    private var nextSweep: UInt64 = 0
    private(set) var isShuttingDown = false
    private var shutdownDeadline: UInt64 = .max
    /// Loop 0 only: the acceptor.
    var acceptor: Acceptor?

    static let wakeToken = UInt64.max
    static let listenerToken = UInt64.max - 1

    init(context: ServerContext) throws(SystemCallError) {
        self.context = context
        epoll = try Epoll()
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: Any thread

    /// Runs `task` on the loop's thread: now if called there, else after a wake.
    func execute(_ task: LoopTask) {
        if isCurrent {
            run(task)
            return
        }
        let wasEmpty = tasks.withLock { queue in
            queue.append(task)
            return queue.count == 1
        }
        if wasEmpty { epoll.wake() }
    }

    /// Whether the caller is on this loop's thread.
    var isCurrent: Bool {
        pthread_getspecific(Self.currentKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    // MARK: Loop thread

    /// The thread's body: returns once the loop has shut down and closed its connections.
    func run() {
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.currentKey, nil) }
        nextSweep = now &+ context.tickInterval
        while true {
            let wait = nextSweep > now ? Int32(min((nextSweep - now + 999_999) / 1_000_000, 1000)) : 0
            do {
                try epoll.wait(timeout: wait) { event in handle(event) }
            } catch {
                // epoll_wait fails only for programming errors (EBADF, EINVAL); stop serving
                // rather than spin.
                closeAll()
                return
            }
            now = monotonicNanoseconds()
            runTasks()
            if now >= nextSweep {
                sweep()
                nextSweep = now &+ context.tickInterval
            }
            if isShuttingDown {
                if connections.isEmpty { break }
                if now >= shutdownDeadline {
                    closeAll()
                    break
                }
            }
        }
        acceptor?.close(in: self)
        runTasks() // drop what was posted meanwhile: adopted sockets are closed, streams end
    }

    private func handle(_ event: Epoll.Event) {
        switch event.token {
        case Self.wakeToken:
            epoll.drainWake()
        case Self.listenerToken:
            acceptor?.acceptAll(on: self)
        default:
            let descriptor = Int(event.token & 0xFFFF_FFFF)
            guard descriptor < connectionsByDescriptor.count, let connection = connectionsByDescriptor[descriptor],
                  connection.token == event.token else { return }
            connection.handle(event)
        }
    }

    private func runTasks() {
        while true {
            let batch = tasks.withLock { queue -> [LoopTask] in
                let batch = queue
                queue.removeAll(keepingCapacity: true)
                return batch
            }
            if batch.isEmpty { return }
            for task in batch { run(task) }
        }
    }

    private func run(_ task: LoopTask) {
        switch task {
        case .adopt(let descriptor, let remoteAddress):
            adopt(descriptor, remoteAddress: remoteAddress)
        case .respond(let connection, let sequence, let response):
            connection.deliver(response, sequence: sequence)
        case .startEventStream(let connection, let sequence, let stream, let headers):
            connection.startEventStream(stream, headers: headers, sequence: sequence)
        case .flushEventStream(let stream):
            stream.connection?.flushEventStream(stream)
        case .closeEventStream(let stream, let isAbort):
            if let connection = stream.connection {
                connection.closeEventStream(stream, isAbort: isAbort)
            } else {
                stream.didClose()
            }
        case .closeListener:
            acceptor?.close(in: self)
        case .beginShutdown(let deadline):
            isShuttingDown = true
            shutdownDeadline = deadline
            for connection in connections { connection.shutdownRequested() }
        }
    }

    /// Registers an accepted socket as a connection of this loop.
    func adopt(_ descriptor: Int32, remoteAddress: String) {
        guard !isShuttingDown, descriptor >= 0 else {
            SystemCall.close(descriptor)
            context.connectionClosed()
            return
        }
        generation &+= 1
        let token = UInt64(generation) << 32 | UInt64(UInt32(descriptor))
        let connection = Connection(descriptor: descriptor, token: token, loop: self, remoteAddress: remoteAddress)
        do {
            try epoll.add(descriptor, token: token)
        } catch {
            SystemCall.close(descriptor)
            context.connectionClosed()
            return
        }
        let slot = Int(descriptor)
        if slot >= connectionsByDescriptor.count {
            connectionsByDescriptor.append(contentsOf: repeatElement(nil, count: slot + 1 - connectionsByDescriptor.count + 64))
        }
        connectionsByDescriptor[slot] = connection
        connection.sweepIndex = connections.count
        connections.append(connection)
        connection.start()
    }

    /// Forgets a connection that has closed its socket.
    func remove(_ connection: Connection) {
        let slot = Int(connection.descriptor)
        if slot < connectionsByDescriptor.count, connectionsByDescriptor[slot] === connection {
            connectionsByDescriptor[slot] = nil
        }
        let index = connection.sweepIndex
        guard index < connections.count, connections[index] === connection else { return }
        let last = connections.removeLast()
        if index < connections.count {
            connections[index] = last
            last.sweepIndex = index
        }
        context.connectionClosed()
    }

    /// Fires every deadline that has passed.
    /// - Complexity: O(connections on this loop).
    private func sweep() {
        acceptor?.resumeIfPaused(on: self)
        var index = 0
        while index < connections.count {
            let connection = connections[index]
            if connection.deadline <= now { connection.deadlinePassed() }
            // A connection that closed was swapped with the last one: look at this index again.
            if index < connections.count, connections[index] === connection { index += 1 }
        }
    }

    private func closeAll() {
        while let connection = connections.last { connection.close() }
    }
}
