import Dispatch
import Foundation

/// A record waiting for the writer, and who to tell once it is durable.
struct PendingAppend {
    /// Who is waiting for the record.
    enum Waiter {
        /// Nobody (a record inside a synchronous batch other than its last).
        case none
        /// An `async` append.
        case continuation(CheckedContinuation<Result<UInt64, JournalError>, Never>)
        /// A synchronous batch, told once its last record is durable.
        case batch(BatchTicket)
    }

    var sequence: UInt64
    var payload: Data
    var waiter: Waiter

    /// Tells the waiter the record is durable.
    func succeed() {
        switch waiter {
        case .none: break
        case .continuation(let continuation): continuation.resume(returning: .success(sequence))
        case .batch(let ticket): ticket.finish(nil)
        }
    }

    /// Tells the waiter the record may not be durable.
    func fail(_ error: JournalError) {
        switch waiter {
        case .none: break
        case .continuation(let continuation): continuation.resume(returning: .failure(error))
        case .batch(let ticket): ticket.finish(error)
        }
    }
}

/// What a thread appending a synchronous batch blocks on.
// @unchecked Sendable: `error` is written once before `semaphore.signal()` and read only
// after `semaphore.wait()`, which orders the two.
final class BatchTicket: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var error: JournalError?

    /// Records the outcome and wakes the waiting thread.
    func finish(_ error: JournalError?) {
        self.error = error
        semaphore.signal()
    }

    /// Blocks until `finish`, then throws its error, if any.
    func wait() throws(JournalError) {
        semaphore.wait()
        if let error { throw error }
    }
}
