import Foundation
import LoadCore
import XCTest

@testable import LoadGen

/// A run session driven in-process against the embedded mock: what it writes, prints and returns.
final class RunSessionTests: XCTestCase {
    private func session(_ yaml: String, quiet: Bool = true, configure: (inout RunSettings) -> Void = { _ in })
        throws -> (session: RunSession, console: CapturedConsole, runs: URL)
    {
        var run = try InProcessRun(yaml, for: self)
        run.settings.quiet = quiet
        run.settings.writesHTML = true
        configure(&run.settings)
        let console = CapturedConsole()
        return (try run.session(console: console), console, run.runs)
    }

    func testRunWritesEveryArtifactAndReportsTheSummary() throws {
        let (session, console, runs) = try session("""
            target: {provider: mock, mock: {ttft: 2ms, inter_token: 0s, output_tokens: 5}}
            load: {mode: closed, users: 2, requests: 10}
            """)
        let result = try session.run()
        XCTAssertEqual(result.exitStatus, ExitStatus.success)
        XCTAssertEqual(result.outcome.completed, 10)
        XCTAssertEqual(result.summary.successes, 10)
        XCTAssertEqual(result.summary.outputTokens, 50)
        XCTAssertTrue(result.directory.hasPrefix(runs.path), result.directory)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: result.directory))
        for file in ["events.ndjson", "run.json", "summary.json", "summary.txt", "profile.resolved.yaml",
                     "histograms.hlog"] {
            XCTAssertTrue(files.contains(file), "\(file) missing from \(files)")
        }
        XCTAssertEqual(try Self.attemptsInLog(result.directory), 10)
        let run = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: result.directory + "/run.json"))) as? [String: Any]
        XCTAssertEqual(run?["workers"] as? Int, 1)
        XCTAssertEqual(console.out.last, "report again:  loadreport \(result.directory)")
        XCTAssertTrue(console.out.contains("run directory: \(result.directory)"), "\(console.out)")
        XCTAssertTrue(console.err.isEmpty, "quiet: nothing on stderr, got \(console.err)")
    }

    /// The attempt lines of a run directory's event log.
    static func attemptsInLog(_ directory: String) throws -> Int {
        let reader = try EventLogReader(path: directory + "/events.ndjson")
        var attempts = 0
        while let entry = try reader.next() {
            if case .attempt = entry { attempts += 1 }
        }
        return attempts
    }

    func testCostBudgetStopsArrivalsAndSaysSo() throws {
        // $1 / $2 per million tokens: 8 input and 10 output tokens cost $0.000028 a request, so a
        // $0.0002 budget stops the run after a handful of the 1,000 requests.
        let (session, console, _) = try session("""
            target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 10}}
            load: {mode: closed, users: 1, requests: 1000}
            limits: {max_cost_usd: 0.0002}
            """, quiet: false)
        let result = try session.run()
        XCTAssertLessThan(result.outcome.completed, 20)
        XCTAssertGreaterThan(result.outcome.completed, 3)
        let reason = try XCTUnwrap(result.outcome.stopReason)
        XCTAssertTrue(console.err.contains("\nloadgen: stopping new requests: \(reason)"), "\(console.err)")
    }

    func testTargetThatRefusesTheRunExitsWithFour() throws {
        let (session, console, _) = try session("""
            target: {provider: mock, mock: {ttft: 1ms, error_rate: 1, error_status: 401}}
            load: {mode: closed, users: 1, requests: 20}
            """)
        let result = try session.run()
        XCTAssertEqual(result.exitStatus, ExitStatus.targetRejected)
        XCTAssertEqual(result.outcome.completed, TargetRejectionWatch.sampleSize)
        XCTAssertTrue(console.err.contains { $0.contains("401 Unauthorized") }, "\(console.err)")
    }

    func testMissingKeyFailsBeforeTheRunDirectoryExists() throws {
        let (session, _, runs) = try session("""
            target: {provider: openai, model: gpt-4o-mini, api_key_env: LOADGEN_TEST_UNSET_KEY}
            load: {mode: closed, users: 1, requests: 1}
            """) { $0.environment = [:] }
        XCTAssertThrowsError(try session.run()) { error in
            XCTAssertEqual((error as? CLIError)?.exitCode, ExitStatus.invalidInput)
            XCTAssertTrue("\(error)".contains("LOADGEN_TEST_UNSET_KEY"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: runs.path))
    }

    func testLowDiskSpaceStopsNewRequestsAndFailsTheRun() throws {
        // A reserve no file system has: the first tick (500 ms) stops new requests; the run still
        // writes its log and summary (the check keeps room for them) and exits 1.
        let (session, console, _) = try session("""
            target: {provider: mock, mock: {ttft: 2ms, inter_token: 0s, output_tokens: 2}}
            load: {mode: closed, users: 2, requests: 1000000}
            """) { $0.environment = [DiskSpaceWatch.reserveVariable: "\(UInt64(1) << 62)"] }
        let result = try session.run()
        XCTAssertEqual(result.exitStatus, ExitStatus.failure)
        XCTAssertLessThan(result.outcome.completed, 1_000_000)
        let reason = try XCTUnwrap(result.outcome.stopReason)
        XCTAssertTrue(reason.contains("below the reserve"), reason)
        XCTAssertTrue(console.err.contains { $0.contains("stopping new requests: \(reason)") }, "\(console.err)")
        XCTAssertEqual(try Self.attemptsInLog(result.directory), result.outcome.completed + result.outcome.cancelled)
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.directory + "/summary.json"))
    }

    func testUnreadableDiskReserveIsRefusedBeforeTheRun() throws {
        XCTAssertThrowsError(try session("""
            target: {provider: mock}
            load: {mode: closed, users: 1, requests: 1}
            """) { $0.environment = [DiskSpaceWatch.reserveVariable: "1GB"] }) { error in
            XCTAssertEqual((error as? CLIError)?.exitCode, ExitStatus.invalidInput)
            XCTAssertTrue("\(error)".contains("LOADGEN_DISK_RESERVE_BYTES=\"1GB\""), "\(error)")
        }
    }
}
