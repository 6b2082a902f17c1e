/// Turns bytes into requests, incrementally: it never owns a socket, and says "need more"
/// by returning no event. The caller keeps the bytes not yet consumed and passes them again
/// with whatever arrives next.
///
/// A request with a body produces `.head` first (so the connection can answer
/// `Expect: 100-continue` before the body is sent), then `.request` once the body is complete.
/// A request without a body produces `.request` directly. After an error the decoder must
/// not be used again: the connection answers and closes.
struct HTTPRequestDecoder: Sendable {
    /// The limits the decoder enforces.
    struct Limits: Sendable {
        /// Request line plus field lines, in bytes (414 for the request line, else 431).
        var maxHeaderBytes = 16 * 1024
        /// The body, declared or de-chunked (413).
        var maxBodyBytes = 64 * 1024
    }

    /// What a call to `decode` found.
    enum Event: Sendable, Equatable {
        /// A head whose body is still to come.
        case head(HTTPRequestHead)
        /// A complete request.
        case request(HTTPRequestHead, body: [UInt8])
    }

    private struct HeadScan: Sendable {
        /// Bytes already checked (relative to the unconsumed input).
        var scanned = 0
        /// Where the line being scanned began.
        var lineStart = 0
        /// Where the request line began (after blank lines before it, RFC 9112 §2.2).
        var headStart = 0
        /// Whether the request line has ended.
        var hasRequestLine = false
    }

    private enum State: Sendable {
        case head(HeadScan)
        case body(HTTPRequestHead, remaining: Int, body: [UInt8])
        case chunked(HTTPRequestHead, ChunkedBodyDecoder, body: [UInt8])
    }

    private var state = State.head(HeadScan())
    let limits: Limits

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether the decoder is between requests (no byte of the next one consumed or scanned).
    var isAtRequestBoundary: Bool {
        if case .head(let scan) = state { return scan.scanned == 0 }
        return false
    }

    /// Whether the head is complete and the body is being read.
    var isReadingBody: Bool {
        switch state {
        case .head: false
        case .body, .chunked: true
        }
    }

    /// Decodes from the start of the unconsumed input.
    /// - Parameter bytes: every byte received and not yet consumed.
    /// - Returns: how many bytes were consumed (drop them before the next call) and the event,
    ///   or nil when more bytes are needed.
    /// - Throws: `HTTPParseError` for bad framing or a limit passed.
    /// - Complexity: O(n) in the new bytes: a partial head is never scanned twice.
    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        switch state {
        case .head(var scan):
            guard let headEnd = try scanHead(bytes, &scan) else {
                state = .head(scan)
                return (0, nil)
            }
            let head = try HTTPHeadParser.parse(
                UnsafeRawBufferPointer(rebasing: bytes[scan.headStart..<headEnd]), maxBodyBytes: limits.maxBodyBytes)
            switch head.framing {
            case .none:
                state = .head(HeadScan())
                return (headEnd, .request(head, body: []))
            case .length(let length):
                var body: [UInt8] = []
                body.reserveCapacity(length)
                state = .body(head, remaining: length, body: body)
            case .chunked:
                let chunked = ChunkedBodyDecoder(maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes)
                state = .chunked(head, chunked, body: [])
            }
            return (headEnd, .head(head))

        case .body(let head, let remaining, var body):
            state = .head(HeadScan()) // drops the body's storage reference while appending
            let count = min(remaining, bytes.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<count]))
            if count == remaining { return (count, .request(head, body: body)) }
            state = .body(head, remaining: remaining - count, body: body)
            return (count, nil)

        case .chunked(let head, var chunked, var body):
            state = .head(HeadScan())
            let consumed = try chunked.decode(bytes, into: &body)
            if chunked.isComplete { return (consumed, .request(head, body: body)) }
            state = .chunked(head, chunked, body: body)
            return (consumed, nil)
        }
    }

    /// Finds the end of the head (just past the empty line), checking bare CRs and the size
    /// limit on the way. Nil when the head is incomplete.
    private func scanHead(_ bytes: UnsafeRawBufferPointer, _ scan: inout HeadScan) throws(HTTPParseError) -> Int? {
        var index = scan.scanned
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == ByteClass.lf {
                let hasCR = index > scan.lineStart && bytes[index - 1] == ByteClass.cr
                let isEmptyLine = index - scan.lineStart == (hasCR ? 1 : 0)
                if isEmptyLine {
                    if scan.hasRequestLine {
                        guard index + 1 - scan.headStart <= limits.maxHeaderBytes else { throw .headersTooLarge }
                        return index + 1
                    }
                    scan.headStart = index + 1 // a blank line before the request line
                } else if !scan.hasRequestLine {
                    guard index - scan.headStart <= limits.maxHeaderBytes else { throw .requestLineTooLong }
                    scan.hasRequestLine = true
                }
                scan.lineStart = index + 1
            } else if byte == ByteClass.cr {
                guard index + 1 < count else { break } // decide once the next byte is here
                guard bytes[index + 1] == ByteClass.lf else { throw .bareCarriageReturn }
            }
            index += 1
        }
        scan.scanned = index
        if index - scan.headStart > limits.maxHeaderBytes {
            throw scan.hasRequestLine ? .headersTooLarge : .requestLineTooLong
        }
        if scan.headStart > limits.maxHeaderBytes { throw .malformedRequestLine } // endless blank lines
        return nil
    }
}
