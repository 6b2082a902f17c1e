#if canImport(Glibc)
import Glibc
#endif

/// A failed call into libc: which call, and errno.
struct SystemCallError: Error, CustomStringConvertible, Sendable {
    /// The call's name (`"accept4"`).
    var call: String
    /// The errno it left.
    var code: Int32

    var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// The one place FirstlineHTTP calls into libc for sockets and epoll (after SwiftNIO's
/// `syscall`): retries a call interrupted by a signal, reports "would block" as `nil`, and
/// turns any other failure into a `SystemCallError` naming the call and errno.
enum SystemCall {
    /// Runs `body` until it returns something other than -1 with `errno == EINTR`.
    /// - Parameters:
    ///   - call: the call's name, for the error.
    ///   - body: the call; -1 means failure, with the reason in errno.
    /// - Throws: `SystemCallError` on failure (EAGAIN included).
    @discardableResult @inline(__always)
    static func run<Result: FixedWidthInteger & SignedInteger>(
        _ call: StaticString, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: "\(call)", code: code)
        }
    }

    /// Like `run`, for calls on a non-blocking descriptor: `nil` when the call would block
    /// (EAGAIN / EWOULDBLOCK).
    @inline(__always)
    static func nonBlocking<Result: FixedWidthInteger & SignedInteger>(
        _ call: StaticString, _ body: () -> Result
    ) throws(SystemCallError) -> Result? {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw SystemCallError(call: "\(call)", code: code)
        }
    }

    /// Closes a descriptor, ignoring errors: after `close` the descriptor is gone whatever it
    /// returns (retrying on EINTR could close a descriptor another thread just opened).
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
