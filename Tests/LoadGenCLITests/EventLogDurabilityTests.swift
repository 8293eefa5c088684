import Foundation
import TestSupport
import XCTest

/// What reaches the disk when the disk or the process fails: a full file system (a small tmpfs),
/// a file-size limit, and SIGKILL.
final class EventLogDurabilityTests: XCTestCase {
    /// The profile both disk-full tests run: 200 requests a second for 20 s against a fast mock,
    /// about 150 of whose records fill 64 KiB.
    private let busyProfile = """
        name: disk-full
        target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 4}}
        load: {mode: open, rate: 200, duration: 20s}
        """

    /// "N of M records lost (K written before the failure: reason)" from stderr.
    private func loss(in stderr: String) throws -> (lost: Int, total: Int, onDisk: Int) {
        let pattern = try NSRegularExpression(pattern: "([0-9]+) of ([0-9]+) records lost \\(([0-9]+) written before")
        let match = try XCTUnwrap(pattern.firstMatch(in: stderr, range: NSRange(stderr.startIndex..., in: stderr)),
                                  "no loss line in:\n\(stderr)")
        func number(_ index: Int) -> Int { Int((stderr as NSString).substring(with: match.range(at: index)))! }
        return (number(1), number(2), number(3))
    }

    /// The whole record lines (attempt and dropped) of an event log: a torn last line does not count.
    /// - Parameter checksHeader: assert that the header comes first (off while polling a file that
    ///   may have just been created and still be empty).
    private func wholeRecordLines(_ path: String, checksHeader: Bool = true) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // after the last newline: empty, or a torn line
        if checksHeader {
            XCTAssertTrue(lines.first?.contains("\"type\":\"run\"") ?? false, "the header comes first")
        }
        return lines.filter { $0.contains("\"type\":\"attempt\"") || $0.contains("\"type\":\"dropped\"") }.count
    }

    /// Checks a run stopped by its event log's failed write: exit 1 at once, said on stderr before
    /// the end, far fewer requests than the schedule's 4,000, and the loss counted exactly.
    private func checkStoppedRun(_ result: BinaryRunner.Result, runs: URL, reason: String) throws -> URL {
        XCTAssertEqual(result.status, 1, result.stderr)
        let stop = try XCTUnwrap(result.stderr.range(of: "stopping the run: no new requests, cancelling"),
                                 result.stderr)
        XCTAssertTrue(result.stderr[..<stop.lowerBound].contains(reason), result.stderr)
        let (lost, total, onDisk) = try loss(in: result.stderr)
        XCTAssertGreaterThan(lost, 0)
        XCTAssertEqual(lost + onDisk, total)
        XCTAssertLessThan(total, 2_000, "the run stopped at the failure, not at the end of its 4,000 requests")
        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        XCTAssertEqual(try wholeRecordLines(run.appendingPathComponent("events.ndjson").path), onDisk)
        XCTAssertTrue(result.stdout.contains("stopped early: the event log could not be written"), result.stdout)
        return run
    }

    /// A 64 KiB tmpfs holds the run directory: the log fills it within a second.
    func testFullDiskStopsTheRunAndPrintsTheSummaryFromMemory() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let mountPoint = directory.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = try BinaryRunner.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path])
        guard mount.status == 0 else {
            // Covered without privileges by testFileSizeLimitStopsTheRunAndCountsTheLostRecords.
            throw XCTSkip("cannot mount a tmpfs here (\(mount.stderr)); the file-size-limit test covers the same path")
        }
        addTeardownBlock { _ = try? BinaryRunner.runTool("/bin/umount", [mountPoint.path]) }
        let profile = try CLITestSupport.writeProfile(busyProfile, in: directory)
        let runs = mountPoint.appendingPathComponent("runs")
        // The disk-space watch off: this test is about the write that fails, not the stop before it.
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--quiet"],
                                          environment: BinaryRunner.environment(["LOADGEN_DISK_RESERVE_BYTES": "0"]))
        _ = try checkStoppedRun(result, runs: runs, reason: "No space left on device")
        let memory = try XCTUnwrap(result.stderr.range(of: "the summary, from memory:"), result.stderr)
        XCTAssertTrue(result.stderr[memory.upperBound...].contains("TTFT"), result.stderr)
    }

    /// Without a tmpfs: a file-size limit (ulimit -f, 32 KiB) makes the log's writes fail with EFBIG
    /// (SIGXFSZ is ignored); the smaller files still fit, so the summaries are written.
    func testFileSizeLimitStopsTheRunAndCountsTheLostRecords() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile(busyProfile, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.runLimited(ulimit: "-f 64", ["--profile", profile.path, "--output", runs.path,
                                                                    "--quiet"])
        let run = try checkStoppedRun(result, runs: runs, reason: "File too large")
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("summary.json").path))
        XCTAssertFalse(result.stderr.contains("from memory"), "the summaries fit: \(result.stderr)")
    }

    /// Three users send one request each, then think for 30 s: nothing more is appended, yet the
    /// header and the three records reach the disk (at most 500 ms later), and survive SIGKILL.
    func testSIGKILLLeavesTheHeaderAndEveryFinishedAttempt() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: killed
            target: {provider: mock, mock: {ttft: 5ms, inter_token: 0s, output_tokens: 4}}
            load: {mode: closed, users: 3, think_time: 30s, duration: 60s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let (process, stdout, stderr) = try BinaryRunner.start(["--profile", profile.path, "--output", runs.path,
                                                                "--quiet"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Readiness: the header and the three attempts on disk. Before the 500 ms hand-over they
        // stayed in memory until the next line, 30 s away.
        var onDisk = -1
        _ = Readiness.waitUntil(timeout: 10, pollMillis: 50) {
            guard let run = try? FileManager.default.contentsOfDirectory(atPath: runs.path).first else { return false }
            let path = runs.appendingPathComponent(run).appendingPathComponent("events.ndjson").path
            guard let lines = try? wholeRecordLines(path, checksHeader: false), lines >= 3 else { return false }
            onDisk = lines
            return true
        }
        XCTAssertEqual(onDisk, 3, "the header and 3 attempts should reach the disk long before 10 s")
        if let run = try? CLITestSupport.onlyRunDirectory(in: runs) {
            _ = try wholeRecordLines(run.appendingPathComponent("events.ndjson").path)  // the header first
        }
        kill(process.processIdentifier, SIGKILL)
        let ended = BinaryRunner.finish(process, stdout, stderr)
        XCTAssertEqual(ended.status, SIGKILL, "killed by SIGKILL")
        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let report = try BinaryRunner.run([run.path], binary: "loadreport")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("requests: 3 (3 ok, 0 failed)"), report.stdout)
    }
}

extension BinaryRunner {
    /// Runs a system tool (`/bin/sh`, `/bin/mount`) to its end.
    static func runTool(_ path: String, _ arguments: [String]) throws -> Result {
        let (process, stdout, stderr) = try launch(URL(fileURLWithPath: path), arguments)
        return finish(process, stdout, stderr)
    }

    /// Runs `loadgen` with `arguments` under `/bin/sh -c "ulimit ... && exec loadgen ..."`.
    /// - Parameter ulimit: the ulimit arguments, e.g. `-n 256` (dash counts -f in 512-byte blocks).
    static func runLimited(ulimit: String, _ arguments: [String]) throws -> Result {
        let command = ([try executable("loadgen").path] + arguments).map(shellQuoted).joined(separator: " ")
        return try runTool("/bin/sh", ["-c", "ulimit \(ulimit) && exec \(command)"])
    }
}
