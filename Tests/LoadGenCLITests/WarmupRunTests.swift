import Foundation
import TestSupport
import XCTest

/// `--warmup-connections` with a warm-up that outlasts a progress tick (500 ms): the run clock
/// starts after the warm-up, so the ticks go back in time once; the run must not trap on it.
final class WarmupRunTests: XCTestCase {
    func testAWarmUpLongerThanATickRunsToItsEnd() throws {
        // The warm-up GET is answered a byte every 20 ms (about 1.3 s); the requests after it at once.
        let slowAnswer = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let server = try ScriptedServer(script: { $0 == 0 ? .trickle(head: "", trickle: slowAnswer, everyMillis: 20) : .good(tokens: 2) })
        addTeardownBlock { server.stop() }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: warmup
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:\(server.port)/v1"}
            load: {mode: closed, users: 1, requests: 3}
            """, in: directory)
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", directory.appendingPathComponent("runs").path, "--warmup-connections", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("requests: 3 (3 ok, 0 failed)"), result.stdout + result.stderr)
    }
}
