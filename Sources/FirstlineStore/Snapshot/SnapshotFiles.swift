import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and atomically writing snapshot files in a journal directory.
enum SnapshotFiles {
    /// Writes `snapshot` so that after a crash either the old set of snapshots or the new one
    /// is there, never a partial file: temp file, fsync, rename, fsync the directory.
    static func write(_ snapshot: JournalSnapshot, in directory: String) throws(JournalError) -> String {
        let name = JournalFileName.snapshot(snapshot.sequence)
        let path = directory + "/" + name
        let temporary = path + ".tmp"
        let file = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            let bytes = snapshot.encoded()
            try bytes.withBytes { buffer throws(JournalError) in try file.write(buffer, at: 0) }
            try file.sync()
            file.close()
        } catch {
            file.close()
            try? DirectoryOperations.remove(temporary)
            throw error
        }
        try DirectoryOperations.rename(temporary, to: path)
        try DirectoryOperations.sync(directory)
        return path
    }

    /// Reads and checks the snapshot at `path`.
    static func read(_ path: String) throws(JournalError) -> JournalSnapshot {
        let file = try FileDescriptor.open(path, O_RDONLY)
        defer { file.close() }
        let size = try file.size()
        let bytes = try file.read(count: Int(size), at: 0)
        return try JournalSnapshot.decode(bytes, file: path)
    }
}
