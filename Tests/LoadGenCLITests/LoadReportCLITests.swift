import Foundation
import TestSupport  // re-exports HistogramDecoding (HdrV2Encoding.decode)
import LoadCore
import XCTest

/// The `loadreport` binary: its help and error texts, and its views of a real run against the
/// embedded mock, which agree with the summary `loadgen` printed.
final class LoadReportCLITests: XCTestCase {
    /// One short open-loop run shared by the tests of this class (about 2 s).
    private static var runDirectory: URL?
    private static var scratch: URL?

    private func sharedRun() throws -> URL {
        if let existing = Self.runDirectory { return existing }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadreport-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        Self.scratch = directory
        let profile = directory.appendingPathComponent("profile.yaml")
        try """
            name: report-e2e
            target: {provider: mock, model: mock-small, mock: {ttft: 20ms, inter_token: 2ms, output_tokens: 8}}
            load:
              mode: open
              stages:
                - {duration: 1s, rate: 20}
                - {duration: 1s, rate: 40}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let run = runs.appendingPathComponent(name)
        Self.runDirectory = run
        return run
    }

    override class func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
        super.tearDown()
    }

    private func report(_ arguments: [String]) throws -> BinaryRunner.Result {
        try BinaryRunner.run(arguments, binary: "loadreport")
    }

    func testTheTableIsTheSummaryLoadgenPrinted() throws {
        let run = try sharedRun()
        let result = try report([run.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].hasPrefix("run \(run.lastPathComponent): profile report-e2e, mock mock-small, started "),
                      String(lines[0]))
        let summary = try String(contentsOf: run.appendingPathComponent("summary.txt"), encoding: .utf8)
        XCTAssertEqual(lines.dropFirst(2).joined(separator: "\n"), summary)
        XCTAssertTrue(summary.contains("requests: 60 (60 ok, 0 failed)"), summary)
    }

    func testRunDirectoryHasRunMetadataAndExactMergeHistograms() throws {
        let run = try sharedRun()
        let data = try Data(contentsOf: run.appendingPathComponent("run.json"))
        let metadata = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["loadgen_version", "curl_version", "uv_version", "host", "seed", "command", "started_at",
                    "ended_at", "profile", "provider", "model", "outcome"] {
            XCTAssertNotNil(metadata[key], "run.json lacks \(key)")
        }
        XCTAssertEqual((metadata["outcome"] as? [String: Any])?["completed"] as? Int, 60)
        let log = try String(contentsOf: run.appendingPathComponent("histograms.hlog"), encoding: .utf8)
        // One line per metric per second: the TTFT intervals add up to the run's 60 attempts.
        let ttftLines = log.split(separator: "\n").filter { $0.hasPrefix("Tag=ttft,") }
        XCTAssertGreaterThanOrEqual(ttftLines.count, 2, log)
        var histogram = try HdrV2Encoding.decode(base64: String(ttftLines[0].split(separator: ",")[4]))
        for line in ttftLines.dropFirst() {
            histogram.add(try HdrV2Encoding.decode(base64: String(line.split(separator: ",")[4])))
        }
        XCTAssertEqual(histogram.totalCount, 60)
        let p50 = histogram.valueAtPercentile(50)
        XCTAssert((20_000...26_000).contains(p50), "TTFT p50 \(p50) µs")
    }

    func testHTMLReportIsWrittenBesideTheView() throws {
        let run = try sharedRun()
        let page = try XCTUnwrap(Self.scratch).appendingPathComponent("report.html")
        let result = try report([run.path, "--html", page.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 60 (60 ok, 0 failed)"), "the summary is still printed")
        XCTAssertEqual(result.stderr, "loadreport: wrote the HTML report to \(page.path)\n")
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        for text in ["id=\"latency-ttft\"", "id=\"time-load\"", "1: rate 40/s", "report-e2e"] {
            XCTAssertTrue(html.contains(text), "missing \(text)")
        }
        // The page shares the summary's pass over the log; the printed figures stay the same.
        let json = try report([run.path, "--format", "json"])
        let jsonWithPage = try report([run.path, "--format", "json", "--html", page.path])
        XCTAssertEqual(jsonWithPage.stdout, json.stdout)
        XCTAssertFalse(json.stdout.contains("time_series"), json.stdout)
        let unwritable = try report([run.path, "--html", "/nonexistent-dir/report.html"])
        XCTAssertEqual(unwritable.status, 1)
        XCTAssertTrue(unwritable.stderr.contains("cannot write /nonexistent-dir/report.html"), unwritable.stderr)
    }

    func testRunDirectoryHasTheHTMLReportUnlessNoHTML() throws {
        let run = try sharedRun()
        let page = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("id=\"latency-ttft\"") && page.contains("report-e2e"))
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = directory.appendingPathComponent("profile.yaml")
        try "target: {provider: mock, model: mock-small}\nload: {mode: closed, users: 2, requests: 4}\n"
            .write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet", "--no-html"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let files = try FileManager.default.contentsOfDirectory(atPath: runs.appendingPathComponent(name).path)
        XCTAssertTrue(files.contains("summary.json"), "\(files)")
        XCTAssertFalse(files.contains("report.html"), "\(files)")
    }

    func testEveryViewAndFormat() throws {
        let run = try sharedRun()
        let markdown = try report([run.path, "--group-by", "stage", "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertTrue(markdown.stdout.contains("## stage: 0 (rate 20/s)"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("## stage: 1 (rate 40/s)"), markdown.stdout)
        let json = try report([run.path, "--format", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["overall"] as? [String: Any])?["requests"] as? Int, 60)
        let series = try report([run.path, "--timeseries", "500ms"])
        XCTAssertEqual(series.status, 0, series.stderr)
        let rows = series.stdout.split(separator: "\n")
        XCTAssertEqual(rows.first, "start_s,offered,started,completed,successes,in_flight,http_429,other_errors,"
            + "ttft_p50_ms,ttft_p99_ms,output_tokens_per_s")
        // Offered: 10 per half second, then 20.
        XCTAssertEqual(rows.dropFirst().prefix(4).map { $0.split(separator: ",")[1] }, ["10", "10", "20", "20"])
        let limits = try report([run.path, "--rate-limits", "--interval", "1s"])
        XCTAssertTrue(limits.stdout.contains("first 429: none"), limits.stdout)
        let compare = try report([run.path, try halfRun(of: run).path, "--compare"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(compare.stdout.contains("figure"), compare.stdout)
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("attempts-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        let written = try report([run.path, "--csv", csv.path, "--format", "csv"])
        XCTAssertEqual(written.stderr, "loadreport: wrote 60 attempt rows to \(csv.path)\n")
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count, 61)
    }

    /// Another run: the header and the first half of `run`'s events (a distinct log, not a copy).
    private func halfRun(of run: URL) throws -> URL {
        let half = try XCTUnwrap(Self.scratch).appendingPathComponent("half-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)
        let lines = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
            .split(separator: "\n")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n")
            .write(to: half.appendingPathComponent("events.ndjson"), atomically: true, encoding: .utf8)
        return half
    }

    /// `loadreport RUN RUN` counted every attempt twice: the same run given twice (the same path,
    /// the directory and its log, a symbolic link, a copy) is refused, exit 64, naming both.
    func testTheSameRunTwiceIsRefused() throws {
        let run = try sharedRun()
        let scratch = try XCTUnwrap(Self.scratch)
        let link = scratch.appendingPathComponent("link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: run)
        let copy = scratch.appendingPathComponent("copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: run, to: copy)
        let events = run.appendingPathComponent("events.ndjson").path
        let cases: [([String], String)] = [
            ([run.path, run.path], "\(run.path) and \(run.path) are the same run (one file: "),
            ([run.path, events], "\(run.path) and \(events) are the same run (one file: "),
            ([run.path, link.path, "--compare"], "\(run.path) and \(link.path) are the same run (one file: "),
            ([run.path, copy.path], "\(run.path) and \(copy.path) are the same run (a copy: the same header and events); "
                + "give each run once"),
        ]
        for (arguments, message) in cases {
            let result = try report(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.hasPrefix("loadreport: " + message), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "nothing half-done")
        }
        let distinct = try report([run.path, try halfRun(of: run).path])
        XCTAssertEqual(distinct.status, 0, distinct.stderr)
    }

    func testHelpAndUsageErrors() throws {
        let help = try report(["--help"])
        XCTAssertEqual(help.status, 0)
        for option in ["--format", "--group-by", "--compare", "--csv", "--timeseries", "--rate-limits", "--interval"] {
            XCTAssertTrue(help.stdout.contains(option), "help lacks \(option)")
        }
        let cases: [([String], String)] = [
            ([], "Please give at least one run directory or events.ndjson file."),
            (["x", "--format", "xml"], "Please give --format as table, markdown, csv or json (got \"xml\")."),
            (["x", "--group-by", "color"], "Please give --group-by as model, provider, stage, status or prompt_set (got \"color\")."),
            (["x", "--compare", "--group-by", "model"], "Please use --compare or --group-by, not both."),
            (["x", "--timeseries", "1s", "--rate-limits"],
             "Please choose one of --compare (or --compact), --timeseries, --rate-limits and --capacity."),
            (["x", "--timeseries", "fast"], "Please give --timeseries as a duration of 1ms or more"),
            (["x", "--rate-limits", "--interval", "1.5s"], "Please give --interval as whole seconds"),
        ]
        for (arguments, message) in cases {
            let result = try report(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    func testUnreadableLogsExitOneNamingTheFile() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let missing = try report([directory.appendingPathComponent("nope").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope: no such file (expected a run directory or an events.ndjson file)"),
                      missing.stderr)
        let newer = directory.appendingPathComponent("events.ndjson")
        try "{\"type\":\"run\",\"schema\":2}\n".write(to: newer, atomically: true, encoding: .utf8)
        let refused = try report([directory.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "loadreport: \(newer.path): written with event-log schema 2, but this build reads "
            + "schema 1 only; use a newer loadreport\n")
    }
}
