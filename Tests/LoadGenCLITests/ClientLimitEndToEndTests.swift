import Foundation
import TestSupport
import XCTest

/// The client's own limits are named as such: a run whose process runs out of file descriptors
/// records `client_fds`, never `connect` (the server is not at fault).
final class ClientLimitEndToEndTests: XCTestCase {
    /// The binary runs against a loopback server that closes every connection (each request needs a
    /// new socket). Once the first record is in the log, the child's soft RLIMIT_NOFILE is lowered to
    /// 3 (util-linux `prlimit --pid`: stdin, stdout and stderr only, so no new descriptor can be opened);
    /// once the log shows `client_fds`, the limit is restored and the run interrupted. No attempt is
    /// `connect`.
    func testOutOfDescriptorsIsClientFdsNotConnect() throws {
        let server = try ScriptedServer(.good(tokens: 2))
        addTeardownBlock { server.stop() }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: fds
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:\(server.port)/v1"}
            load: {mode: closed, users: 2, duration: 60s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let (process, stdout, stderr) = try BinaryRunner.start(["--profile", profile.path, "--output", runs.path, "--quiet"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        XCTAssertTrue(Readiness.waitUntil { CLITestSupport.eventLog(in: runs).contains(#""type":"attempt""#) },
                      "no attempt was logged")

        let pid = String(process.processIdentifier)
        let original = try Self.prlimit(["--pid", pid, "--nofile", "--raw", "--noheadings", "--output", "SOFT"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(original.isEmpty)
        _ = try Self.prlimit(["--pid", pid, "--nofile=3:"])
        let sawClientFds = Readiness.waitUntil { CLITestSupport.eventLog(in: runs).contains(#""error":"client_fds""#) }
        _ = try Self.prlimit(["--pid", pid, "--nofile=\(original):"])
        kill(process.processIdentifier, SIGINT)
        let result = BinaryRunner.finish(process, stdout, stderr)
        XCTAssertTrue(sawClientFds, "no client_fds record: \(result.stderr)")
        XCTAssertEqual(result.status, 130, result.stderr)

        let attempts = try CLITestSupport.attempts(in: try CLITestSupport.onlyRunDirectory(in: runs))
        let classes = Dictionary(grouping: attempts, by: { $0["error"] as? String ?? "ok" }).mapValues(\.count)
        XCTAssertGreaterThan(classes["client_fds"] ?? 0, 0, "\(classes)")
        XCTAssertGreaterThan(classes["ok"] ?? 0, 0, "\(classes)")
        XCTAssertNil(classes["connect"], "\(classes)")
    }

    /// Runs util-linux `prlimit` with `arguments`; returns its stdout.
    private static func prlimit(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "prlimit \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
