import Foundation
import LoadCore
import LoadEngine
import XCTest

@testable import LoadGen

/// `--workers N`: several engines on threads of their own, one event log, one summary.
final class WorkerRunTests: XCTestCase {
    /// An in-process run of `yaml` with `--workers workers`.
    private func workersRun(_ yaml: String, workers: Int) throws -> InProcessRun {
        var run = try InProcessRun(yaml, for: self, arguments: ["--workers", "\(workers)"])
        run.settings.workers = workers
        return run
    }

    private func run(_ yaml: String, workers: Int, quiet: Bool = true) throws -> (RunResult, [String]) {
        var run = try workersRun(yaml, workers: workers)
        run.settings.quiet = quiet
        let console = CapturedConsole()
        let result = try run.session(console: console).run()
        return (result, console.err)
    }

    /// The attempt records of a run directory's event log, in the log's order.
    private func records(_ directory: String) throws -> [AttemptRecord] {
        let reader = try EventLogReader(path: directory + "/events.ndjson")
        var records: [AttemptRecord] = []
        while let entry = try reader.next() {
            if case .attempt(let record) = entry { records.append(record) }
        }
        return records
    }

    func testTwoWorkersRunTheRequestedCountIntoOneLogAndOneSummary() throws {
        let (result, _) = try run("""
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 1ms, output_tokens: 4}}
            load: {mode: closed, users: 6, requests: 301}
            """, workers: 2)
        XCTAssertEqual(result.exitStatus, ExitStatus.success)
        XCTAssertEqual(result.outcome.completed, 301)
        XCTAssertEqual(result.outcome.loopCloseStatus, 0)
        let logged = try records(result.directory)
        XCTAssertEqual(logged.count, 301)
        XCTAssertEqual(Set(logged.map(\.requestID)).count, 301, "request ids are unique across workers")
        XCTAssertEqual(Set(logged.map(\.requestID)), Set((0..<301).map(UInt64.init)),
                       "worker w numbers its requests w, w + 2, …: together 0..<301 when nothing is dropped")
        // The summary's counts and histograms are a recomputation of the log's.
        let fromLog = RunRecorder()
        logged.forEach(fromLog.record)
        XCTAssertEqual(Summary(recorder: fromLog), result.summary)
        XCTAssertEqual(result.summary.successes, 301)
        XCTAssertEqual(result.summary.outputTokens, 301 * 4)
        // Both workers' loops are judged.
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: result.directory + "/summary.json"))) as? [String: Any]
        let client = try XCTUnwrap(json?["client"] as? [String: Any], "\(String(describing: json))")
        XCTAssertEqual((client["loop_busy_workers"] as? [Double])?.count, 2, "\(client)")
        let run = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: result.directory + "/run.json"))) as? [String: Any]
        XCTAssertEqual(run?["workers"] as? Int, 2, "run.json says how many engines ran")
    }

    func testOpenLoopWorkersKeepTheOneProcessSchedule() throws {
        // 120 poisson arrivals at 200/s from seed 7: one worker and two intend the same starts, and
        // (nothing dropped) arrival k is request k either way.
        let yaml = """
            seed: 7
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 2}}
            load: {mode: open, rate: 200, duration: 600ms, arrival: poisson}
            """
        func intended(_ workers: Int) throws -> [UInt64: UInt64] {
            let (result, _) = try run(yaml, workers: workers)
            XCTAssertEqual(result.outcome.dropped, 0)
            let logged = try records(result.directory)
            XCTAssertEqual(logged.count, result.outcome.completed)
            return Dictionary(uniqueKeysWithValues: logged.map { ($0.requestID, $0.intendedStartNanos) })
        }
        let one = try intended(1)
        let two = try intended(2)
        XCTAssertGreaterThan(one.count, 50)
        XCTAssertEqual(one, two)
    }

    func testCostBudgetStopsEveryWorker() throws {
        // $0.000028 a request (as in RunSessionTests): a $0.0003 budget stops both workers after a
        // handful of their 1,000 requests; each alone would run its 500.
        let (result, err) = try run("""
            target: {provider: mock, mock: {ttft: 5ms, inter_token: 0s, output_tokens: 10}}
            load: {mode: closed, users: 2, requests: 1000}
            limits: {max_cost_usd: 0.0003}
            """, workers: 2, quiet: false)
        // A worker the stop did not reach would run all its 500 (2.5 s at 5 ms each); the stop
        // crosses threads within milliseconds, even on a loaded machine.
        XCTAssertLessThan(result.outcome.completed, 500)
        let reason = try XCTUnwrap(result.outcome.stopReason)
        XCTAssertTrue(err.contains("\nloadgen: stopping new requests: \(reason)"), "\(err)")
        XCTAssertTrue(err.contains { $0.contains("with 2 workers") }, "\(err)")
    }

    func testRefusalAndLowDiskStopEveryWorker() throws {
        // The target refuses: the monitor's stop reaches both workers (each alone would send 500).
        let (refused, _) = try run("""
            target: {provider: mock, mock: {ttft: 5ms, error_rate: 1, error_status: 401}}
            load: {mode: closed, users: 2, requests: 1000}
            """, workers: 2)
        XCTAssertEqual(refused.exitStatus, ExitStatus.targetRejected)
        // Below 500: a worker the stop did not reach would send all of its 500 (242 in all was
        // seen beside stress-ng with a 1 ms mock, the stop arriving late but arriving).
        XCTAssertLessThan(refused.outcome.completed, 500)
        XCTAssertGreaterThanOrEqual(refused.outcome.completed, TargetRejectionWatch.sampleSize)

        // A disk reserve no file system has: the first combined tick stops both workers.
        var lowDisk = try workersRun("""
            target: {provider: mock, mock: {ttft: 2ms, inter_token: 0s, output_tokens: 2}}
            load: {mode: closed, users: 2, requests: 1000000}
            """, workers: 2)
        lowDisk.settings.environment = [DiskSpaceWatch.reserveVariable: "\(UInt64(1) << 62)"]
        let result = try lowDisk.session(console: CapturedConsole()).run()
        XCTAssertEqual(result.exitStatus, ExitStatus.failure)
        XCTAssertLessThan(result.outcome.completed, 1_000_000)
        let reason = try XCTUnwrap(result.outcome.stopReason)
        XCTAssertTrue(reason.contains("below the reserve"), reason)
        XCTAssertEqual(try records(result.directory).count, result.outcome.completed)
    }

    func testCancelFromOneWorkerStopsAllOfThem() throws {
        // The way a second interrupt or a failed event log stops a run: one worker's callback cancels
        // through the group, and every worker ends early with that reason.
        let run = try workersRun("""
            target: {provider: mock, mock: {ttft: 2ms, inter_token: 1ms, output_tokens: 50}}
            load: {mode: closed, users: 3, requests: 100000}
            """, workers: 2)
        let prepared = try PreparedRun(profile: run.profile, settings: run.settings, fileLimit: 1_000)
        defer { prepared.shutDown() }
        XCTAssertEqual(prepared.engines.count, 2)
        let group = WorkerGroup(engines: prepared.engines)
        var attempts = [0, 0]
        var cancelled = 0
        for (worker, engine) in prepared.engines.enumerated() {
            engine.onAttempt = { record in
                group.lock.lock()
                defer { group.lock.unlock() }
                attempts[worker] += 1
                if record.errorClass == .cancelled { cancelled += 1 }
                if worker == 0 && attempts[0] == 5 { group.cancelInFlight(reason: "test cancel") }
            }
        }
        let (combined, workers) = try group.run()
        XCTAssertEqual(workers.map(\.stopReason), ["test cancel", "test cancel"])
        XCTAssertLessThan(combined.completed, 1_000)
        XCTAssertEqual(combined.completed, attempts[0] + attempts[1])
        XCTAssertEqual(combined.cancelled, cancelled)
        XCTAssertEqual(workers.map(\.loopCloseStatus), [0, 0])
    }

    func testAutomaticWorkerCount() throws {
        func profile(_ load: String) throws -> Profile {
            try workersRun("target: {provider: mock}\nload: \(load)\n", workers: 1).profile
        }
        let small = try profile("{mode: open, rate: 500, duration: 1s}")
        let large = try profile("{mode: open, stages: [{rate: 100, duration: 1s}, {rate: 1800, duration: 1s}]}")
        let users = try profile("{mode: closed, users: 1200, duration: 1s}")
        // (profile, shards, warm-up, cores) -> workers
        XCTAssertEqual(WorkerCount.automatic(profile: small, shards: 1, warmupConnections: 0, cores: 8), 1)
        XCTAssertEqual(WorkerCount.automatic(profile: large, shards: 1, warmupConnections: 0, cores: 8), 4)
        XCTAssertEqual(WorkerCount.automatic(profile: large, shards: 1, warmupConnections: 0, cores: 2), 2)
        XCTAssertEqual(WorkerCount.automatic(profile: large, shards: 4, warmupConnections: 0, cores: 8), 1)
        XCTAssertEqual(WorkerCount.automatic(profile: large, shards: 1, warmupConnections: 10, cores: 8), 1)
        XCTAssertEqual(WorkerCount.automatic(profile: users, shards: 1, warmupConnections: 0, cores: 8), 3)
        XCTAssertThrowsError(try WorkerCount.resolve("0", profile: small, shards: 1, warmupConnections: 0))
        XCTAssertThrowsError(try WorkerCount.resolve("2", profile: small, shards: 1, warmupConnections: 5))
        XCTAssertEqual(try WorkerCount.resolve("3", profile: small, shards: 1, warmupConnections: 0), 3)
        // Never more workers than in-flight slots: a limit of 1 stays a limit of 1.
        let oneSlot = try profile("{mode: open, rate: 100000, duration: 1s}\nlimits: {max_in_flight: 1}")
        XCTAssertEqual(WorkerCount.automatic(profile: oneSlot, shards: 1, warmupConnections: 0, cores: 8), 1)
        XCTAssertThrowsError(try WorkerCount.resolve("2", profile: oneSlot, shards: 1, warmupConnections: 0))
    }
}
