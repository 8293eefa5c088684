import Foundation
@testable import LoadCore
import XCTest

/// The HTML page without a browser: escaping, determinism, no external reference, the percentile
/// scale, the sweep section, comparison overlays, and a size that does not grow with the requests.
final class HTMLReportTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("html-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testTextFromLogsIsEscaped() throws {
        let path = try HTMLFixtures.writeRun(in: directory, name: "run<x>", model: "<script>alert('m')</script>",
                                             thresholds: true)
        let page = HTMLPage.render(try HTMLReport.read(paths: [path], compare: false))
        XCTAssertFalse(page.contains("<script"), "a model name became markup")
        XCTAssertFalse(page.contains("run<x>"))
        XCTAssertTrue(page.contains("&lt;script&gt;alert(&#39;m&#39;)&lt;/script&gt;"))
        XCTAssertTrue(page.contains("run&lt;x&gt;"))
        XCTAssertTrue(page.contains("12 of 300 requests &lt;failed&gt;"), "thresholds.json's detail")
        XCTAssertEqual(HTMLText.escape("a\u{1B}[31m&\"b\""), "a\u{FFFD}[31m&amp;&quot;b&quot;")
    }

    func testPageIsDeterministicAndSelfContained() throws {
        let path = try HTMLFixtures.writeRun(in: directory, name: "run")
        let page = HTMLPage.render(try HTMLReport.read(paths: [path], compare: false))
        XCTAssertEqual(page, HTMLPage.render(try HTMLReport.read(paths: [path], compare: false)))
        XCTAssertNil(page.range(of: "https?://", options: .regularExpression))
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("<link"))
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("@media print"))
        // The text report's tables are there: summary lines, errors by class, statuses, cost, metadata.
        for text in ["requests: 300 (288 ok, 12 failed", "http_429", "timeout_total", "<th scope=\"row\">429</th>",
                     "cost per successful request", "loadgen --profile fixture.yaml", "libcurl/7.88.1"] {
            XCTAssertTrue(page.contains(text), "missing \(text)")
        }
    }

    func testPercentileScaleIsHdrHistogramsLogScale() {
        XCTAssertEqual(ChartTicks.percentilePosition(0), 0)
        XCTAssertEqual(ChartTicks.percentilePosition(90), 1, accuracy: 1e-9)
        XCTAssertEqual(ChartTicks.percentilePosition(99.9), 3, accuracy: 1e-9)
        XCTAssertEqual(ChartTicks.percentilePosition(99.9999), 5)
        XCTAssertEqual(ChartTicks.percentile(atPosition: 2), 99, accuracy: 1e-9)
        XCTAssertEqual(ChartTicks.linear(low: 0, high: 87), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(ChartTicks.label(25_000, step: 5_000), "25k")
        XCTAssertEqual(ChartTicks.label(0.25, step: 0.05), "0.25")
    }

    func testPercentileCurveStopsWhereTheDataResolve() {
        var histogram = RunRecorder.makeHistogram()
        for value in 1...1000 { histogram.record(UInt64(value) * 1000) }
        let curve = PercentileCurve(histogram: histogram, metric: .ttft)
        XCTAssertEqual(curve.points.first!.position, 0)
        XCTAssertEqual(curve.points.last!.position, 3, accuracy: 1e-9)  // 1 - 1/1000 = 99.9 %
        XCTAssertEqual(curve.points.last!.value, 1000, accuracy: 1)
        XCTAssertEqual(curve.keyPoints.map(\.name), ["p50", "p90", "p99", "p99.9", "max"])
        XCTAssertEqual(curve.keyPoints[2].value, 990, accuracy: 1)
    }

    func testComparisonOverlaysEveryRunWithItsOwnStyle() throws {
        let a = try HTMLFixtures.writeRun(in: directory, name: "a")
        let b = try HTMLFixtures.writeRun(in: directory, name: "b", slowerMillis: 50)
        let report = try HTMLReport.read(paths: [a, b], compare: true)
        XCTAssertEqual(report.runs.map(\.name), ["a", "b"])
        let ttft = LatencyCharts.charts(report)[0]
        XCTAssertEqual(ttft.series.map(\.label), ["a from start", "a from intended start", "b from start",
                                                  "b from intended start"])
        XCTAssertEqual(Set(ttft.series.map(\.style)).count, 4, "every line has its own style")
        XCTAssertNotEqual(ttft.series[0].style.dash, ttft.series[2].style.dash, "runs differ without colour")
        XCTAssertEqual(try XCTUnwrap(report.runs[1].curves[.ttft]?.keyPoints.first).value
            - (report.runs[0].curves[.ttft]?.keyPoints.first?.value ?? 0), 50, accuracy: 2)
        // Merged (no --compare): one run of both logs.
        let merged = try HTMLReport.read(paths: [a, b], compare: false)
        XCTAssertEqual(merged.runs.map(\.name), ["a + b"])
        XCTAssertEqual(merged.runs[0].summary.attempts, 620)
    }

    func testSweepSectionOnlyForASweep() throws {
        let path = try HTMLFixtures.writeRun(in: directory, name: "run")
        var report = try HTMLReport.read(paths: [path], compare: false)
        XCTAssertFalse(HTMLPage.render(report).contains("id=\"sweep\""))
        report.sweep = HTMLFixtures.sweep
        let page = HTMLPage.render(report)
        for text in ["id=\"sweep-throughput\"", "id=\"sweep-latency\"", "id=\"sweep-goodput\"", "knee 122/s",
                     "SLO capacity 112/s", "SLO bracket 108-116/s", "SLO TTFT p99 400 ms", "limited by: latency"] {
            XCTAssertTrue(page.contains(text), "missing \(text)")
        }
        let throughput = SweepCharts.charts(HTMLFixtures.sweep)[0]
        XCTAssertEqual(throughput.series[1].points.map(\.y), [10, 40, 70, 100, 115, 122, 122, 122])
    }

    func testASweepRunGetsItsSectionFromItsSweepRecord() throws {
        let path = try HTMLFixtures.writeRun(in: directory, name: "sweep")
        var settings = SweepSettings()
        settings.slo = try SLOList.parse("ttft_p99=300ms")
        var record = SweepRecord(settings: settings, stopReason: "converged")
        for (index, rate) in [10.0, 20].enumerated() {
            let start = UInt64(index) * 10_000_000_000
            let step = SweepStep(index: index, phase: .steps, load: rate, closedLoop: false, warmupNanos: 1_000_000_000,
                                 windowNanos: 8_000_000_000)
            record.steps.append(SweepRecord.Step(step: step, startNanos: start, windowStartNanos: start + 1_000_000_000,
                                                 windowEndNanos: start + 9_000_000_000))
        }
        try record.json().write(to: directory.appendingPathComponent("sweep/sweep.json"), atomically: true, encoding: .utf8)
        let report = try HTMLReport.read(paths: [path], compare: false)
        let sweep = try XCTUnwrap(report.sweep)
        // Step 1: 160 arrivals and the fixture's 3 dropped ones in its 8 s window.
        XCTAssertEqual(sweep.steps.map(\.offeredPerSecond), [10, 20.375])
        XCTAssertEqual(sweep.ttftP99SLOMillis, 300)
        XCTAssertTrue(HTMLPage.render(report).contains("id=\"sweep-throughput\""))
        // A broken record: no sweep section, a warning.
        try "[]".write(to: directory.appendingPathComponent("sweep/sweep.json"), atomically: true, encoding: .utf8)
        let broken = try HTMLReport.read(paths: [path], compare: false)
        XCTAssertNil(broken.sweep)
        XCTAssertTrue(broken.warnings.contains { $0.hasPrefix("the sweep section is left out: ") }, "\(broken.warnings)")
    }

    func testPageSizeDoesNotGrowWithTheRequests() throws {
        func run(_ name: String, perSecond: Int) throws -> Int {
            var header = ReportFixture.header
            header.stages = []
            let path = directory.appendingPathComponent("\(name).ndjson").path
            let writer = try EventLogWriter(path: path, header: header)
            let count = 60 * perSecond
            for i in 0..<count {
                let start = UInt64(i) * 1_000_000_000 / UInt64(perSecond)
                var attempt = AttemptRecord(requestID: UInt64(i), intendedStartNanos: start, startNanos: start,
                                            endNanos: start + 300_000_000 + UInt64(i % 97) * 1_000_000)
                attempt.status = 200
                attempt.firstTokenNanos = start + 100_000_000 + UInt64(i % 89) * 1_000_000
                attempt.countedOutputTokens = 4
                attempt.tokenOffsetsMicros = [100_000, 150_000, 200_000, 250_000]
                try writer.append(attempt)
            }
            try writer.appendEnd(endNanos: 61_000_000_000)
            try writer.close()
            return HTMLPage.render(try HTMLReport.read(paths: [path], compare: false)).utf8.count
        }
        let small = try run("small", perSecond: 10)
        let large = try run("large", perSecond: 200)
        XCTAssertLessThan(Double(large), Double(small) * 1.25, "600 requests: \(small) bytes; 12,000: \(large) bytes")
        let buckets = TimeSeriesCharts.rowsPerBucket(86_400)
        XCTAssertEqual(buckets, 144, "a day-long run is drawn in 144 s buckets, 600 points")
    }
}
