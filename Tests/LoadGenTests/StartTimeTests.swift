import Foundation
import LoadCore
import XCTest

@testable import LoadGen

/// `--start-at` against a clock given by hand, and `--shard` read from a given environment.
final class StartTimeTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_796_205_600)  // 2026-12-02T10:00:00Z

    func testTheClockDecides() {
        // Table: time → accepted (true) or refused.
        let cases: [(String, Bool)] = [
            ("2026-12-02T10:00:30Z", true),  // ahead
            ("2026-12-02T09:59:59.100Z", true),  // 0.9 s past: within the tolerance, starts at once
            ("2026-12-02T09:59:58.900Z", false),  // 1.1 s past
            ("2026-12-02T11:00:30+01:00", true),  // another zone, 30 s ahead
            ("2026-12-03T09:59:59Z", true),  // just under 24 h
            ("2026-12-03T10:00:01Z", false),  // just over 24 h
            ("2026-12-02 10:00:30", false),  // no zone
        ]
        for (text, accepted) in cases {
            XCTAssertEqual((try? StartTime.check(text, now: now)) != nil, accepted, text)
        }
        XCTAssertEqual(try StartTime.check("2026-12-02T10:00:30.250Z", now: now).timeIntervalSince(now), 30.25,
                       accuracy: 1e-6)
    }

    func testShardFromTheEnvironment() throws {
        // Table: flag, environment → slice (nil: refused).
        let cases: [(String, [String: String], ScheduleSlice?)] = [
            ("2/4", [:], ScheduleSlice(index: 2, count: 4)),
            ("auto", ["JOB_COMPLETION_INDEX": "3", "LOADGEN_SHARDS": "8"], ScheduleSlice(index: 3, count: 8)),
            ("auto/5", ["JOB_COMPLETION_INDEX": "4"], ScheduleSlice(index: 4, count: 5)),
            ("auto/5", ["JOB_COMPLETION_INDEX": "4", "LOADGEN_SHARDS": "2"], ScheduleSlice(index: 4, count: 5)),  // the flag's N wins
            ("auto", ["JOB_COMPLETION_INDEX": "0"], nil),  // no count
            ("auto/0", ["JOB_COMPLETION_INDEX": "0"], nil),  // no shards
            ("auto/3", ["JOB_COMPLETION_INDEX": "x"], nil),  // not a number
            ("auto/3", ["JOB_COMPLETION_INDEX": "3"], nil),  // out of range
        ]
        for (flag, environment, expected) in cases {
            XCTAssertEqual(try? ShardArgument.resolve(flag, environment: environment), expected, "\(flag) \(environment)")
        }
    }

    func testEmptySlicesAreNamed() throws {
        var profile = try Profile.parse(yaml: """
            name: t
            target: {provider: mock, model: m}
            load: {mode: closed, stages: [{duration: 1s, users: 2}]}
            """, file: "t.yaml")
        XCTAssertNil(ShardNote.emptySlice(profile, slice: ScheduleSlice(index: 1, count: 2)))
        XCTAssertNotNil(ShardNote.emptySlice(profile, slice: ScheduleSlice(index: 2, count: 3)))
        XCTAssertNil(ShardNote.emptySlice(profile, slice: nil))
        profile.limits.maxRequests = 1
        XCTAssertNotNil(ShardNote.emptySlice(profile, slice: ScheduleSlice(index: 1, count: 2)))
    }
}
