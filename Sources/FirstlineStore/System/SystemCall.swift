#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place the store calls into libc: retries a call interrupted by a signal (EINTR)
/// and turns a failure into a `JournalError` naming the call, the file and errno.
enum SystemCall {
    /// Runs `body` until it returns something other than -1 with `errno == EINTR`.
    /// - Parameters:
    ///   - call: the name of the call, for the error ("fdatasync").
    ///   - path: the file it acts on.
    /// - Throws: `JournalError.Kind.systemCall` when the call fails.
    @discardableResult
    static func run<Result: FixedWidthInteger & SignedInteger>(
        _ call: String, path: String, offset: UInt64? = nil, _ body: () -> Result
    ) throws(JournalError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw JournalError(.systemCall(call), file: path, offset: offset, errno: code)
        }
    }
}
