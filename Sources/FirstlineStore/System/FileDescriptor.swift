#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file and the few calls the journal makes on it, each through `SystemCall`.
/// A plain value: whoever opened it closes it once.
struct FileDescriptor {
    /// The descriptor number.
    let raw: Int32
    /// The path it was opened with, for errors.
    let path: String

    /// Opens `path` with `flags` (close-on-exec is always added).
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(JournalError) -> FileDescriptor {
        let raw = try SystemCall.run("open", path: path) { () -> Int32 in
            #if canImport(Glibc)
            Glibc.open(path, flags | O_CLOEXEC, mode)
            #else
            Darwin.open(path, flags | O_CLOEXEC, mode)
            #endif
        }
        return FileDescriptor(raw: raw, path: path)
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(JournalError) -> Int {
        try SystemCall.run("pread", path: path, offset: offset) {
            pread(raw, buffer.baseAddress, buffer.count, off_t(offset))
        }
    }

    /// Reads `count` bytes at `offset`, fewer only at end of file.
    func read(count: Int, at offset: UInt64) throws(JournalError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try bytes.withMutableBytes { buffer throws(JournalError) in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: offset + UInt64(filled))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    /// Writes all of `bytes` at `offset`, continuing after short writes.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(JournalError) {
        var done = 0
        while done < bytes.count {
            let position = offset + UInt64(done)
            let n = try SystemCall.run("pwrite", path: path, offset: position) {
                pwrite(raw, bytes.baseAddress! + done, bytes.count - done, off_t(position))
            }
            done += n
        }
    }

    /// Makes written data (and the size) durable: `fdatasync`.
    func syncData() throws(JournalError) {
        #if canImport(Glibc)
        try SystemCall.run("fdatasync", path: path) { fdatasync(raw) }
        #else
        try SystemCall.run("fsync", path: path) { fsync(raw) }
        #endif
    }

    /// Makes data and metadata durable: `fsync` (also what makes a directory entry durable).
    func sync() throws(JournalError) {
        try SystemCall.run("fsync", path: path) { fsync(raw) }
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: UInt64) throws(JournalError) {
        try SystemCall.run("ftruncate", path: path, offset: size) { ftruncate(raw, off_t(size)) }
    }

    /// The file's size in bytes.
    func size() throws(JournalError) -> UInt64 {
        var info = stat()
        try SystemCall.run("fstat", path: path) { fstat(raw, &info) }
        return UInt64(info.st_size)
    }

    /// Closes the descriptor; a failure is ignored because the data was already synced or is
    /// being abandoned.
    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(raw)
        #else
        _ = Darwin.close(raw)
        #endif
    }
}
