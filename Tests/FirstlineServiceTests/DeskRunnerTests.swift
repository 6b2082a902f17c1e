import FirstlineDialogue
import FirstlineNLU
import FirstlineStore
import Foundation
import Testing
@testable import FirstlineService

@Suite("The desk runner: group commit and replies after durability")
struct DeskRunnerTests {
    static let bundle = ReplayTests.bundle
    static let classifier = ReplayTests.classifier

    final class Collected: @unchecked Sendable {  // guarded by `lock`
        let lock = NSLock()
        var results: [Int: Result<JSONValue, any Error>] = [:]
        let done = DispatchGroup()
    }

    func makeRunner(_ directory: String) throws -> (DeskRunner, DeskJournal) {
        let store = try DeskJournal(directory: directory, bundle: Self.bundle)
        let metrics = ServiceMetrics()
        let dispatcher = EffectDispatcher(hub: EventHub(), timers: DeskTimers(), metrics: metrics)
        let runner = DeskRunner(store: store, classifier: Self.classifier, effects: dispatcher)
        dispatcher.runner = runner
        return (runner, store)
    }

    @Test("jobs submitted at once from many threads are all answered, and a refused one does not sink the others")
    func concurrentJobs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (runner, _) = try makeRunner(directory)
        runner.start()
        let collected = Collected()
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            collected.done.enter()
            // Every tenth job closes a session that does not exist: refused by the reducer.
            let event: DeskEvent = index % 10 == 9 ? .userClosed(session: "missing-\(index)") : .sessionOpened(session: "s\(index)", locale: "en")
            runner.submit({ turn in
                try turn.stage(event)
                return .int(index)
            }, completion: { result in
                collected.lock.withLock { collected.results[index] = result }
                collected.done.leave()
            })
        }
        collected.done.wait()
        runner.stop()
        #expect(collected.results.count == 200)
        for (index, result) in collected.results {
            switch result {
            case .success(let value): #expect(value == .int(index) && index % 10 != 9)
            case .failure(let error): #expect(index % 10 == 9 && (error as? APIError)?.status == 404)
            }
        }
        // Everything acknowledged is in the journal: a fresh open folds to 180 sessions.
        let reopened = try DeskJournal(directory: directory, bundle: Self.bundle)
        defer { reopened.close() }
        #expect(reopened.desk.state.sessions.count == 180)
    }

    @Test("a job sees the events staged before it in the same turn, and its reply reflects them")
    func orderWithinTurn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (runner, _) = try makeRunner(directory)
        runner.start()
        let collected = Collected()
        collected.done.enter()
        collected.done.enter()
        runner.submit({ turn in
            try turn.stage(.sessionOpened(session: "a", locale: "tr"))
            return .null
        }, completion: { _ in collected.done.leave() })
        runner.submit({ turn in
            let classification = turn.classifier.classify("canlı temsilci istiyorum", locale: "tr")
            try turn.stage(.userMessage(session: "a", text: "canlı temsilci istiyorum", understanding: Understanding(classification), choice: nil), repliedTo: "a")
            return .string(turn.desk.session("a")?.state.name ?? "none")
        }, completion: { result in
            collected.lock.withLock { collected.results[1] = result }
            collected.done.leave()
        })
        collected.done.wait()
        runner.stop()
        guard case .success(.string(let state))? = collected.results[1] else {
            Issue.record("the second job failed: \(String(describing: collected.results[1]))")
            return
        }
        #expect(state != "none")
    }

    @Test("after stop, new jobs are refused with 503")
    func stopRefuses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (runner, _) = try makeRunner(directory)
        runner.start()
        runner.stop()
        let collected = Collected()
        collected.done.enter()
        runner.submit({ _ in .null }, completion: { result in
            collected.lock.withLock { collected.results[0] = result }
            collected.done.leave()
        })
        collected.done.wait()
        guard case .failure(let error)? = collected.results[0] else {
            Issue.record("a job after stop ran")
            return
        }
        #expect((error as? APIError)?.status == 503)
    }
}
