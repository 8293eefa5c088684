import XCTest

@testable import LoadCore

/// Upper bounds on rates, users, requests, stage durations and queue sizes (issue 11 item 1):
/// `rate: 1e12` used to pass and run forever, filling the disk with dropped-arrival lines.
final class ProfileBoundsTests: XCTestCase {
    private func problems(load: String, limits: String = "") -> [String] {
        let yaml = "target: {provider: mock}\nload: \(load)\n" + (limits.isEmpty ? "" : "limits: \(limits)\n")
        return profileProblems(yaml).map(\.description)
    }

    func testAbsurdLevelsAreRefusedWithFileLineAndField() {
        XCTAssertEqual(problems(load: "{mode: open, rate: 1e12, duration: 2s}"), [
            "profiles/bad.yaml:2:26: load.rate: 1,000,000,000,000 arrivals per second is beyond the limit of 1,000,000 "
                + "(docs/profiles.md, \"Upper bounds\"); check the value for a typo or a unit slip",
        ])
        XCTAssertEqual(problems(load: "{mode: closed, users: 2147483648, duration: 2s}"), [
            "profiles/bad.yaml:2:29: load.users: 2,147,483,648 users is beyond the limit of 1,000,000 "
                + "(docs/profiles.md, \"Upper bounds\"); check the value for a typo or a unit slip",
        ])
        let ramp = problems(load: "{mode: open, stages: [{duration: 1s, rate: \"1..2000000\"}]}")
        XCTAssertEqual(ramp.count, 1)
        XCTAssertTrue(ramp[0].hasPrefix("profiles/bad.yaml:2:50: load.stages[0].rate: 2,000,000 arrivals per second"), "\(ramp)")
    }

    func testTheBoundsThemselvesAreAccepted() throws {
        let open = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, rate: 1000000, duration: 1000s}\n",
                                     file: "p.yaml")
        XCTAssertEqual(open.load.stages.first?.level, .constant(1_000_000))
        let closed = try Profile.parse(yaml: """
            target: {provider: mock}
            load: {mode: closed, users: 1000000, duration: 168h}
            limits: {max_in_flight: 1000000, max_queue: 10000000, max_connections: 1000000, max_requests: 1000000000}
            """, file: "p.yaml")
        XCTAssertEqual(closed.limits.maxInFlight, 1_000_000)
        XCTAssertEqual(closed.limits.maxQueued, 10_000_000)
        XCTAssertEqual(closed.limits.maxRequests, 1_000_000_000)
    }

    func testStageDurationsCountsAndQueuesAreBounded() {
        let cases: [(load: String, limits: String, expected: String)] = [
            ("{mode: open, rate: 1, duration: 200h}", "",
             "load.duration: 200h is longer than the limit of 168h (7 days) for one stage"),
            ("{mode: open, stages: [{duration: 10s, rate: 1}, {duration: 10000h, rate: 1}]}", "",
             "load.stages[1].duration: 10000h is longer than the limit"),
            ("{mode: closed, users: 2, requests: 2000000000}", "",
             "load.requests: 2,000,000,000 requests is beyond the limit of 1,000,000,000"),
            ("{mode: open, rate: 1, duration: 1s}", "{max_requests: 5000000000}",
             "limits.max_requests: 5,000,000,000 requests is beyond the limit of 1,000,000,000"),
            ("{mode: open, rate: 1, duration: 1s}", "{max_in_flight: 2147483648}",
             "limits.max_in_flight: 2,147,483,648 requests in flight is beyond the limit of 1,000,000"),
            ("{mode: open, rate: 1, duration: 1s}", "{max_queue: 100000000}",
             "limits.max_queue: 100,000,000 queued arrivals is beyond the limit of 10,000,000"),
            ("{mode: open, rate: 1, duration: 1s}", "{max_connections: 5000000}",
             "limits.max_connections: 5,000,000 connections is beyond the limit of 1,000,000"),
            // Each value within its bound, the plan (rate × duration) beyond it.
            ("{mode: open, rate: 1000000, duration: 2000s}", "",
             "profiles/bad.yaml:2:7: load: the load plans about 2,000,000,000 requests, beyond the limit of "
                + "1,000,000,000 for one run; lower the rate or the duration, or cap the run with limits.max_requests"),
        ]
        for (load, limits, expected) in cases {
            let found = problems(load: load, limits: limits)
            XCTAssertTrue(found.contains { $0.contains(expected) }, "\(load) \(limits): \(found)")
        }
    }

    func testMaxRequestsCapsAPlanBeyondTheBound() throws {
        let profile = try Profile.parse(yaml: """
            target: {provider: mock}
            load: {mode: open, rate: 1000000, duration: 2000s}
            limits: {max_requests: 1000}
            """, file: "p.yaml")
        XCTAssertEqual(profile.plannedRequests(), 1000)
    }

    func testOverridesAreBoundedAndNamed() {
        let yaml = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 2s}\n"
        let override = ProfileOverride.parseAssignment("load.rate=1e12")!
        do {
            _ = try Profile.parse(yaml: yaml, file: "p.yaml", overrides: [override])
            XCTFail("1e12 accepted")
        } catch {
            XCTAssertEqual("\(error)", "p.yaml: load.rate: 1,000,000,000,000 arrivals per second is beyond the limit "
                + "of 1,000,000 (docs/profiles.md, \"Upper bounds\"); check the value for a typo or a unit slip "
                + "(the value came from --set load.rate=1e12)")
        }
    }
}
