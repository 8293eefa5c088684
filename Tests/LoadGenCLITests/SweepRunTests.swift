import Foundation
import LoadCore
import XCTest

/// `loadgen sweep` against the embedded mock, scaled down to keep the suite short (the full-size
/// sweeps of issue 13 are scripts/bench-sweep.sh): a slot-limited mock's knee, a rate-limited
/// mock's limit, and the run directory every loadreport view reads.
final class SweepRunTests: XCTestCase {
    private func sweep(_ profile: String) throws -> (run: URL, capacity: [String: Any], stdout: String) {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let file = try CLITestSupport.writeProfile(profile, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["sweep", "--profile", file.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let summary = try CLITestSupport.json(run.appendingPathComponent("summary.json"))
        return (run, try XCTUnwrap(summary["capacity"] as? [String: Any]), result.stdout)
    }

    func testKneeOfASlotLimitedMock() throws {
        // 4 completions at once, 100 ms + 9 × 10 ms each: the knee is 4 / 0.19 s ≈ 21 requests/s.
        let (run, capacity, stdout) = try sweep("""
            name: sweep-knee
            target: {provider: mock, mock: {ttft: 100ms, inter_token: 10ms, output_tokens: 10, capacity: {streams: 4}}}
            sweep:
              slo: {ttft_p99: 400ms}
              step: 3s
              min_completions: 30
              steps: 2
              tolerance: 10%
              max_duration: 60s
            """)
        let knee = try XCTUnwrap(capacity["knee_rps"] as? Double)
        // Generous: a loaded machine slows the mock's hand-over of slots, never speeds it up.
        XCTAssertGreaterThan(knee, 21 * 0.6, "\(capacity)")
        XCTAssertLessThan(knee, 21 * 1.1, "\(capacity)")
        XCTAssertEqual(capacity["limited_by"] as? String, "latency", "\(capacity)")
        XCTAssertEqual(capacity["knee_reached"] as? Bool, true)
        let bracket = try XCTUnwrap(capacity["slo_bracket"] as? [Double])
        XCTAssertLessThan(bracket[0], bracket[1])
        XCTAssertTrue(stdout.contains("knee: "), stdout)

        // Every step is a stage of the run: the header lists them, the attempts carry them.
        let steps = try XCTUnwrap(capacity["steps"] as? [[String: Any]])
        let events = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(events.prefix { $0 != "\n" }.utf8))
                                       as? [String: Any])
        let stages = try XCTUnwrap(header["stages"] as? [[String: Any]])
        XCTAssertEqual(stages.count, steps.count)
        XCTAssertEqual(stages.first?["label"] as? String, "baseline users 1")
        let attemptStages = Set(try CLITestSupport.attempts(in: run).compactMap { $0["stage"] as? Int })
        XCTAssertEqual(attemptStages, Set(0..<steps.count))
        let byStage = try BinaryRunner.run([run.path, "--group-by", "stage"], binary: "loadreport")
        XCTAssertEqual(byStage.status, 0, byStage.stderr)
        XCTAssertTrue(byStage.stdout.contains("stage: 1 (ceiling rate "), byStage.stdout)

        // loadreport --capacity redoes the analysis from the log and agrees with the sweep.
        let again = try BinaryRunner.run([run.path, "--capacity", "--format", "json"], binary: "loadreport")
        XCTAssertEqual(again.status, 0, again.stderr)
        let reread = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let recomputed = try XCTUnwrap(reread["capacity"] as? [String: Any])
        XCTAssertEqual(recomputed["knee_rps"] as? Double ?? -1, knee, accuracy: 1e-9)
        XCTAssertEqual(recomputed["slo_bracket"] as? [Double], bracket)
        XCTAssertEqual(recomputed["limited_by"] as? String, "latency")
    }

    func testRateLimitOfAMock() throws {
        // 600 requests/min (10/s, a 1 s bucket) far below the mock's slots.
        let (_, capacity, stdout) = try sweep("""
            name: sweep-rate-limit
            target: {provider: mock, mock: {ttft: 20ms, inter_token: 2ms, output_tokens: 4,
                     rate_limit: {requests_per_minute: 600, burst: 1s}}}
            sweep:
              step: 3s
              min_completions: 30
              steps: 2
              tolerance: 10%
              max_duration: 60s
            """)
        XCTAssertEqual(capacity["limited_by"] as? String, "rate_limit", "\(capacity)")
        let rateLimit = try XCTUnwrap(capacity["rate_limit"] as? [String: Any])
        XCTAssertEqual(rateLimit["requests_per_s"] as? Double ?? 0, 10, accuracy: 10 * 0.05, "\(capacity)")
        XCTAssertEqual(rateLimit["announced_requests"] as? Double, 600)
        XCTAssertEqual(capacity["slo_rps"] as? Double ?? 0, 10, accuracy: 10 * 0.05, "\(capacity)")
        XCTAssertTrue(stdout.contains("announced 600 RPM"), stdout)
    }

    func testAProfileWithoutSweepIsRefused() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let file = try CLITestSupport.writeProfile(
            "target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\n", in: directory)
        let result = try BinaryRunner.run(["sweep", "--profile", file.path, "--output",
                                           directory.appendingPathComponent("runs").path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("has no sweep: section"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path))
    }
}
