import Foundation

/// Makes chosen system calls of the writer fail with a chosen errno, so tests can show that a
/// full disk or an I/O error fails the waiting appends and stops the journal.
// @unchecked Sendable: the only state, `failures`, is read and written under `lock`.
final class FaultInjector: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: Int32] = [:]

    init() {}

    /// From now on, `call` ("pwrite", "fdatasync") fails with `code`.
    func fail(_ call: String, with code: Int32) {
        lock.withLock { failures[call] = code }
    }

    /// Throws the injected failure for `call`, if any.
    func check(_ call: String, path: String) throws(JournalError) {
        if let code = lock.withLock({ failures[call] }) {
            throw JournalError(.systemCall(call), file: path, errno: code)
        }
    }
}
