import Foundation
import XCTest
@testable import LoadCore

/// Every CSV the report writes reads cleanly with Python's csv module, under the header that
/// docs/report.md documents (the line after each `<!-- csv-header:NAME -->` marker).
final class ReportCSVPythonTests: XCTestCase {
    private static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/report.md")

    /// The documented header named `name`.
    private func documentedHeader(_ name: String) throws -> [String] {
        let lines = try String(contentsOf: Self.docs, encoding: .utf8).split(separator: "\n").map(String.init)
        let marker = try XCTUnwrap(lines.firstIndex(of: "<!-- csv-header:\(name) -->"), "docs/report.md lacks \(name)")
        return lines[marker + 1].trimmingCharacters(in: .whitespaces).split(separator: ",").map(String.init)
    }

    /// Runs Python's csv.DictReader over the file: returns its field names and rows.
    private func readWithPython(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                reader = csv.DictReader(f, strict=True)
                rows = list(reader)
                print(json.dumps({'header': reader.fieldnames, 'rows': rows}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3: \(errorText)")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try XCTUnwrap(object["header"] as? [String]), try XCTUnwrap(object["rows"] as? [[String: String]]))
    }

    func testEveryCSVParsesUnderItsDocumentedHeader() throws {
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/fixture", withIntermediateDirectories: true)
        let events = directory + "/fixture/events.ndjson"
        try ReportFixture.write(to: events)

        let attemptsPath = directory + "/attempts.csv"
        let writer = try AttemptCSVWriter(path: attemptsPath)
        let report = try ReportFixture.report(
            [events], options: ReportOptions(groupBy: .stage, timeSeriesIntervalNanos: 1_000_000_000,
                                             rateLimitIntervalNanos: 10_000_000_000)
        ) { attempt, run, header in try writer.append(attempt, run: run, header: header) }
        try writer.close()
        var compared = report
        compared.comparison = try Comparison(report)
        let outputs: [(String, String)] = [
            ("compact", try ReportRenderer.render(compared, view: .compact, format: .csv)),
            ("summary", try ReportRenderer.render(report, view: .summary, format: .csv)),
            ("timeseries", try ReportRenderer.render(report, view: .timeSeries, format: .csv)),
            ("ratelimits", try ReportRenderer.render(report, view: .rateLimits, format: .csv)),
        ]
        for (name, text) in outputs { try text.write(toFile: "\(directory)/\(name).csv", atomically: true, encoding: .utf8) }

        let attempts = try readWithPython(attemptsPath)
        XCTAssertEqual(attempts.header, try documentedHeader("attempts"))
        XCTAssertEqual(attempts.rows.count, 310)
        // The error messages hold a comma, quotes and a line break, and come back intact.
        XCTAssertEqual(attempts.rows.first { $0["request"] == "109" }?["error_message"], "HTTP 429: slow down, \"please\"")
        XCTAssertEqual(attempts.rows.first { $0["request"] == "150" }?["error_message"],
                       "Operation timed out after 2000 milliseconds\nwith 0 bytes received")
        XCTAssertEqual(attempts.rows.filter { $0["will_retry"] == "true" }.count, 10)
        XCTAssertEqual(attempts.rows.first { $0["request"] == "0" }?["ttft_ms"], "100.0000")

        let summary = try readWithPython(directory + "/summary.csv")
        XCTAssertEqual(summary.header, try documentedHeader("summary"))
        XCTAssertEqual(summary.rows.map { $0["group"] }, ["all", "0 (rate 10/s)", "1 (rate 20/s)"])
        XCTAssertEqual(summary.rows.first?["requests"], "300")
        XCTAssertEqual(summary.rows.first?["errors_http_429"], "20")

        let series = try readWithPython(directory + "/timeseries.csv")
        XCTAssertEqual(series.header, try documentedHeader("timeseries"))
        XCTAssertEqual(series.rows.count, 21)
        XCTAssertEqual(series.rows.reduce(0) { $0 + (Int($1["offered"] ?? "") ?? 0) }, 303)

        let compact = try readWithPython(directory + "/compact.csv")
        XCTAssertEqual(compact.header, try documentedHeader("compact"))
        XCTAssertEqual(compact.rows.map { $0["name"] }, ["0 (rate 10/s)", "1 (rate 20/s)"])
        XCTAssertEqual(compact.rows.first?["request_error_rate_delta_pp"], "")

        let limits = try readWithPython(directory + "/ratelimits.csv")
        XCTAssertEqual(limits.header, try documentedHeader("ratelimits"))
        XCTAssertEqual(limits.rows.map { $0["http_429"] }, ["0", "20"])  // every attempt starts before 20 s
    }
}
