import Foundation
import XCTest

/// A target that refuses the first requests (401, 403, 404): the run stops early, names the
/// likely cause and exits with code 4.
final class TargetRejectionTests: XCTestCase {
    /// A wrong base URL (the mock answers 404 off /v1/chat/completions): stopped after 5 requests.
    func testWrongBaseURLStopsEarlyAndSaysSo() throws {
        let mock = try CLITestSupport.startMock([])
        defer { CLITestSupport.stop(mock.process) }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: refused
            target: {provider: mock, model: mock-small}
            load: {mode: open, rate: 50, duration: 20s}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let wrong = mock.baseURL.replacingOccurrences(of: "/v1", with: "/api")
        let started = Date()
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path, "--base-url", wrong])
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "not the whole 20 s")
        XCTAssertTrue(result.stderr.contains("loadgen: stopped early: the first 5 requests were refused (5 × 404). "
            + "404 Not Found: the URL \(wrong)/chat/completions does not exist"), result.stderr)
        XCTAssertTrue(result.stderr.contains("or the model \"mock-small\" is unknown"), result.stderr)
        let attempts = try CLITestSupport.attempts(in: try CLITestSupport.onlyRunDirectory(in: runs))
        XCTAssertLessThan(attempts.count, 20, "\(attempts.count)")
        XCTAssertTrue(attempts.allSatisfy { $0["status"] as? Int == 404 })
    }

    /// 403 names access to the model; a run that got a success first is never stopped.
    func testForbiddenNamesAccessAndSuccessesKeepTheRunGoing() throws {
        let forbidden = try CLITestSupport.startMock(["--error-rate", "1", "--error-status", "403"])
        defer { CLITestSupport.stop(forbidden.process) }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: forbidden
            target: {provider: mock, model: mock-small}
            load: {mode: closed, users: 1, requests: 30}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs").path
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", runs, "--base-url", forbidden.baseURL, "--model", "big-model",
             "--quiet"])
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertTrue(result.stderr.contains("403 Forbidden: the key was accepted but has no access to model \"big-model\""),
                      result.stderr)
        XCTAssertTrue(result.stdout.contains("attempts: 5 (0 ok, 5 failed: http_4xx 5; 0 retries)"), "one user: exactly 5 attempts\n\(result.stdout)")

        // Half the answers 404 but some succeed: a run like any other (exit 0, all 30 sent).
        let mixed = try CLITestSupport.startMock(["--error-rate", "0.5", "--error-status", "404", "--seed", "3"])
        defer { CLITestSupport.stop(mixed.process) }
        let ordinary = try BinaryRunner.run(
            ["--profile", profile.path, "--output", runs, "--base-url", mixed.baseURL, "--quiet"])
        XCTAssertEqual(ordinary.status, 0, ordinary.stderr)
        XCTAssertTrue(ordinary.stdout.contains("attempts: 30 ("), ordinary.stdout)
    }
}
