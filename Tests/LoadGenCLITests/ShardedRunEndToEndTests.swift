import Foundation
import LoadCore
import TestSupport  // re-exports HistogramDecoding (HdrV2Encoding.decode)
import XCTest

/// Four shard processes (`--shard i/4`, one common `--start-at`) against one `loadgen mock`, merged by
/// `loadreport`, against one process running the whole schedule: the same requests (exactly: the
/// schedule is bounded), the same intended starts, percentiles within a tolerance wide enough for
/// real I/O on a loaded 2-core machine. Then loadreport's refusals of a missing shard.
final class ShardedRunEndToEndTests: XCTestCase {
    /// 40/s for 2 s, even pacing: 80 arrivals, 25 ms apart, 20 per shard.
    private static let profile = """
        name: sharded-e2e
        seed: 7
        target: {provider: openai-compatible, model: mock-small, base_url: "BASE_URL"}
        request: {max_tokens: 8}
        load:
          mode: open
          stages:
            - {duration: 2s, rate: 40}
        """

    private func overall(_ result: BinaryRunner.Result) throws -> [String: Any] {
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(document["overall"] as? [String: Any], result.stdout)
    }

    private func p50(_ group: [String: Any], _ metric: String) throws -> Double {
        let metrics = try XCTUnwrap(group["metrics"] as? [String: Any])
        return try XCTUnwrap((metrics[metric] as? [String: Any])?["p50"] as? Double, metric)
    }

    func testFourShardsMergeToTheOneProcessRun() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let mock = try CLITestSupport.startMock(["--ttft", "30ms", "--itl", "3ms", "--tokens", "8"])
        defer { CLITestSupport.stop(mock.process) }
        let profile = try CLITestSupport.writeProfile(
            Self.profile.replacingOccurrences(of: "BASE_URL", with: mock.baseURL), in: directory)

        // The whole schedule in one process.
        let single = try BinaryRunner.run(["-p", profile.path, "--run-dir", directory.appendingPathComponent("single").path,
                                           "--quiet", "--no-html"])
        XCTAssertEqual(single.status, 0, single.stderr)

