#if canImport(Glibc)
import Glibc
#endif
#if canImport(CFirstlineLinux)
import CFirstlineLinux
#endif

/// One epoll set (Linux), its event buffer, and an eventfd that wakes it from another thread.
///
/// Connections are registered once, edge-triggered, for input, output and peer hang-up; the
/// owner reads until the socket is drained and writes until it would block, so no
/// `epoll_ctl` is needed per request.
final class Epoll {
    /// What `wait` reports for one descriptor.
    struct Event {
        /// The token given at registration.
        var token: UInt64
        var isReadable: Bool
        var isWritable: Bool
        /// The peer closed (EPOLLRDHUP/EPOLLHUP) or the socket failed (EPOLLERR).
        var isHangUp: Bool
    }

    private let descriptor: Int32
    /// The eventfd that `wake()` writes.
    let wakeDescriptor: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    private let capacity = 256

    init() throws(SystemCallError) {
        descriptor = try SystemCall.run("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeDescriptor = try SystemCall.run("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        events = .allocate(capacity: capacity)
        do {
            try add(wakeDescriptor, token: .max, edgeTriggered: false, output: false)
        } catch {
            SystemCall.close(wakeDescriptor)
            SystemCall.close(descriptor)
            events.deallocate()
            throw error
        }
    }

    deinit {
        SystemCall.close(wakeDescriptor)
        SystemCall.close(descriptor)
        events.deallocate()
    }

    /// Registers a descriptor under `token`.
    func add(_ fd: Int32, token: UInt64, edgeTriggered: Bool = true, output: Bool = true) throws(SystemCallError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
            | (output ? EPOLLOUT.rawValue : 0) | (edgeTriggered ? EPOLLET.rawValue : 0)
        event.data.u64 = token
        try SystemCall.run("epoll_ctl") { epoll_ctl(descriptor, EPOLL_CTL_ADD, fd, &event) }
    }

    /// Removes a descriptor (before closing it, or to stop hearing about it).
    func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fd, &event)
    }

    /// Waits up to `timeout` milliseconds (-1: forever) and calls `body` for each event.
    func wait(timeout: Int32, _ body: (Event) -> Void) throws(SystemCallError) {
        let count: Int32
        let result = epoll_wait(descriptor, events, Int32(capacity), timeout)
        if result == -1 {
            if errno == EINTR { return }
            throw SystemCallError(call: "epoll_wait", code: errno)
        }
        count = result
        let hangUp = EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
        for index in 0..<Int(count) {
            let raw = events[index]
            body(Event(
                token: raw.data.u64,
                isReadable: raw.events & EPOLLIN.rawValue != 0,
                isWritable: raw.events & EPOLLOUT.rawValue != 0,
                isHangUp: raw.events & hangUp != 0))
        }
    }

    /// Makes a `wait` in progress (or the next one) return. Any thread.
    func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(wakeDescriptor, $0.baseAddress, 8) }
    }

    /// Resets the eventfd after it woke the loop.
    func drainWake() {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { Glibc.read(wakeDescriptor, $0.baseAddress, 8) }
    }
}
