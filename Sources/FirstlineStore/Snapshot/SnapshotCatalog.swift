import Foundation

/// The sequence numbers of the snapshot files in the directory, with a lock that also
/// serialises snapshot writes.
// @unchecked Sendable: `present` is only touched inside `serialised`, under `lock`.
final class SnapshotCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private var present: [UInt64]

    init(_ present: [UInt64]) {
        self.present = present
    }

    /// Runs `body` with the list, one caller at a time.
    func serialised(_ body: (inout [UInt64]) throws(JournalError) -> Void) throws(JournalError) {
        lock.lock()
        defer { lock.unlock() }
        try body(&present)
    }
}
