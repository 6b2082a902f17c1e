import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `<directory>/LOCK`, so two writers never share a journal. The
/// kernel drops it when the process dies, so a crash never leaves a stale lock.
// @unchecked Sendable: `file` is only read and cleared under `mutex`.
final class DirectoryLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var file: FileDescriptor?

    /// Takes the lock without waiting.
    /// - Throws: `.locked` when someone else holds it.
    init(directory: String) throws(JournalError) {
        let file = try FileDescriptor.open(directory + "/LOCK", O_RDWR | O_CREAT)
        do throws(JournalError) {
            try SystemCall.run("flock", path: file.path) { flock(file.raw, LOCK_EX | LOCK_NB) }
        } catch {
            file.close()
            if error.errno == EWOULDBLOCK { throw JournalError(.locked, file: file.path, errno: error.errno) }
            throw error
        }
        self.file = file
    }

    /// Releases the lock; later calls do nothing.
    func release() {
        mutex.withLock {
            // Unlock explicitly: a child forked meanwhile (before its exec closes our
            // descriptors) shares the open file, and closing alone would leave it locked.
            if let file { _ = flock(file.raw, LOCK_UN) }
            file?.close()
            file = nil
        }
    }

    deinit { release() }
}
