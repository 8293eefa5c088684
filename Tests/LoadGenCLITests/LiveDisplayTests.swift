import Foundation
import XCTest

/// The progress display as a person sees it: redrawn in place in a terminal (a pseudo-terminal
/// here), plain lines without escape codes in a pipe or a file.
final class LiveDisplayTests: XCTestCase {
    private func writeProfile(_ text: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("profile.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// 3 s at 30/s in a terminal: at least four redraws, each with every live field, and the
    /// figures move from one redraw to the next.
    func testLiveDisplayRedrawsInPlaceInATerminal() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: live
            target: {provider: mock, model: mock-small, mock: {ttft: 40ms, inter_token: 5ms, output_tokens: 8}}
            load: {mode: open, rate: 30, duration: 3s}
            """, in: directory)
        let environment = BinaryRunner.environment(["TERM": "xterm-256color", "NO_COLOR": nil, "COLUMNS": nil])
        let (status, output) = try BinaryRunner.runInTerminal(
            ["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path],
            environment: environment)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("\u{1B}[32mok "), "colors on a terminal:\n\(output)")

        // Each redraw goes back up to the block's first line and clears to the end of the screen.
        let frames = output.components(separatedBy: "\u{1B}[J").dropFirst().map(BinaryRunner.strippingEscapes)
        XCTAssertGreaterThanOrEqual(frames.count, 4, output)
        for frame in frames {
            for field in ["live", "%", "/ 3.0s", "stage 1/1 rate 30/s", "target ", "sent", "in flight",
                          "results", "ok ", "429 ", "errors ", "TTFT p50", "p99", "output tok/s", "█"] {
                XCTAssertTrue(frame.contains(field), "a frame lacks \(field):\n\(frame)")
            }
        }
        XCTAssertTrue(frames.contains { $0.contains("target 30.0/s   sent 3") }, "the offered and sent rates")
        // The elapsed time and the successes grow from redraw to redraw.
        let elapsed = frames.compactMap { number(after: "  ", before: "s / 3.0s", in: $0) }
        let successes = frames.compactMap { number(after: "ok ", before: "   429", in: $0) }
        XCTAssertEqual(elapsed.count, frames.count, "\(frames)")
        XCTAssertEqual(elapsed, elapsed.sorted(), "\(elapsed)")
        XCTAssertGreaterThan(elapsed.last ?? 0, elapsed.first ?? 0)
        XCTAssertEqual(successes, successes.sorted(), "\(successes)")
        XCTAssertGreaterThan(successes.last ?? 0, successes.first ?? 0, "\(successes)")
        XCTAssertEqual(successes.last, 90, "the last frame shows the whole run: 3 s at 30/s")
        XCTAssertTrue(output.contains("TTFT "), "the summary table follows the display")
    }

    /// NO_COLOR keeps the redraws but drops the colors; TERM=dumb gets plain lines only.
    func testNoColorAndDumbTerminals() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: nocolor
            target: {provider: mock, model: mock-small, mock: {ttft: 20ms, output_tokens: 4}}
            load: {mode: closed, users: 2, duration: 2s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs").path
        let noColor = try BinaryRunner.runInTerminal(
            ["--profile", profile.path, "--output", runs],
            environment: BinaryRunner.environment(["TERM": "xterm", "NO_COLOR": "1"]))
        XCTAssertEqual(noColor.status, 0, noColor.output)
        XCTAssertTrue(noColor.output.contains("\u{1B}[J"), "still redrawn in place:\n\(noColor.output)")
        XCTAssertNil(noColor.output.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression), "no colors")
        XCTAssertTrue(noColor.output.contains("users 2 of 2"), noColor.output)

        let dumb = try BinaryRunner.runInTerminal(
            ["--profile", profile.path, "--output", runs], environment: BinaryRunner.environment(["TERM": "dumb"]))
        XCTAssertEqual(dumb.status, 0, dumb.output)
        XCTAssertFalse(dumb.output.contains("\u{1B}"), "no escape codes for TERM=dumb:\n\(dumb.output)")
        // The last line comes when the last request ends: at 2.0 s, or later on a loaded machine.
        XCTAssertNotNil(dumb.output.range(of: #"\[[0-9]+\.[0-9]s/2\.0s 100%\] stage 1/1 users 2 \| users "#,
                                          options: .regularExpression), dumb.output)
    }

    /// Piped to files: one plain line every 10 s and a last one, no escape codes anywhere.
    func testPipedOutputHasPlainLinesEveryTenSeconds() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: piped
            target: {provider: mock, model: mock-small, mock: {ttft: 10ms, output_tokens: 4}}
            load: {mode: open, rate: 5, duration: 11s}
            """, in: directory)
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path],
            environment: BinaryRunner.environment(["TERM": "xterm-256color"]))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{1B}") || result.stdout.contains("\u{1B}"), result.stderr)
        let progress = result.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }
        XCTAssertEqual(progress.count, 2, "one line at 10 s and a last one:\n\(result.stderr)")
        // The first near the 10 s mark (the tick nearest to it: ticks are 500 ms apart, later on a
        // loaded machine), the last at the end (the last arrival is at 10.8 s).
        XCTAssertNotNil(progress.first?.range(of: #"^\[(9\.[5-9]|10\.[0-4])s/11\.0s [89][0-9]%\] stage 1/1 rate 5/s \| target 5\.0/s, sent "#,
                                               options: .regularExpression), "\(progress)")
        // At the end: 10.8 s or later (a loaded machine ends it later), never before the last arrival.
        XCTAssertNotNil(progress.last?.range(of: #"^\[1[01]\.[0-9]s/11\.0s (9[0-9]|100)%\]"#, options: .regularExpression),
                        "\(progress)")
        if let last = progress.last, let seconds = Double(last.dropFirst().prefix { $0 != "s" }) {
            XCTAssertGreaterThanOrEqual(seconds, 10.8, "\(progress)")
        }
        for field in ["sent ", "in flight ", "ok 55, 429 0, errors 0", "last 10s: TTFT p50 ", " output tok/s"] {
            XCTAssertTrue(progress.last?.contains(field) ?? false, "lacks \(field): \(progress)")
        }
    }

    /// `--verbose` prints a line per attempt: status, class, TTFT, tokens.
    func testVerbosePrintsALinePerAttempt() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try writeProfile("""
            name: verbose
            target: {provider: mock, model: mock-small, mock: {ttft: 10ms, output_tokens: 4, error_rate: 0.3, error_status: 503}}
            load: {mode: closed, users: 2, requests: 40}
            """, in: directory)
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path, "--verbose"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(" req ") }
        XCTAssertEqual(lines.count, 40, result.stderr)
        let ok = lines.filter { $0.contains("  200  ok  ") }
        let failed = lines.filter { $0.contains("  503  http_5xx  ") }
        XCTAssertEqual(ok.count + failed.count, 40, result.stderr)
        XCTAssertGreaterThan(failed.count, 0)
        XCTAssertTrue(ok.allSatisfy { $0.contains("ttft ") && $0.contains("4 tokens") }, "\(ok)")
        XCTAssertTrue(failed.allSatisfy { $0.contains("HTTP 503") }, "\(failed)")
        let quietAndVerbose = try BinaryRunner.run(["--profile", profile.path, "--quiet", "--verbose"])
        XCTAssertEqual(quietAndVerbose.status, 64)
        XCTAssertTrue(quietAndVerbose.stderr.contains("Please give either --quiet or --verbose, not both."))
    }

    /// The number between `prefix` (its last occurrence before `suffix`) and `suffix`.
    private func number(after prefix: String, before suffix: String, in text: String) -> Double? {
        guard let end = text.range(of: suffix),
            let start = text.range(of: prefix, options: .backwards, range: text.startIndex..<end.lowerBound)
        else { return nil }
        return Double(text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces))
    }
}
