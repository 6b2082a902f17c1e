/// Decodes a chunked body (RFC 9112 §7.1) byte by byte as it arrives: appends chunk data to
/// the body, ignores chunk extensions, accepts and drops trailer fields.
///
/// Strict framing: every line (size, after data, trailer, final) ends in CRLF; sizes are hex
/// with no sign or prefix; the de-chunked body and trailers are capped.
struct ChunkedBodyDecoder: Sendable, Equatable {
    private enum State: Sendable, Equatable {
        /// Reading hex digits of a chunk size.
        case size(value: Int, digits: Int)
        /// Whitespace after the size (BWS before `;`).
        case sizeWhitespace(value: Int)
        /// Inside a chunk extension, ignored up to CR.
        case chunkExtension(value: Int, length: Int)
        /// CR seen after the size line; LF must follow.
        case sizeLineFeed(value: Int)
        /// Copying chunk data.
        case data(remaining: Int)
        /// The CR after chunk data.
        case dataCarriageReturn
        /// The LF after chunk data.
        case dataLineFeed
        /// At the start of a trailer line or the final empty line.
        case trailerStart
        /// Inside a trailer line.
        case trailerLine
        /// CR seen at the end of a trailer line.
        case trailerLineFeed
        /// CR of the final empty line seen.
        case finalLineFeed
        /// The body is complete.
        case done
    }

    /// The longest chunk-size line (size and extensions) accepted.
    static let maxSizeLineBytes = 4096

    private var state = State.size(value: 0, digits: 0)
    private var trailerBytes = 0
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Whether the last chunk and trailers have been read.
    var isComplete: Bool { state == .done }

    /// Consumes bytes up to the end of the body.
    /// - Parameters:
    ///   - bytes: what has arrived.
    ///   - body: the body so far; chunk data is appended.
    /// - Returns: how many bytes belong to the body (the rest is the next request).
    /// - Throws: `.invalidChunkSize`, `.invalidChunkFraming`, `.bodyTooLarge`, `.headersTooLarge` (trailers).
    /// - Complexity: O(n).
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(HTTPParseError) -> Int {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .size(let value, let digits):
                if let digit = Self.hexValue(byte) {
                    // A 16th significant hex digit would overflow Int: 400, not 413.
                    guard value <= Int.max >> 4, digits < Self.maxSizeLineBytes else { throw .invalidChunkSize }
                    state = .size(value: value << 4 | digit, digits: digits + 1)
                } else if digits == 0 {
                    throw .invalidChunkSize
                } else {
                    guard value <= maxBodyBytes - body.count else { throw .bodyTooLarge }
                    if byte == ByteClass.cr {
                        state = .sizeLineFeed(value: value)
                    } else if byte == UInt8(ascii: ";") {
                        state = .chunkExtension(value: value, length: 0)
                    } else if ByteClass.isWhitespace(byte) {
                        state = .sizeWhitespace(value: value)
                    } else {
                        throw .invalidChunkSize
                    }
                }
            case .sizeWhitespace(let value):
                if byte == UInt8(ascii: ";") {
                    state = .chunkExtension(value: value, length: 0)
                } else if !ByteClass.isWhitespace(byte) {
                    throw .invalidChunkSize
                }
            case .chunkExtension(let value, let length):
                if byte == ByteClass.cr {
                    state = .sizeLineFeed(value: value)
                } else if byte == ByteClass.lf || !ByteClass.fieldValue[Int(byte)] || length >= Self.maxSizeLineBytes {
                    throw .invalidChunkFraming
                } else {
                    state = .chunkExtension(value: value, length: length + 1)
                }
            case .sizeLineFeed(let value):
                guard byte == ByteClass.lf else { throw .invalidChunkFraming }
                state = value == 0 ? .trailerStart : .data(remaining: value)
            case .data(let remaining):
                let count = min(remaining, bytes.count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
                state = remaining == count ? .dataCarriageReturn : .data(remaining: remaining - count)
                index += count
                continue
            case .dataCarriageReturn:
                guard byte == ByteClass.cr else { throw .invalidChunkFraming }
                state = .dataLineFeed
            case .dataLineFeed:
                guard byte == ByteClass.lf else { throw .invalidChunkFraming }
                state = .size(value: 0, digits: 0)
            case .trailerStart:
                if byte == ByteClass.cr {
                    state = .finalLineFeed
                } else {
                    guard byte != ByteClass.lf else { throw .invalidChunkFraming }
                    try countTrailerByte()
                    state = .trailerLine
                }
            case .trailerLine:
                if byte == ByteClass.cr {
                    state = .trailerLineFeed
                } else {
                    guard byte != ByteClass.lf, byte != 0 else { throw .invalidChunkFraming }
                    try countTrailerByte()
                }
            case .trailerLineFeed:
                guard byte == ByteClass.lf else { throw .invalidChunkFraming }
                state = .trailerStart
            case .finalLineFeed:
                guard byte == ByteClass.lf else { throw .invalidChunkFraming }
                state = .done
                return index + 1
            case .done:
                return index
            }
            index += 1
        }
        return index
    }

    private mutating func countTrailerByte() throws(HTTPParseError) {
        trailerBytes += 1
        if trailerBytes > maxTrailerBytes { throw .headersTooLarge }
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
