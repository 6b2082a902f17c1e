import Dispatch
import FirstlineStore
import Foundation

/// `firstline bench-journal`: measures the journal on this machine's disk and prints the
/// median of several runs. Not a test: figures depend on the disk's fsync latency; run it on
/// a release build (`swift build -c release`).
///
/// 1. Acknowledged appends per second: `--appenders` tasks (64) each append `--payload`-byte
///    records (200) back to back for `--seconds` (3), each waiting for its record to be
///    durable (group commit: one write and one fdatasync per group).
/// 2. Recovery: a journal of `--records` records (1,000,000) is written once with the
///    synchronous batch API, then opened `--runs` times, folding the records into a count
///    (streaming, nothing kept) — with the page cache warm.
///
/// Options: `--dir DIR` (default: a new folder in the temporary directory, removed after),
/// `--runs N` (5), `--skip-appends`, `--skip-recovery`. Returns the exit code.
func runJournalBench(arguments: [String]) -> Int32 {
    do {
        let bench = try JournalBench(arguments)
        return bench.run()
    } catch {
        Output.error("firstline: \(error)\n\n\(JournalBench.usage)")
        return 64
    }
}

/// The parsed `bench-journal` command.
struct JournalBench {
    static let usage = """
        usage: firstline bench-journal [--dir DIR] [--appenders 64] [--payload 200] [--seconds 3]
                                       [--records 1000000] [--runs 5] [--skip-appends] [--skip-recovery]
        """

    var directory: String?
    var appenders = 64
    var payloadSize = 200
    var seconds = 3.0
    var records = 1_000_000
    var runs = 5
    var isMeasuringAppends = true
    var isMeasuringRecovery = true

    init(_ words: [String]) throws(UsageError) {
        let arguments = try Arguments(
            words, valued: ["--dir", "--appenders", "--payload", "--seconds", "--records", "--runs"],
            flags: ["--skip-appends", "--skip-recovery"])
        guard arguments.positional.isEmpty else { throw UsageError("bench-journal takes no positional arguments") }
        directory = arguments.options["--dir"]
        appenders = Int(try arguments.number("--appenders", in: 1...10_000) ?? 64)
        payloadSize = Int(try arguments.number("--payload", in: 0...1_000_000) ?? 200)
        seconds = try arguments.number("--seconds", in: 0.1...600) ?? 3
        records = Int(try arguments.number("--records", in: 1...100_000_000) ?? 1_000_000)
        runs = Int(try arguments.number("--runs", in: 1...100) ?? 5)
        isMeasuringAppends = !arguments.flags.contains("--skip-appends")
        isMeasuringRecovery = !arguments.flags.contains("--skip-recovery")
    }

    func run() -> Int32 {
        let root = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("firstline-bench-journal-\(UUID().uuidString)").path
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        Output.line("journal bench in \(root)")
        do {
            if isMeasuringAppends { try measureAppends(in: root + "/appends") }
            if isMeasuringRecovery { try measureRecovery(in: root + "/recovery") }
            return 0
        } catch {
            Output.error("firstline: bench-journal: \(error)")
            return 2
        }
    }

    // MARK: appends

    private func measureAppends(in folder: String) throws {
        var rates: [Double] = []
        var latencies: [Double] = []
        for run in 1...runs {
            let path = folder + "-\(run)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let (journal, _) = try Journal.open(directory: path)
            let outcome = blocking { [appenders, payloadSize, seconds] in
                await Self.appendForAWhile(journal, appenders: appenders, payloadSize: payloadSize, seconds: seconds)
            }
            journal.close()
            let rate = Double(outcome.count) / outcome.elapsed
            rates.append(rate)
            latencies += outcome.latencies
            Output.line("  appends run \(run): \(Int(rate)) acknowledged/s (\(outcome.count) in \(Output.rounded(outcome.elapsed, 2)) s)")
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2] * 1000
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1000
        Output.line("appends: median \(Int(median(rates))) acknowledged/s with fdatasync group commit — \(appenders) concurrent appenders, \(payloadSize)-byte payloads, \(runs) runs of \(seconds) s; ack latency p50 \(Output.rounded(p50, 2)) ms, p99 \(Output.rounded(p99, 2)) ms")
    }

    private struct AppendOutcome: Sendable {
        var count: Int
        var elapsed: Double
        var latencies: [Double]
    }

    private static func appendForAWhile(_ journal: Journal, appenders: Int, payloadSize: Int, seconds: Double) async -> AppendOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let latencies = await withTaskGroup(of: [Double].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var mine: [Double] = []
                    let payload = Data((0..<payloadSize).map { UInt8(truncatingIfNeeded: appender &+ $0) })
                    while clock.now < deadline {
                        let before = clock.now
                        guard (try? await journal.append(payload)) != nil else { break }
                        mine.append(inSeconds(clock.now - before))
                    }
                    return mine
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        return AppendOutcome(count: latencies.count, elapsed: inSeconds(clock.now - start), latencies: latencies)
    }

    // MARK: recovery

    private func measureRecovery(in path: String) throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writeStart = ContinuousClock.now
        let (journal, _) = try Journal.open(directory: path)
        let batch = 10_000
        var written = 0
        while written < records {
            let count = min(batch, records - written)
            let payloads = (0..<count).map { index in
                Data((0..<payloadSize).map { UInt8(truncatingIfNeeded: written + index + $0) })
            }
            _ = try journal.append(contentsOf: payloads)
            written += count
        }
        journal.close()
        let writeSeconds = inSeconds(ContinuousClock.now - writeStart)
        let bytes = (try? FileManager.default.contentsOfDirectory(atPath: path))?.reduce(UInt64(0)) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? UInt64) ?? 0)
        } ?? 0
        Output.line("  wrote \(records) records (\(bytes / 1_000_000) MB) in batches of \(batch) in \(Output.rounded(writeSeconds, 2)) s (\(Int(Double(records) / writeSeconds)) records/s)")

        var times: [Double] = []
        for run in 1...runs {
            let start = ContinuousClock.now
            let (reopened, folded, report) = try Journal.open(
                directory: path, initial: { _ in (count: 0, bytes: 0) },
                fold: { state, record in
                    state.count += 1
                    state.bytes += record.payload.count
                })
            let elapsed = inSeconds(ContinuousClock.now - start)
            reopened.close()
            guard folded.count == records, report.lastSequence == UInt64(records) else {
                throw JournalError(.badHeader("recovered \(folded.count) records, expected \(records)"), file: path)
            }
            times.append(elapsed)
            Output.line("  recovery run \(run): \(Output.rounded(elapsed, 3)) s (\(report.segmentCount) segments)")
        }
        Output.line("recovery: median \(Output.rounded(median(times), 3)) s for \(records) records of \(payloadSize) bytes (\(bytes / 1_000_000) MB, warm page cache, streaming fold), \(runs) runs")
    }

    // MARK: helpers

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Runs async work to completion from this synchronous command.
    private func blocking<Result: Sendable>(_ work: @escaping @Sendable () async -> Result) -> Result {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// Seconds in a duration.
private func inSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Carries a result from a task to the thread waiting for it.
// @unchecked Sendable: `value` is written before `done.signal()` and read after `done.wait()`.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
