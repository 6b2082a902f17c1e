#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing the socket (non-blocking, edge-triggered) and closing it.
extension Connection {
    /// Bytes a lingering close reads and throws away before giving up on the client's FIN.
    static let maxDiscardedBytes = 1 << 20
    /// An output buffer at most this large is kept for the next response; larger ones are freed.
    static let keptOutputCapacity = 4096
    /// Unsent response bytes past which no further pipelined request is read or decoded, so a
    /// client that sends without reading cannot grow the output without bound.
    static let maxUnsentBytes = 256 * 1024

    /// Writes what is queued and, while the output drains completely, decodes requests held
    /// back (pipelined while a response was pending, or while output was backed up).
    func pump() {
        while true {
            flush()
            guard unsentCount == 0, !input.isEmpty || isReadPending else { return }
            switch state {
            case .idle, .receivingHead, .receivingBody: break
            case .awaitingResponse, .streaming, .closing, .closed: return
            }
            let before = (input.count, sequence, isReadPending)
            processBuffered()
            if (input.count, sequence, isReadPending) == before, unsentCount == 0 { return }
        }
    }

    /// Reads until the socket is drained (edge-triggered), feeding the bytes to `received`.
    func readAvailable() {
        let buffer = loop.readBuffer
        while true {
            switch state {
            case .closed:
                return
            case .awaitingResponse, .streaming:
                if input.count >= maxBufferedInput {
                    isReadPending = true // resume once the response is out
                    return
                }
            case .idle, .receivingHead, .receivingBody:
                if unsentCount > Self.maxUnsentBytes {
                    isReadPending = true // the client is not reading its responses: stop reading requests
                    return
                }
            case .closing:
                break
            }
            let count: Int?
            do {
                count = try Socket.read(descriptor, into: buffer)
            } catch {
                close() // ECONNRESET and the like: the client is gone
                return
            }
            guard let count else {
                isReadPending = false
                return
            }
            if count == 0 {
                isReadPending = false
                inputEnded()
                return
            }
            received(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            // A short read drained the socket and new data will raise a new edge, unless the
            // peer's FIN was already reported: then read on until read returns 0.
            if count < buffer.count, !hasPeerHungUp {
                isReadPending = false
                return
            }
        }
    }

    /// New bytes from the client.
    private func received(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .idle, .receivingHead, .receivingBody:
            if input.isEmpty {
                let consumed = process(bytes)
                if consumed < bytes.count, !isClosedOrClosing {
                    input = Array(UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
                }
            } else {
                input.append(contentsOf: bytes)
                processBuffered()
            }
        case .awaitingResponse:
            input.append(contentsOf: bytes)
        case .streaming:
            break // an event stream has nothing more to read; bytes are ignored
        case .closing:
            discardedBytes += bytes.count
            if discardedBytes > Self.maxDiscardedBytes { close() }
        case .closed:
            break
        }
    }

    /// Writes queued output until done or the socket is full; after the last response of a
    /// closing connection, sends FIN.
    func flush() {
        guard !isFlushing else { return }
        isFlushing = true
        defer { isFlushing = false }
        while outputOffset < output.count {
            let written: Int?
            do {
                written = try output.withUnsafeBytes { bytes throws(SystemCallError) in
                    try Socket.send(descriptor, UnsafeRawBufferPointer(rebasing: bytes[outputOffset...]))
                }
            } catch {
                close() // EPIPE, ECONNRESET: the client is gone
                return
            }
            guard let written else { return } // full: EPOLLOUT will call again
            outputOffset += written
        }
        if outputOffset > 0 {
            if output.capacity > Self.keptOutputCapacity {
                output = []
            } else {
                output.removeAll(keepingCapacity: true)
            }
            outputOffset = 0
        }
        if case .closing = state, !hasShutDownOutput {
            hasShutDownOutput = true
            Socket.shutdownWrite(descriptor)
            if isInputClosed {
                close()
            } else {
                readAvailable() // the client's FIN may be here already
            }
        }
    }

    /// Bytes queued and not yet sent.
    var unsentCount: Int { output.count - outputOffset }

    /// Closes the socket now, ending any event stream.
    func close() {
        if case .closed = state { return }
        if case .streaming(let stream) = state { endEventStream(stream) }
        state = .closed
        deadline = .max
        SystemCall.close(descriptor) // also removes it from the epoll set
        input = []
        output = []
        outputOffset = 0
        loop.remove(self)
    }
}
