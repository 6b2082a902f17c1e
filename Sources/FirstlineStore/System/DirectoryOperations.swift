import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory-level calls: create, list, rename, remove, and make the entries durable.
enum DirectoryOperations {
    /// Creates `path` and its parents when missing, and syncs the parent so the new entry lasts.
    static func create(_ path: String) throws(JournalError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw JournalError(.systemCall("mkdir"), file: path, errno: ENOTDIR) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw JournalError(.systemCall("mkdir"), file: path, errno: posixCode(error))
        }
        let parent = (path as NSString).deletingLastPathComponent
        try sync(parent.isEmpty ? "." : parent)
    }

    /// The names in `path`, sorted.
    static func list(_ path: String) throws(JournalError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw JournalError(.systemCall("opendir"), file: path, errno: posixCode(error))
        }
    }

    /// `fsync` on the directory, so created, renamed and removed entries survive a crash.
    static func sync(_ path: String) throws(JournalError) {
        let directory = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        defer { directory.close() }
        try directory.sync()
    }

    /// Atomically renames `from` to `to` (same directory).
    static func rename(_ from: String, to: String) throws(JournalError) {
        try SystemCall.run("rename", path: from) { () -> Int32 in
            #if canImport(Glibc)
            Glibc.rename(from, to)
            #else
            Darwin.rename(from, to)
            #endif
        }
    }

    /// Removes a file; a file already gone is not an error.
    static func remove(_ path: String) throws(JournalError) {
        do throws(JournalError) {
            try SystemCall.run("unlink", path: path) { unlink(path) }
        } catch where error.errno == ENOENT {
            return
        }
    }

    private static func posixCode(_ error: Error) -> Int32 {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain { return Int32(underlying.code) }
        if (error as NSError).domain == NSPOSIXErrorDomain { return Int32((error as NSError).code) }
        return EIO
    }
}
