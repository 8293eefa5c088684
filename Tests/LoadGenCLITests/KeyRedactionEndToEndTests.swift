import Foundation
import TestSupport
import XCTest

/// A server that echoes the API key in its error text, at every offset around each place the
/// engine cuts that text: no piece of the key of 8 bytes or more reaches the event log, the run
/// directory's other files, stdout, or stderr with `--verbose`.
final class KeyRedactionEndToEndTests: XCTestCase {
    private let key = "xx-LEAKTEST-0123456789abcdefghij"

    /// What the server sends for each request: the key at offsets around the 300-byte excerpt of
    /// an error body, and around the 80-byte excerpt of data that is not JSON (in a stream, in an
    /// `event: error`, and in a non-streamed body).
    private func behaviours() -> [ScriptedServer.Behaviour] {
        let keyLength = key.utf8.count
        var result: [ScriptedServer.Behaviour] = []
        for offset in (300 - keyLength - 2)...(300 + 2) {
            let prefix = #"{"error":{"message":""#
            let padding = String(repeating: "x", count: offset - prefix.utf8.count)
            result.append(.status(500, body: prefix + padding + key + #"","type":"server_error"}}"#))
        }
        for offset in (80 - keyLength - 2)...(80 + 2) {
            let data = String(repeating: "y", count: offset) + key + " not json"
            let streamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            result.append(.raw(streamHead + "data: " + data + "\n\n"))
            result.append(.raw(streamHead + "event: error\ndata: " + data + "\n\n"))
            result.append(.status(200, body: data))
        }
        return result
    }

    func testNoPieceOfTheKeyReachesAnyOutput() throws {
        let script = behaviours()
        let server = try ScriptedServer(script: { script[$0 % script.count] })
        addTeardownBlock { server.stop() }
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: leak
            target: {provider: openai-compatible, model: m, base_url: "http://127.0.0.1:\(server.port)/v1", api_key_env: LOADGEN_TEST_LEAK_KEY}
            load: {mode: closed, users: 4, requests: \(script.count)}
            """, in: directory)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(
            ["--profile", profile.path, "--output", runs.path, "--verbose"],
            environment: BinaryRunner.environment(["LOADGEN_TEST_LEAK_KEY": key]))

        let run = try CLITestSupport.onlyRunDirectory(in: runs)
        let attempts = try CLITestSupport.attempts(in: run)
        XCTAssertEqual(attempts.count, script.count, result.stderr)
        let redacted = attempts.filter { ($0["error_message"] as? String)?.contains("[redacted]") == true }
        XCTAssertGreaterThan(redacted.count, script.count / 2, "the key was echoed and hidden")
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.contains(" req ") }.count, script.count)

        assertNoKeyFragment(in: result.stdout, "stdout")
        assertNoKeyFragment(in: result.stderr, "stderr")
        for name in try FileManager.default.contentsOfDirectory(atPath: run.path) {
            let text = String(decoding: try Data(contentsOf: run.appendingPathComponent(name)), as: UTF8.self)
            assertNoKeyFragment(in: text, name)
        }
    }

    private func assertNoKeyFragment(in text: String, _ source: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(key.utf8)
        for start in 0...(bytes.count - 8) {
            let fragment = String(decoding: bytes[start..<(start + 8)], as: UTF8.self)
            guard let found = text.range(of: fragment) else { continue }
            let lineStart = text[..<found.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let lineEnd = text[found.upperBound...].firstIndex(of: "\n") ?? text.endIndex
            XCTFail("\(source) shows \"\(fragment)\": \(text[lineStart..<lineEnd])", file: file, line: line)
            return
        }
    }
}
