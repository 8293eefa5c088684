import Foundation
import XCTest

@testable import LoadCore

/// loadreport's checks of the shards it merges: one run's shards, each once, all of them.
final class ShardSetTests: XCTestCase {
    private static let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func input(_ name: String, _ index: Int?, of count: Int = 3, hash: String = "fnv1a64:aa",
                       start: Date = ShardSetTests.start) -> ShardSet.Input {
        var header = RunHeader(profile: "p", startedAt: start, loadgenVersion: "t", seed: 1, command: [])
        header.profileHash = hash
        header.shard = index.map { ShardStamp(index: $0, count: count, startAt: start) }
        return ShardSet.Input(argument: name, header: header)
    }

    func testRefusals() {
        // Table: inputs → the refusal's telling part.
        let cases: [([ShardSet.Input], String)] = [
            ([input("a", 0), input("b", 1, hash: "fnv1a64:bb"), input("c", 2)],
             "a and b ran different profiles (profile hash fnv1a64:aa and fnv1a64:bb)"),  // another profile
            ([input("a", 0), input("b", 0), input("c", 1), input("d", 2)],
             "a and b are both shard 0/3: give each shard once"),  // a shard twice
            ([input("a", 0), input("b", 2)],
             "shard 1/3 of the run is missing (2 of 3 given)"),  // a gap
            ([input("a", 0), input("b", 1, of: 4)],
             "they are shards of different runs (3 and 4 shards)"),  // another split
            ([input("a", 0), input("b", 1, start: Self.start + 60), input("c", 2)],
             "had different start times"),  // another start
            ([input("a", 0), input("b", nil)],
             "b is not a shard"),  // a run of its own
        ]
        for (inputs, expected) in cases {
            XCTAssertThrowsError(try ShardSet.check(inputs, allowPartial: false), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    func testCompleteSetsAndPlainRunsPass() throws {
        XCTAssertEqual(try ShardSet.check([input("c", 2), input("a", 0), input("b", 1)], allowPartial: false), [])
        XCTAssertEqual(try ShardSet.check([input("x", nil), input("y", nil)], allowPartial: false), [])
    }

    func testPartialSetsGoOnWithAWarning() throws {
        let warnings = try ShardSet.check([input("a", 0)], allowPartial: true)
        XCTAssertEqual(warnings, ["partial run: 1 of 3 shards (missing 1/3, 2/3); counts, rates and percentiles "
            + "cover only the shards given"])
        // A duplicate is never allowed.
        XCTAssertThrowsError(try ShardSet.check([input("a", 0), input("b", 0)], allowPartial: true))
    }

    func testTheHeaderStampRoundTrips() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shardset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.ndjson").path
        var header = input("a", 2, of: 5).header
        header.shard?.startLagNanos = 1_234_500
        let writer = try EventLogWriter(path: path, header: header)
        try writer.close()
        let read = try EventLogReader(path: path)
        XCTAssertEqual(read.header.shard, header.shard)
        XCTAssertEqual(read.header.profileHash, "fnv1a64:aa")
        XCTAssertEqual(read.warnings, [])
    }

    func testProfileHashIsStableAndTellsTextsApart() {
        XCTAssertEqual(ProfileHash.of(resolvedYAML: ""), "fnv1a64:cbf29ce484222325")  // FNV-1a's offset basis
        XCTAssertEqual(ProfileHash.of(resolvedYAML: "a"), "fnv1a64:af63dc4c8601ec8c")  // the reference value of "a"
        XCTAssertNotEqual(ProfileHash.of(resolvedYAML: "seed: 1\n"), ProfileHash.of(resolvedYAML: "seed: 2\n"))
    }
}

/// A shard's attempts move by its start lag onto the common clock; other runs' stay as they are.
final class ShardClockTests: XCTestCase {
    func testAttemptsMoveByTheStartLag() {
        var header = RunHeader(profile: "p", startedAt: Date(timeIntervalSince1970: 0), loadgenVersion: "t", seed: 1,
                               command: [])
        let attempt = AttemptRecord(requestID: 1, intendedStartNanos: 1_000, startNanos: 2_000, endNanos: 9_000)
        XCTAssertEqual(EventLogEntry.attempt(attempt).onCommonClock(of: header), .attempt(attempt))
        header.shard = ShardStamp(index: 0, count: 2, startAt: Date(timeIntervalSince1970: 0), startLagNanos: 500)
        guard case .attempt(let moved) = EventLogEntry.attempt(attempt).onCommonClock(of: header) else {
            return XCTFail("not an attempt")
        }
        XCTAssertEqual([moved.intendedStartNanos, moved.startNanos, moved.endNanos], [1_500, 2_500, 9_500])
    }
}
