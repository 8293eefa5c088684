import LoadCore
import LoadEngine
import XCTest

/// Coordinated omission, shown: a client that can keep only 8 requests open (like a tool with 8
/// workers) against an offered load twice what 8 slots serve. Latency measured from the actual start
/// stays flat, as such a tool would report; latency from the intended start grows through the run,
/// as the users behind the offered load experience it; the difference is the schedule lag.
final class CoordinatedOmissionTests: XCTestCase {
    func testLatencyFromIntendedStartGrowsWhileLatencyFromActualStartDoesNot() throws {
        let mock = try MockHarness {
            $0.ttft = .fixed(nanos: 50_000_000)
            $0.outputTokens = 1
        }
        // 8 slots × 1 request per ~50 ms = 160/s served; 320/s offered for 2 s (640 arrivals).
        let plan = LoadPlan(
            mode: .open(nextArrivalNanos: constantArrivals(everyNanos: 3_125_000)),
            durationNanos: 2_000_000_000, maxInFlight: 8)
        let (records, outcome) = try mock.run(plan)
        XCTAssertEqual(records.count, 640)
        XCTAssertEqual(outcome.peakInFlight, 8)
        XCTAssertTrue(records.allSatisfy(\.succeeded))

        let ordered = records.sorted { $0.intendedStartNanos < $1.intendedStartNanos }
        let firstQuarter = Array(ordered.prefix(160))
        let lastQuarter = Array(ordered.suffix(160))
        func meanMillis(_ attempts: [AttemptRecord], from start: (AttemptRecord) -> UInt64) -> Double {
            attempts.map { Double($0.endNanos - start($0)) / 1e6 }.reduce(0, +) / Double(attempts.count)
        }
        let actualEarly = meanMillis(firstQuarter) { $0.startNanos }
        let actualLate = meanMillis(lastQuarter) { $0.startNanos }
        let intendedEarly = meanMillis(firstQuarter) { $0.intendedStartNanos }
        let intendedLate = meanMillis(lastQuarter) { $0.intendedStartNanos }

        // From the actual start: the mock's 50 ms, early and late alike (within 25 ms on a loaded machine).
        XCTAssert((50...75).contains(actualEarly), "actual-start latency early \(actualEarly) ms")
        XCTAssert((50...75).contains(actualLate), "actual-start latency late \(actualLate) ms")
        // From the intended start: the backlog grows by ~160 arrivals a second, each waiting its turn:
        // about 2 s behind by the end of the run (the last arrivals wait for half the run's work).
        XCTAssertGreaterThan(intendedLate, 1_500, "intended-start latency late \(intendedLate) ms")
        XCTAssertGreaterThan(intendedLate, 5 * intendedEarly, "early \(intendedEarly) ms, late \(intendedLate) ms")

        // The recorder names the lag: its schedule-lag histogram holds the difference.
        let recorder = RunRecorder()
        records.forEach(recorder.record)
        let lag = recorder.histogram(.scheduleLag)
        XCTAssertGreaterThan(Double(lag.valueAtPercentile(99)) / 1e3, 1_500, "schedule lag p99 (ms)")
        XCTAssertTrue(SummaryTable.render(recorder).contains("schedule lag"))
    }
}
