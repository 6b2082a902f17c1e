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
    /// Bytes in the file (header included); the next write goes here.
    var size: UInt64

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
        return ActiveSegment(file: file, firstSequence: firstSequence, size: UInt64(JournalFormat.segmentHeaderSize))
    }

    /// Opens an existing segment to append at `offset` (where recovery found its end).
    static func reopen(_ path: String, firstSequence: UInt64, at offset: UInt64) throws(JournalError) -> ActiveSegment {
        let file = try FileDescriptor.open(path, O_WRONLY)
        return ActiveSegment(file: file, firstSequence: firstSequence, size: offset)
    }
}
