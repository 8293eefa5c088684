@testable import LoadCore
import XCTest

/// The client self-check's verdict as a pure function of its figures (docs/client-check.md).
final class ClientCheckTests: XCTestCase {
    func testVerdictTable() {
        let cases: [(String, ClientFigures, ClientCheck.Verdict, [String])] = [
            ("nothing known", ClientFigures(), .ok, []),
            ("a quiet run", ClientFigures(loopBusyFraction: 0.12, startLagP90Millis: 0.2, startLagP99Millis: 3,
                                          measurementDelayP99Millis: 0.4), .ok, []),
            ("busy just below the limit", ClientFigures(loopBusyFraction: 0.8999), .ok, []),
            ("busy at the limit", ClientFigures(loopBusyFraction: 0.90), .saturated, ["loop busy 90 %"]),
            ("busy, rounded down", ClientFigures(loopBusyFraction: 0.9996), .saturated, ["loop busy 99 %"]),
            ("one stall: a long p99 alone is fine", ClientFigures(startLagP90Millis: 2, startLagP99Millis: 180), .ok, []),
            ("p90 at the limit is fine", ClientFigures(startLagP90Millis: 50, startLagP99Millis: 90), .ok, []),
            ("p90 above the limit", ClientFigures(startLagP90Millis: 60.4, startLagP99Millis: 140), .saturated,
             ["start lag p90 60 ms, p99 140 ms"]),
            ("delay p99 at the limit is fine", ClientFigures(measurementDelayP99Millis: 5), .ok, []),
            ("delay p99 above", ClientFigures(measurementDelayP99Millis: 7.25), .saturated, ["measurement delay p99 7.2 ms"]),
            ("out of descriptors", ClientFigures(clientFDErrors: 3, openFileLimit: 1024), .saturated,
             ["3 client_fds errors (out of file descriptors, limit 1024)"]),
            ("out of ports", ClientFigures(clientPortErrors: 2), .saturated, ["2 client_ports errors (out of local ports)"]),
            ("memory", ClientFigures(peakRSSKiB: 950 * 1024, physicalMemoryKiB: 1000 * 1024), .saturated,
             ["peak RSS 950 MiB, 95 % of memory"]),
            ("memory below", ClientFigures(peakRSSKiB: 500 * 1024, physicalMemoryKiB: 1000 * 1024), .ok, []),
            ("several", ClientFigures(loopBusyFraction: 0.97, startLagP90Millis: 51, startLagP99Millis: 38), .saturated,
             ["loop busy 97 %", "start lag p90 51 ms, p99 38 ms"]),
        ]
        for (name, figures, verdict, reasons) in cases {
            let check = ClientCheck(judging: figures)
            XCTAssertEqual(check.verdict, verdict, name)
            XCTAssertEqual(check.reasons, reasons, name)
        }
    }

    func testLine() {
        XCTAssertEqual(ClientCheck(judging: ClientFigures(loopBusyFraction: 0.2)).line, "client: ok")
        XCTAssertEqual(ClientCheck(judging: ClientFigures(loopBusyFraction: 0.97, startLagP90Millis: 60,
                                                          startLagP99Millis: 138)).line,
                       "client: saturated (loop busy 97 %, start lag p90 60 ms, p99 138 ms)")
    }

    func testFiguresFromARecorder() {
        let recorder = RunRecorder()
        var attempt = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 70_000_000, endNanos: 80_000_000)
        attempt.status = 200
        attempt.measurementDelaysMicros = [100, 200, 9_000]
        recorder.record(attempt)
        var failed = AttemptRecord(requestID: 1, intendedStartNanos: 0, startNanos: 0, endNanos: 1_000)
        failed.errorClass = .clientFds
        recorder.record(failed)
        let figures = ClientFigures(recorder: recorder)
        XCTAssertEqual(figures.clientFDErrors, 1)
        XCTAssertEqual(figures.measurementDelayP99Millis ?? 0, 9.0, accuracy: 0.01)
        XCTAssertEqual(figures.startLagP99Millis ?? 0, 70, accuracy: 0.1)
        XCTAssertEqual(ClientCheck(judging: figures).verdict, .saturated)
    }

    func testMergedRunsNameTheirReasons() {
        let ok = ClientCheck(judging: ClientFigures(loopBusyFraction: 0.1))
        let busy = ClientCheck(judging: ClientFigures(loopBusyFraction: 0.95, clientPortErrors: 1))
        XCTAssertEqual(ClientCheck.merged([("a", ok)]), ok)
        let merged = ClientCheck.merged([("a", ok), ("b", busy)])
        XCTAssertEqual(merged?.verdict, .saturated)
        XCTAssertEqual(merged?.reasons, ["b: loop busy 95 %", "b: 1 client_ports errors (out of local ports)"])
        XCTAssertEqual(merged?.figures.loopBusyFraction, 0.95)
        XCTAssertNil(ClientCheck.merged([]))
    }

    /// The end line keeps the verdict, its reasons and the figures; the reader gives them back.
    func testEndLineRoundTrip() throws {
        let check = ClientCheck(judging: ClientFigures(
            loopBusyFraction: 0.9712, startLagP90Millis: 60, startLagP99Millis: 140.5, measurementDelayP99Millis: 0.25,
            clientFDErrors: 0, clientPortErrors: 0, peakRSSKiB: 81_234, physicalMemoryKiB: 8_000_000,
            openFileLimit: 20_000, descriptorsNeeded: 1_100))
        var line = JSONLineBuffer(capacity: 256)
        line.beginObject()
        line.field("type", "end")
        check.encode(into: &line)
        line.endLine()
        let object = try JSONParser.parse(line.bytes)
        let decoded = try ClientCheck(eventObject: try XCTUnwrap(object["client"]))
        XCTAssertEqual(decoded, check)
    }
}
