import Foundation
import XCTest
@testable import LoadCore

/// The report's percentiles against exact, sort-based values computed from the fixture's
/// records, within HDR precision (3 significant digits: a relative error of at most 1/1024).
final class ReportPercentileTests: XCTestCase {
    /// The value at percentile p of sorted values: the smallest with at least p % of the values at
    /// or below it (HdrHistogram's definition).
    private func exact(_ sorted: [Double], _ percentile: Double) -> Double {
        let rank = max(Int((percentile / 100 * Double(sorted.count)).rounded(.up)), 1)
        return sorted[min(rank, sorted.count) - 1]
    }

    private func check(_ stats: MetricStats?, _ values: [Double], file: StaticString = #filePath, line: UInt = #line) {
        guard let stats else { return XCTFail("no stats", file: file, line: line) }
        let sorted = values.sorted()
        XCTAssertEqual(stats.count, UInt64(sorted.count), "\(stats.metric) count", file: file, line: line)
        let pairs: [(String, Double, Double)] = [
            ("p50", stats.p50, exact(sorted, 50)), ("p90", stats.p90, exact(sorted, 90)),
            ("p95", stats.p95, exact(sorted, 95)), ("p99", stats.p99, exact(sorted, 99)),
            ("p99.9", stats.p999, exact(sorted, 99.9)), ("max", stats.max, sorted.last ?? 0),
            ("mean", stats.mean, sorted.reduce(0, +) / Double(sorted.count)),
        ]
        for (name, reported, truth) in pairs {
            // HDR precision plus the 1 µs (0.001 unit) resolution of the recorded integers.
            XCTAssertEqual(reported, truth, accuracy: truth / 1024 + 0.001, "\(stats.metric) \(name)", file: file, line: line)
        }
    }

    func testEveryDistributionMatchesTheSortedValues() throws {
        let directory = try ReportFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/events.ndjson"
        try ReportFixture.write(to: path)
        let all = try ReportFixture.report([path]).overall

        let records = ReportFixture.attempts()
        let ok = records.filter(\.succeeded)
        func ms(_ from: UInt64, _ to: UInt64) -> Double { Double(to - from) / 1e6 }
        check(all.stats(.ttft), ok.map { ms($0.startNanos, $0.firstTokenNanos!) })
        check(all.stats(.ttftFromIntended), ok.map { ms($0.intendedStartNanos, $0.firstTokenNanos!) })
        check(all.stats(.total), ok.map { ms($0.startNanos, $0.endNanos) })
        check(all.stats(.totalFromIntended), ok.map { ms($0.intendedStartNanos, $0.endNanos) })
        check(all.stats(.scheduleLag), records.map { ms($0.intendedStartNanos, $0.startNanos) })
        check(all.stats(.interToken), ok.flatMap { record in
            zip(record.tokenOffsetsMicros.dropFirst(), record.tokenOffsetsMicros).map { Double($0 - $1) / 1000 }
        })
        check(all.stats(.timePerOutputToken), ok.map {
            ms($0.firstTokenNanos!, $0.endNanos) / Double($0.outputTokens - 1)
        })
        check(all.stats(.outputTokensPerSecond), ok.map { Double($0.outputTokens) / (ms($0.startNanos, $0.endNanos) / 1000) })
    }
}
