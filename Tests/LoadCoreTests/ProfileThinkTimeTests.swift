import XCTest

@testable import LoadCore

/// `load.think_time` in closed-loop profiles.
final class ProfileThinkTimeTests: XCTestCase {
    func testThinkTimeIsReadAndSurvivesTheResolvedYAML() throws {
        // Table: load: lines → think time in nanoseconds.
        let cases: [(String, UInt64)] = [
            ("  mode: closed\n  users: 4\n  duration: 10s", 0),  // default
            ("  mode: closed\n  users: 4\n  duration: 10s\n  think_time: 2s", 2_000_000_000),
            ("  mode: closed\n  users: 4\n  requests: 40\n  think_time: 250ms", 250_000_000),
            ("  mode: closed\n  users: 4\n  duration: 10s\n  think_time: 0s", 0),  // explicit zero
        ]
        for (load, expected) in cases {
            let yaml = "target: {provider: mock}\nload:\n\(load)\n"
            let profile = try Profile.parse(yaml: yaml, file: "profiles/p.yaml")
            XCTAssertEqual(profile.load.thinkTimeNanos, expected, yaml)
            let again = try Profile.parse(yaml: profile.resolvedYAML(), file: "resolved.yaml")
            XCTAssertEqual(again, profile, profile.resolvedYAML())
        }
    }

    func testBadThinkTimesAreReportedWithTheirLine() {
        // Table: load: lines → expected "line:column: path: message prefix".
        let cases: [(String, String)] = [
            // open loop does not wait for responses
            ("  mode: open\n  rate: 5\n  duration: 10s\n  think_time: 1s",
             "profiles/bad.yaml:6:15: load.think_time: think_time applies only to mode: closed"),
            // a bare number has no unit
            ("  mode: closed\n  users: 2\n  duration: 10s\n  think_time: 5",
             "profiles/bad.yaml:6:15: load.think_time:"),
        ]
        for (load, expected) in cases {
            let yaml = "target: {provider: mock}\nload:\n\(load)\n"
            do {
                _ = try Profile.parse(yaml: yaml, file: "profiles/bad.yaml")
                XCTFail("expected a problem for \(load)")
            } catch let error as ProfileError {
                XCTAssertEqual(error.problems.count, 1, "\(error.problems)")
                XCTAssertTrue(error.description.contains(expected), "\(error.description)\nexpected: \(expected)")
            } catch {
                XCTFail("unexpected \(error)")
            }
        }
    }
}
