#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex on the heap (so its address never moves), for the few values shared
/// between threads: a loop's task queue, an event stream's pending bytes, the server's counts.
final class Lock: @unchecked Sendable {
    // @unchecked: the mutex itself is the synchronisation; the pointer never changes.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A value guarded by a `Lock`.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched inside `lock.withLock`.
    private let lock = Lock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Reads or changes the value holding the lock.
    @inline(__always)
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try lock.withLock { try body(&value) }
    }
}

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC, as `DispatchTime.uptimeNanoseconds`).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
}

/// Seconds as nanoseconds, clamped to a sane range (negative → 0, huge → ~100 years).
func nanoseconds(_ seconds: Double) -> UInt64 {
    guard seconds.isFinite, seconds > 0 else { return 0 }
    return UInt64(min(seconds, 3_000_000_000) * 1_000_000_000)
}
