/// Work handed to a loop from another thread (or from loop 0's acceptor), run on the loop's
/// thread in the order posted.
enum LoopTask {
    /// Take over an accepted socket.
    case adopt(descriptor: Int32, remoteAddress: String)
    /// The application's response to request `sequence` of `connection`.
    case respond(Connection, sequence: UInt64, HTTPResponse)
    /// The application turned request `sequence` into an event stream.
    case startEventStream(Connection, sequence: UInt64, HTTPEventStream, HTTPHeaders)
    /// An event stream has pending events to write.
    case flushEventStream(HTTPEventStream)
    /// The application closed an event stream (or it overflowed: `isAbort`).
    case closeEventStream(HTTPEventStream, isAbort: Bool)
    /// Stop listening (loop 0).
    case closeListener
    /// Finish in-flight work by `deadline` (monotonic ns), then stop.
    case beginShutdown(deadline: UInt64)
}
