import Foundation
@testable import LoadCore
import XCTest

/// The HTML report opened in headless Chromium with the network blocked: a fixture run, a
/// comparison and a (synthetic) sweep. Each page must load without a console error or a request
/// for any resource, and every chart area of its screenshot must hold drawn lines (coloured ink),
/// not a blank box. Screenshots are kept in the test's directory (its path is printed).
final class HTMLBrowserTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("html-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        // Kept when a test failed, for the screenshot; removed otherwise.
        if testRun?.failureCount == 0 { try? FileManager.default.removeItem(at: directory) }
    }

    func testFixtureRunRendersEveryChart() throws {
        let chromium = try HeadlessChromium.require()
        let path = try HTMLFixtures.writeRun(in: directory, name: "fixture-run", thresholds: true)
        let page = HTMLPage.render(try HTMLReport.read(paths: [path], compare: false))
        let charts = try check(page, named: "run", in: chromium)
        XCTAssertEqual(Set(charts), ["latency-ttft", "latency-inter-token", "latency-total", "time-load", "time-in-flight",
                                     "time-errors", "time-ttft", "time-tokens", "rate-limits-requests",
                                     "rate-limits-tokens"])
    }

    func testComparisonRendersBothRuns() throws {
        let chromium = try HeadlessChromium.require()
        let first = try HTMLFixtures.writeRun(in: directory, name: "baseline")
        // A model name that would load an image and run a script if it were not escaped.
        let second = try HTMLFixtures.writeRun(in: directory, name: "slower", slowerMillis: 80,
                                               model: "m2 <img src=\"https://example.com/x.png\" onerror=\"alert(1)\">")
        let page = HTMLPage.render(try HTMLReport.read(paths: [first, second], compare: true))
        XCTAssertTrue(page.contains("m2 &lt;img src=&quot;https://example.com/x.png&quot;"))
        let charts = try check(page, named: "compare", in: chromium)
        XCTAssertTrue(charts.contains("latency-ttft"))
    }

    /// Four runs with long (timestamped) names side by side: the percentile tables beside the charts
    /// were 56 px wider than a 1,280 px window before the chart gave way (every page is checked for
    /// that; this one was the widest seen).
    func testFourRunsComparedFitTheWindow() throws {
        let chromium = try HeadlessChromium.require()
        let paths = try (0..<4).map { index in
            try HTMLFixtures.writeRun(in: directory, name: "20261202T18320\(index)Z-html-check", slowerMillis: UInt64(index) * 20)
        }
        let charts = try check(HTMLPage.render(try HTMLReport.read(paths: paths, compare: true)), named: "four", in: chromium)
        XCTAssertTrue(charts.contains("latency-ttft"))
    }

    func testSweepRendersItsCharts() throws {
        let chromium = try HeadlessChromium.require()
        let path = try HTMLFixtures.writeRun(in: directory, name: "sweep-run")
        var report = try HTMLReport.read(paths: [path], compare: false)
        report.sweep = HTMLFixtures.sweep
        let charts = try check(HTMLPage.render(report), named: "sweep", in: chromium)
        XCTAssertTrue(Set(charts).isSuperset(of: ["sweep-throughput", "sweep-latency", "sweep-goodput"]), "\(charts)")
    }

    /// The check itself: a run without attempts draws every chart empty ("no data"), and each
    /// chart area is found blank.
    func testBlankChartAreasAreDetected() throws {
        let chromium = try HeadlessChromium.require()
        let path = directory.appendingPathComponent("empty.ndjson").path
        let writer = try EventLogWriter(path: path, header: ReportFixture.header)
        try writer.appendEnd(endNanos: 0)
        try writer.close()
        let page = HTMLPage.render(try HTMLReport.read(paths: [path], compare: false))
        let charts = try screenshotCharts(page, named: "empty", in: chromium)
        XCTAssertEqual(charts.count, 9, "3 latency, 5 over time, 1 rate-limit chart, all empty")
        for chart in charts {
            XCTAssertLessThan(chart.colored, 20, "\(chart.id) should be blank")
        }
    }

    // MARK: - The checks

    /// What the probe script reports after the page loaded.
    private struct Probe: Decodable {
        struct Rect: Decodable {
            var id: String
            var x: Double
            var y: Double
            var width: Double
            var height: Double
        }

        var errors: [String]
        var resources: [String]
        var height: Int
        /// How much wider than the window the page is (0 when it fits).
        var overflow: Int
        var charts: [Rect]
    }

    /// Checks `page` in the browser and that every chart area has lines drawn; returns the ids of
    /// the charts found.
    private func check(_ page: String, named name: String, in chromium: HeadlessChromium) throws -> [String] {
        let charts = try screenshotCharts(page, named: name, in: chromium)
        for chart in charts {
            XCTAssertGreaterThan(chart.colored, 150, "\(name): chart \(chart.id) has no line drawn (blank chart area)")
        }
        return charts.map(\.id)
    }

    /// Loads `page` twice (DOM dump with a probe, then a screenshot), checks that it references
    /// nothing, logs no error and requests nothing; returns each chart's id and the number of
    /// coloured pixels in its area of the screenshot.
    private func screenshotCharts(_ page: String, named name: String, in chromium: HeadlessChromium) throws
        -> [(id: String, colored: Int)]
    {
        XCTAssertNil(page.range(of: #"<[^>]*\s(src|srcset|action|data|poster)\s*="#, options: .regularExpression),
                     "the page references a resource")
        for match in page.matches(of: #/href="([^"]*)"/#) {
            XCTAssertTrue(match.1.hasPrefix("#"), "a link leaves the page: \(match.1)")
        }
        XCTAssertFalse(page.contains("url("), "CSS fetches something")
        XCTAssertFalse(page.contains("@import"), "CSS imports something")

        let pageFile = directory.appendingPathComponent("\(name).html")
        try page.write(to: pageFile, atomically: true, encoding: .utf8)
        let probed = directory.appendingPathComponent("\(name)-probed.html")
        try page.replacingOccurrences(of: "<head>", with: "<head>\n" + Self.probeScript)
            .write(to: probed, atomically: true, encoding: .utf8)
        let profile = directory.appendingPathComponent("chromium-profile")

        let dump = try chromium.run(probed, arguments: ["--dump-dom"], windowHeight: 1000, profile: profile)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let probe = try decodeProbe(dump.stdout)
        XCTAssertEqual(probe.errors, [], "errors in the page")
        XCTAssertEqual(probe.resources, [], "the page requested resources")
        XCTAssertEqual(probe.overflow, 0, "\(name): the page is wider than the 1,280 px window")
        let consoleLines = dump.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        XCTAssertEqual(consoleLines, [], "console output")

        let screenshot = directory.appendingPathComponent("\(name).png")
        let height = min(max(probe.height, 600), 16_000)
        let shot = try chromium.run(pageFile, arguments: ["--screenshot=\(screenshot.path)"], windowHeight: height,
                                    profile: profile)
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let image = try PNGImage(contentsOf: screenshot)
        XCTAssertEqual(image.width, 1280)
        print("HTMLBrowserTests: \(name) screenshot \(screenshot.path) (\(image.width)x\(image.height))")
        XCTAssertFalse(probe.charts.isEmpty, "no chart in the page")
        return probe.charts.map { chart in
            XCTAssertGreaterThan(chart.width, 400, "\(chart.id) is squeezed")
            return (chart.id, image.coloredPixels(x: Int(chart.x), y: Int(chart.y), width: Int(chart.width),
                                                  height: Int(chart.height)))
        }
    }

    private func decodeProbe(_ dom: String) throws -> Probe {
        guard let start = dom.range(of: "<pre id=\"probe\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else {
            XCTFail("no probe output in the DOM dump")
            throw CocoaError(.fileReadCorruptFile)
        }
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
    }

    /// Records errors (script errors, failed loads, console.error and console.warn) and every
    /// resource the page fetched; once loaded, writes them, the page height and each chart's box
    /// as JSON into <pre id="probe">.
    private static let probeScript = """
        <script>
        window.__probeErrors = [];
        window.addEventListener('error', e => { __probeErrors.push(String(e.message || (e.target && (e.target.src || e.target.href)) || 'error')); }, true);
        for (const level of ['error', 'warn']) {
          const original = console[level];
          console[level] = function () { __probeErrors.push(level + ': ' + Array.from(arguments).join(' ')); original.apply(console, arguments); };
        }
        window.addEventListener('load', () => {
          const charts = Array.from(document.querySelectorAll('figure[id]')).map(figure => {
            const svg = figure.querySelector('svg.chart');
            const r = (svg || figure).getBoundingClientRect();
            return { id: figure.id, x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
          });
          const pre = document.createElement('pre');
          pre.id = 'probe';
          pre.textContent = JSON.stringify({ errors: __probeErrors,
            resources: performance.getEntriesByType('resource').map(r => r.name),
            height: Math.ceil(document.documentElement.scrollHeight),
            overflow: Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth),
            charts: charts });
          document.body.appendChild(pre);
        });
        </script>
        """
}
