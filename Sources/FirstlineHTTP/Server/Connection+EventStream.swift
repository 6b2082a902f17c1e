/// Server-Sent Events on a connection: a close-delimited `200 text/event-stream` response
/// (no Content-Length, `Connection: close`; no further request is read on the connection).
extension Connection {
    /// Turns request `sequence` into an event stream.
    func startEventStream(_ stream: HTTPEventStream, headers: HTTPHeaders, sequence: UInt64) {
        guard case .awaitingResponse(let inFlight) = state, inFlight.sequence == sequence, !loop.isShuttingDown else {
            stream.didClose()
            return
        }
        ResponseEncoder.encodeEventStreamHead(headers, date: loop.date.bytes(), into: &output)
        if inFlight.isHead || isInputClosed {
            stream.didClose()
            beginClosing()
            return
        }
        stream.attach(self)
        context.eventStreamOpened()
        state = .streaming(stream)
        input = []
        deadline = loop.now &+ context.heartbeatInterval
        flushEventStream(stream)
    }

    /// Moves the stream's pending events into the output and writes them; a consumer whose
    /// unsent backlog passes the cap is cut off.
    func flushEventStream(_ stream: HTTPEventStream) {
        guard case .streaming(let current) = state, current === stream else { return }
        let pending = stream.takePending()
        if !pending.isEmpty { output.append(contentsOf: pending) }
        if unsentCount > context.maxEventStreamBacklog {
            close()
            return
        }
        if !isProcessing { flush() }
    }

    /// The application closed the stream (`isAbort`: it overflowed, drop what is unsent).
    func closeEventStream(_ stream: HTTPEventStream, isAbort: Bool) {
        guard case .streaming(let current) = state, current === stream else {
            stream.didClose()
            return
        }
        if isAbort {
            close()
        } else {
            flushEventStream(stream)
            if case .streaming = state { beginClosing() }
        }
    }

    /// The stream is over: count it and tell the application (once).
    func endEventStream(_ stream: HTTPEventStream) {
        context.eventStreamClosed()
        stream.detach()
        stream.didClose()
    }
}
