#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The segment the writer appends to. Owned by the writer thread alone.
struct ActiveSegment {
    /// The open file.
    let file: FileDescriptor
    /// The sequence number of its first record.
    let firstSequence: UInt64
    /// Bytes of records in the file (header included); the next write goes here.
    var size: UInt64
    /// Bytes the file really has: `size` plus zeros written ahead (see `preallocate`).
    var allocated: UInt64

    /// Creates `journal-<firstSequence>.seg` with its header, and makes both the file and its
    /// directory entry durable before any record goes in.
    static func create(in directory: String, firstSequence: UInt64) throws(JournalError) -> ActiveSegment {
        let path = directory + "/" + JournalFileName.segment(firstSequence)
        let file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL)
        do throws(JournalError) {
            let header = SegmentHeader(firstSequence: firstSequence).encoded()
            try header.withBytes { buffer throws(JournalError) in try file.write(buffer, at: 0) }
            try file.sync()
            try DirectoryOperations.sync(directory)
        } catch {
            file.close()
            throw error
        }
        let size = UInt64(JournalFormat.segmentHeaderSize)
        return ActiveSegment(file: file, firstSequence: firstSequence, size: size, allocated: size)
    }

    /// Opens an existing segment to append at `offset` (where recovery found its end; zeros
    /// written ahead may follow it).
    static func reopen(_ path: String, firstSequence: UInt64, at offset: UInt64) throws(JournalError) -> ActiveSegment {
        let file = try FileDescriptor.open(path, O_WRONLY)
        do throws(JournalError) {
            return ActiveSegment(file: file, firstSequence: firstSequence, size: offset, allocated: max(offset, try file.size()))
        } catch {
            file.close()
            throw error
        }
    }

    /// Writes zeros from the allocated end up to `end`, so that later appends overwrite
    /// blocks the file already has: `fdatasync` then only flushes data, with no file-size or
    /// extent change to commit, which on ext4 and XFS is several times faster. Not synced here.
    mutating func preallocate(to end: UInt64) throws(JournalError) {
        guard end > allocated else { return }
        do throws(JournalError) {
            try writeZeros(to: end)
        } catch where error.errno == ENOSPC || error.errno == EDQUOT {
            // No room to zero ahead is no reason to refuse records that fit: go without.
            try file.truncate(to: size)
            allocated = size
        }
    }

    private mutating func writeZeros(to end: UInt64) throws(JournalError) {
        let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0)
        while allocated < end {
            let count = Int(min(UInt64(zeros.count), end - allocated))
            try file.write(UnsafeRawBufferPointer(rebasing: zeros[0..<count]), at: allocated)
            allocated += UInt64(count)
        }
    }

    /// Cuts the zeros written ahead, so a segment that is closed ends with its last record.
    mutating func trimPreallocation() throws(JournalError) {
        guard allocated > size else { return }
        try file.truncate(to: size)
        try file.syncData()
        allocated = size
    }
}
