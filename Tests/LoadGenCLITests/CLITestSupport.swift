import Foundation
import XCTest

/// Small helpers shared by the end-to-end test files.
enum CLITestSupport {
    static func writeProfile(_ text: String, in directory: URL, name: String = "profile.yaml") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The one run directory under `runs`.
    static func onlyRunDirectory(in runs: URL) throws -> URL {
        let entries = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        XCTAssertEqual(entries.count, 1, "\(entries)")
        return runs.appendingPathComponent(try XCTUnwrap(entries.first))
    }

    /// The attempt lines of a run's events.ndjson.
    static func attempts(in run: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "attempt" ? object : nil
        }
    }

    /// The text of the events.ndjson of the one run under `runs` so far ("" before there is one):
    /// tests wait on it for readiness (a first attempt, a class).
    static func eventLog(in runs: URL) -> String {
        guard let name = try? FileManager.default.contentsOfDirectory(atPath: runs.path).first,
              let data = FileManager.default.contents(atPath: runs.appendingPathComponent(name).appendingPathComponent("events.ndjson").path)
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ file: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    /// Starts `loadgen mock` with `flags` on a free loopback port; returns it and its API root.
    /// Without delays unless `flags` give them (a later flag wins).
    static func startMock(_ flags: [String]) throws -> (process: Process, baseURL: String) {
        let mock = try BinaryRunner.start(["mock", "--port", "0", "--ttft", "0s", "--itl", "0s"] + flags)
        let firstLine = String(decoding: mock.stdout.fileHandleForReading.availableData, as: UTF8.self)
        let baseURL = try XCTUnwrap(firstLine.split(separator: " ").last.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        })
        XCTAssertTrue(baseURL.hasPrefix("http://127.0.0.1:"), firstLine)
        return (mock.process, baseURL)
    }

    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
