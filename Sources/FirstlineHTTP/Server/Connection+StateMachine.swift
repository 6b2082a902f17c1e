/// The connection's life cycle: requests in, responses out, timeouts, shutdown.
extension Connection {
    /// Decodes requests from `bytes` while the state lets it: a request is decoded only
    /// after the previous one's response was queued, so pipelined responses go out in order.
    /// - Returns: the bytes consumed; the caller keeps the rest in `input`.
    func process(_ bytes: UnsafeRawBufferPointer) -> Int {
        isProcessing = true
        defer { isProcessing = false }
        var offset = 0
        while offset < bytes.count {
            switch state {
            case .idle:
                if unsentCount > Self.maxUnsentBytes { return offset } // resumed once the output drains
                state = .receivingHead
                deadline = loop.now &+ context.headerTimeout
            case .receivingHead, .receivingBody:
                break
            case .awaitingResponse, .streaming, .closing, .closed:
                return offset
            }
            let event: HTTPRequestDecoder.Event?
            do {
                let result = try decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                offset += result.consumed
                event = result.event
            } catch {
                fail(error)
                return bytes.count
            }
            switch event {
            case nil:
                return offset
            case .head(let head)?:
                state = .receivingBody
                deadline = loop.now &+ context.bodyTimeout
                // No body byte yet: the client may be waiting for permission (RFC 9110 §10.1.1).
                if head.expectsContinue, offset == bytes.count {
                    output.append(contentsOf: ResponseEncoder.continueResponse)
                }
            case .request(let head, let body)?:
                dispatch(head, body: body)
            }
        }
        return offset
    }

    /// Decodes requests buffered while a response was pending, then reads again if the
    /// socket may hold more.
    func processBuffered() {
        if !input.isEmpty {
            let pending = input
            input = []
            let consumed = pending.withUnsafeBytes { process($0) }
            if consumed < pending.count, !isClosedOrClosing {
                input = Array(pending[consumed...])
            }
        }
        if isReadPending, !isClosedOrClosing { readAvailable() }
    }

    /// The application's response to request `sequence` (ignored if it is not the one in flight).
    func deliver(_ response: HTTPResponse, sequence: UInt64) {
        guard case .awaitingResponse(let inFlight) = state, inFlight.sequence == sequence else { return }
        let persistence = isInputClosed || loop.isShuttingDown ? .close : inFlight.persistence
        ResponseEncoder.encode(response, isHead: inFlight.isHead, persistence: persistence, date: loop.date.bytes(), into: &output)
        if case .close = persistence {
            beginClosing()
            return
        }
        state = .idle
        deadline = loop.now &+ context.idleTimeout
        if !isProcessing { pump() }
    }

    /// Answers a refused request with its status and a JSON error, then closes.
    func fail(_ error: HTTPParseError) {
        let response = ResponseEncoder.errorResponse(status: error.status, message: error.message)
        ResponseEncoder.encode(response, isHead: false, persistence: .close, date: loop.date.bytes(), into: &output)
        beginClosing()
    }

    /// Sends what is queued, then FIN, then waits briefly for the client's FIN.
    func beginClosing() {
        if case .streaming(let stream) = state { endEventStream(stream) }
        state = .closing
        input = []
        deadline = loop.now &+ context.lingerTimeout
        if !isProcessing { flush() }
    }

    /// The state's deadline has passed.
    func deadlinePassed() {
        switch state {
        case .idle:
            close()
        case .receivingHead:
            fail(.headerTimeout)
            flush()
        case .receivingBody:
            fail(.bodyTimeout)
            flush()
        case .awaitingResponse:
            deadline = .max
        case .streaming:
            output.append(contentsOf: EventStreamEncoder.heartbeat)
            deadline = loop.now &+ context.heartbeatInterval
            flush()
        case .closing:
            close()
        case .closed:
            break
        }
    }

    /// The client sent FIN (read returned 0).
    func inputEnded() {
        isInputClosed = true
        switch state {
        case .awaitingResponse, .closed:
            break // the response goes out, then the connection closes
        case .streaming:
            close() // the reader left
        case .idle, .receivingHead, .receivingBody, .closing:
            // Between requests or a truncated request: nothing more to say. But responses
            // already queued (a request followed at once by FIN, an error) go out first;
            // `flush` closes once they are sent.
            if unsentCount > 0 || (isClosing && !hasShutDownOutput) {
                if !isClosing { beginClosing() }
                flush()
            } else {
                close()
            }
        }
    }

    var isClosing: Bool {
        if case .closing = state { return true }
        return false
    }

    /// The server is shutting down: idle connections and streams end now; requests being
    /// received or answered finish (their responses say `Connection: close`).
    func shutdownRequested() {
        switch state {
        case .idle:
            if input.isEmpty { close() }
        case .streaming(let stream):
            flushEventStream(stream)
            beginClosing()
        case .receivingHead, .receivingBody, .awaitingResponse, .closing, .closed:
            break
        }
    }

    var isClosedOrClosing: Bool {
        switch state {
        case .closing, .closed: true
        case .idle, .receivingHead, .receivingBody, .awaitingResponse, .streaming: false
        }
    }
}