        // Four shards, started together; two find their index as a Kubernetes Indexed Job's pods do.
        let formatter = ISO8601DateFormatter()
        let startAt = formatter.string(from: Date().addingTimeInterval(4).rounded())
        var shards: [(process: Process, stdout: Pipe, stderr: Pipe)] = []
        for index in 0..<4 {
            let auto = index >= 2
            var environment = ProcessInfo.processInfo.environment
            if auto {
                environment["JOB_COMPLETION_INDEX"] = String(index)
                environment["LOADGEN_SHARDS"] = "4"
            }
            shards.append(try BinaryRunner.start(
                ["-p", profile.path, "--run-dir", directory.appendingPathComponent("shard-\(index)").path, "--quiet",
                 "--no-html", "--shard", auto ? "auto" : "\(index)/4", "--start-at", startAt],
                environment: environment))
        }
        for shard in shards {
            let result = BinaryRunner.finish(shard.process, shard.stdout, shard.stderr)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let shardPaths = (0..<4).map { directory.appendingPathComponent("shard-\($0)").path }

        // Every shard is stamped; the requests are the whole schedule's, split k mod 4.
        var requests: [Int] = []
        var intended: [Double] = []
        for (index, path) in shardPaths.enumerated() {
            let metadata = try CLITestSupport.json(URL(fileURLWithPath: path).appendingPathComponent("run.json"))
            let stamp = try XCTUnwrap(metadata["shard"] as? [String: Any])
            XCTAssertEqual(stamp["index"] as? Int, index)
            XCTAssertEqual(stamp["count"] as? Int, 4)
            XCTAssertEqual((stamp["start_at"] as? String)?.prefix(19), startAt.prefix(19))
            XCTAssertNotNil(metadata["profile_hash"] as? String)
            for attempt in try CLITestSupport.attempts(in: URL(fileURLWithPath: path)) {
                let request = try XCTUnwrap(attempt["request"] as? Int)
                XCTAssertEqual(request % 4, index)
                requests.append(request)
                intended.append(try XCTUnwrap(attempt["intended_us"] as? Double))
            }
        }
        let singleAttempts = try CLITestSupport.attempts(in: directory.appendingPathComponent("single"))
        XCTAssertEqual(requests.sorted(), Array(0..<80))
        XCTAssertEqual(intended.sorted(), singleAttempts.compactMap { $0["intended_us"] as? Double }.sorted())

        // Merged, the shards report what the one process reported.
        let merged = try BinaryRunner.run(shardPaths + ["--format", "json"], binary: "loadreport")
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertFalse(merged.stderr.contains("apart"), merged.stderr)
        let whole = try BinaryRunner.run([directory.appendingPathComponent("single").path, "--format", "json"],
                                         binary: "loadreport")
        let (mergedOverall, singleOverall) = (try overall(merged), try overall(whole))
        XCTAssertEqual(mergedOverall["requests"] as? Int, 80)
        XCTAssertEqual(singleOverall["requests"] as? Int, 80)
        XCTAssertEqual(mergedOverall["request_successes"] as? Int, 80)
        for metric in ["ttft", "inter_token", "total"] {
            let (a, b) = (try p50(mergedOverall, metric), try p50(singleOverall, metric))
            // 30 ms TTFT and 3 ms gaps from the mock: medians within 25 % or 5 ms of each other.
            XCTAssertEqual(a, b, accuracy: max(5, 0.25 * b), "\(metric) p50: shards \(a) ms, one process \(b) ms")
        }

        // The shards' interval histograms, merged: every value of every shard, on whole seconds.
        let hlog = directory.appendingPathComponent("merged.hlog").path
        let written = try BinaryRunner.run(shardPaths + ["--hlog", hlog], binary: "loadreport")
        XCTAssertEqual(written.status, 0, written.stderr)
        var shardTotals: [String: UInt64] = [:]
        for path in shardPaths {
            shardTotals.merge(try hlogTotals(path + "/histograms.hlog")) { $0 + $1 }
        }
        let mergedTotals = try hlogTotals(hlog)
        XCTAssertEqual(mergedTotals, shardTotals)
        XCTAssertEqual(mergedTotals["ttft"], 80)

        // A missing shard is refused, or reported on with --allow-partial.
        let missing = try BinaryRunner.run(Array(shardPaths.prefix(3)), binary: "loadreport")
        XCTAssertEqual(missing.status, 64, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("shard 3/4 of the run is missing (3 of 4 given)"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--allow-partial"), missing.stderr)
        let partial = try BinaryRunner.run(Array(shardPaths.prefix(3)) + ["--allow-partial"], binary: "loadreport")
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stderr.contains("warning: partial run: 3 of 4 shards (missing 3/4)"), partial.stderr)
        // A shard mixed with a run of its own is refused.
        let mixed = try BinaryRunner.run(shardPaths + [directory.appendingPathComponent("single").path], binary: "loadreport")
        XCTAssertEqual(mixed.status, 64, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("is not a shard"), mixed.stderr)
    }

    /// Per tag, the values of every line of an interval log.
    private func hlogTotals(_ path: String) throws -> [String: UInt64] {
        var totals: [String: UInt64] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where line.hasPrefix("Tag=") {
            let fields = line.split(separator: ",")
            let seconds = try XCTUnwrap(Double(fields[1]))
            XCTAssertEqual(seconds, seconds.rounded(), "intervals start on whole seconds from the common start: \(line.prefix(40))")
            totals[String(fields[0].dropFirst(4)), default: 0] += try HdrV2Encoding.decode(base64: String(fields[4])).totalCount
        }
        return totals
    }

    func testShardAndStartAtErrorsAreClear() throws {
        // Table: flags, environment → the message's telling part (exit 2 or 64).
        let cases: [([String], [String: String], String)] = [
            (["--shard", "4/4"], [:], "give --shard as i/N"),  // index out of range
            (["--shard", "auto"], [:], "LOADGEN_SHARDS is not set"),  // no count
            (["--shard", "auto/4"], [:], "JOB_COMPLETION_INDEX is not set"),  // no index
            (["--shard", "auto"], ["LOADGEN_SHARDS": "4", "JOB_COMPLETION_INDEX": "9"], "not a shard index from 0 to 3"),
            (["--start-at", "2020-01-01T00:00:00Z"], [:], "s in the past"),  // long gone
            (["--start-at", "2099-01-01T00:00:00Z"], [:], "give a time within 24 h"),  // too far ahead
            (["--start-at", "tomorrow"], [:], "RFC 3339"),  // unreadable
        ]
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: shard-errors
            target: {provider: mock, model: m}
            load: {mode: open, stages: [{duration: 1s, rate: 1}]}
            """, in: directory)
        for (flags, variables, expected) in cases {
            var environment = ProcessInfo.processInfo.environment
            environment["JOB_COMPLETION_INDEX"] = nil
            environment["LOADGEN_SHARDS"] = nil
            environment.merge(variables) { $1 }
            let result = try BinaryRunner.run(["-p", profile.path, "--output", directory.appendingPathComponent("runs").path,
                                               "--quiet"] + flags, environment: environment)
            XCTAssertNotEqual(result.status, 0, "\(flags)")
            XCTAssertTrue(result.stderr.contains(expected), "\(flags): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path))
    }

    /// 3 users over 4 shards: shard 3 has none, says so, and ends at once with an empty run.
    func testAShardWithoutUsersSaysSo() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: closed-shards
            target: {provider: mock, model: m, mock: {ttft: 5ms, inter_token: 1ms, output_tokens: 2}}
            load: {mode: closed, stages: [{duration: 1s, users: 3}]}
            """, in: directory)
        let result = try BinaryRunner.run(["-p", profile.path, "--run-dir", directory.appendingPathComponent("r").path,
                                           "--quiet", "--no-html", "--shard", "3/4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("loadgen: warning: shard 3/4 has no user (at most 3 users over 4 shards)"),
                      result.stderr)
        XCTAssertEqual(try CLITestSupport.attempts(in: directory.appendingPathComponent("r")).count, 0)
    }
}

private extension Date {
    /// The next whole second.
    func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.up)) }
}
