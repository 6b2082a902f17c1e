#if canImport(Glibc)
import Glibc
#endif

/// The listening socket, watched by loop 0, which accepts and hands connections to the loops
/// round-robin (one listener rather than SO_REUSEPORT per loop: an even spread even with a
/// few connections, and `port = 0` needs no coordination). Used only on loop 0's thread.
final class Acceptor {
    private var descriptor: Int32?
    private let loops: [EventLoop]
    private var next = 0
    private var isPaused = false

    init(descriptor: Int32, loops: [EventLoop]) {
        self.descriptor = descriptor
        self.loops = loops
    }

    /// Registers the listener with `loop`'s epoll set (level-triggered).
    func register(on loop: EventLoop) throws(SystemCallError) {
        guard let descriptor else { return }
        try loop.epoll.add(descriptor, token: EventLoop.listenerToken, edgeTriggered: false, output: false)
    }

    /// Accepts what is waiting (at most a batch, so other work is not starved).
    func acceptAll(on loop: EventLoop) {
        guard let listener = descriptor else { return }
        for _ in 0..<512 {
            let accepted: (descriptor: Int32, remoteAddress: String)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                switch error.code {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop listening until the next tick instead of spinning.
                    loop.epoll.remove(listener)
                    isPaused = true
                    return
                default:
                    continue // ECONNABORTED and the like: that client is gone, take the next
                }
            }
            guard let (socket, remoteAddress) = accepted else { return }
            guard loop.context.openConnection() else {
                refuse(socket, loop: loop)
                continue
            }
            let target = loops[next]
            next = (next + 1) % loops.count
            target.execute(.adopt(descriptor: socket, remoteAddress: remoteAddress))
        }
    }

    /// Listens again after running out of descriptors.
    func resumeIfPaused(on loop: EventLoop) {
        guard isPaused else { return }
        isPaused = false
        try? register(on: loop)
    }

    /// Stops listening.
    func close(in loop: EventLoop) {
        guard let listener = descriptor else { return }
        loop.epoll.remove(listener)
        SystemCall.close(listener)
        descriptor = nil
    }

    /// Over the connection limit: a 503 and close, best effort, without registering.
    private func refuse(_ socket: Int32, loop: EventLoop) {
        // Read what the client already sent, so closing sends FIN rather than RST.
        _ = try? Socket.read(socket, into: loop.readBuffer)
        var output: [UInt8] = []
        let response = ResponseEncoder.errorResponse(status: 503, message: "Too many connections.")
        ResponseEncoder.encode(response, isHead: false, persistence: .close, date: loop.date.bytes(), into: &output)
        _ = output.withUnsafeBytes { try? Socket.send(socket, $0) }
        Socket.shutdownWrite(socket)
        SystemCall.close(socket)
    }
}
