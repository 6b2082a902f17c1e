import Dispatch
import Foundation

/// Work spread over the machine's cores with results in a fixed order, so what runs in
/// parallel gives exactly what running it serially would.
enum Parallel {
    /// `elements.map(transform)`, in chunks on all cores. Order is kept.
    /// - Complexity: O(n) calls of `transform`, divided among the cores.
    static func map<Element, Result>(_ elements: [Element], minimumChunk: Int = 256, _ transform: (Element) -> Result) -> [Result] {
        let n = elements.count
        let chunks = min(max(n / minimumChunk, 1), 4 * cores)
        if chunks <= 1 { return elements.map(transform) }
        let results = UnsafeMutableBufferPointer<[Result]>.allocate(capacity: chunks)
        results.initialize(repeating: [])
        defer { results.deinitialize(); results.deallocate() }
        elements.withUnsafeBufferPointer { input in
            withoutActuallyEscaping(transform) { transform in
                let shared = Unchecked((input, results, transform))
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let (input, results, transform) = shared.value
                    let range = (chunk * n / chunks)..<((chunk + 1) * n / chunks)
                    results[chunk] = input[range].map(transform)
                }
            }
        }
        var merged: [Result] = []
        merged.reserveCapacity(n)
        for chunk in results { merged.append(contentsOf: chunk) }
        return merged
    }

    /// Runs the closures, in parallel when there is more than one core, and returns when all
    /// have finished.
    static func run(_ first: () -> Void, _ second: () -> Void) {
        guard cores > 1 else {
            first()
            second()
            return
        }
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let shared = Unchecked((first, second))
                DispatchQueue.concurrentPerform(iterations: 2) { $0 == 0 ? shared.value.0() : shared.value.1() }
            }
        }
    }

    /// The number of cores this process may use, at least one.
    static let cores = max(ProcessInfo.processInfo.activeProcessorCount, 1)

    /// A value handed to the worker threads; the callers make sure each thread touches only its
    /// own part of it.
    private struct Unchecked<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
