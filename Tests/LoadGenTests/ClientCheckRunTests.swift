import Foundation
import LoadCore
import LoadEngine
import XCTest

@testable import LoadGen

/// The client self-check on whole runs against the embedded mock (docs/client-check.md): a client
/// whose loop is kept busy on purpose ends `saturated` with the reason, an unstarved run of the same
/// profile ends `ok`; both verdicts reach the summary, summary.json and the event log that
/// `loadreport` reads. No timing figure is asserted: the starved loop is ~100 % busy by
/// construction (it never waits for events), the unstarved one far below 90 % even on a loaded machine.
final class ClientCheckRunTests: XCTestCase {
    private static let profile = """
        target: {provider: mock, mock: {ttft: 20ms, inter_token: 5ms, output_tokens: 4}}
        load: {mode: closed, users: 4, requests: 40}
        """

    private func run(loopStall: LoopStall?) throws -> (result: RunResult, out: [String]) {
        var run = try InProcessRun(Self.profile, for: self)
        run.settings.loopStall = loopStall
        let console = CapturedConsole()
        let session = try run.session(console: console)
        let result = try session.run()
        // The summary table comes as one piece: its lines, one by one.
        return (result, console.out.flatMap { $0.split(separator: "\n").map(String.init) })
    }

    /// `client` of summary.json, and the verdict loadreport reads back from the event log.
    private func verdicts(_ directory: String) throws -> (summary: [String: Any], fromLog: ClientCheck?) {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let accumulator = ReportAccumulator()
        _ = try ReportInputs.read(paths: [directory + "/events.ndjson"], into: accumulator)
        return (try XCTUnwrap(object["client"] as? [String: Any]), accumulator.report().client)
    }

    func testUnstarvedRunIsOK() throws {
        let (result, out) = try run(loopStall: nil)
        XCTAssertEqual(result.outcome.completed, 40)
        XCTAssertTrue(out.contains("client: ok"), "\(out)")
        let (summary, fromLog) = try verdicts(result.directory)
        XCTAssertEqual(summary["verdict"] as? String, "ok")
        XCTAssertEqual(summary["reasons"] as? [String], [])
        XCTAssertLessThan(try XCTUnwrap(summary["loop_busy"] as? Double), ClientCheck.loopBusyLimit)
        XCTAssertEqual(fromLog?.verdict, .ok)
    }

    func testStarvedLoopIsSaturatedWithTheReason() throws {
        // Every millisecond the loop spins for 5 ms: it never waits for events.
        let (result, out) = try run(loopStall: LoopStall(everyMillis: 1, spinMillis: 5))
        XCTAssertEqual(result.outcome.completed, 40)
        let line = try XCTUnwrap(out.first { $0.hasPrefix("client: ") }, "\(out)")
        XCTAssertTrue(line.hasPrefix("client: saturated (loop busy "), line)
        let (summary, fromLog) = try verdicts(result.directory)
        XCTAssertEqual(summary["verdict"] as? String, "saturated")
        XCTAssertTrue((summary["reasons"] as? [String])?.first?.hasPrefix("loop busy ") ?? false, "\(summary)")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(summary["loop_busy"] as? Double), ClientCheck.loopBusyLimit)
        XCTAssertEqual(fromLog?.verdict, .saturated)
        XCTAssertEqual(fromLog?.reasons, summary["reasons"] as? [String])
    }
}
