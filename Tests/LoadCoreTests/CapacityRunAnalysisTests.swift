import XCTest

@testable import LoadCore

/// `loadreport --capacity`: the analysis redone from fixture event logs written here (a simulated
/// server with 10 slots of 0.5 s, so 20 requests/s at most), with the sweep's SLOs and with others.
final class CapacityRunAnalysisTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capacity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Attempts of constant arrivals at `rate` over [start, start + seconds) against `slots` slots of
    /// `service` seconds (TTFT 0.1 s of it, 8 tokens), FIFO; `refuse(t)` answers 429 at once instead.
    private func simulate(rate: Double, from start: UInt64, seconds: Double, stage: Int, slots: Int = 10,
                          service: Double = 0.5, free: inout [UInt64], firstID: inout UInt64,
                          refuse: (Double) -> Bool = { _ in false }) -> [AttemptRecord] {
        var attempts: [AttemptRecord] = []
        if free.isEmpty { free = Array(repeating: 0, count: slots) }
        for i in 0..<Int(rate * seconds) {
            let intended = start + UInt64(Double(i) / rate * 1e9)
            var a = AttemptRecord(requestID: firstID, intendedStartNanos: intended, startNanos: intended,
                                  endNanos: intended + 2_000_000)
            firstID += 1
            a.stage = stage
            var limit = RateLimitSnapshot()
            limit.requests = RateLimitSnapshot.Window(limit: 1800)
            a.rateLimit = limit
            if refuse(Double(intended - start) / 1e9) {
                a.status = 429
                a.errorClass = .http429
            } else {
                let slot = free.indices.min { free[$0] < free[$1] }!
                let begin = max(intended, free[slot])
                let end = begin + UInt64(service * 1e9)
                free[slot] = end
                a.status = 200
                a.firstTokenNanos = begin + 100_000_000
                a.endNanos = end
                a.countedOutputTokens = 8
                a.tokenOffsetsMicros = (0..<8).map { UInt32((begin - intended) / 1000) + 100_000 + UInt32($0) * 50_000 }
            }
            attempts.append(a)
        }
        return attempts
    }

    /// Writes events.ndjson (and sweep.json when `record` is given) and returns the events path.
    private func write(_ attempts: [AttemptRecord], stages: [RunHeader.Stage], record: SweepRecord?) throws -> String {
        var header = RunHeader(profile: "fixture", startedAt: Date(timeIntervalSince1970: 0), loadgenVersion: "test",
                               seed: 1, command: ["loadgen", "sweep"], mode: "open")
        header.stages = stages
        let path = directory.appendingPathComponent("events.ndjson").path
        let writer = try EventLogWriter(path: path, header: header)
        for attempt in attempts.sorted(by: { $0.endNanos < $1.endNanos }) { try writer.append(attempt) }
        try writer.appendEnd(endNanos: attempts.map(\.endNanos).max() ?? 0)
        try writer.close()
        if let record {
            try record.json().write(to: directory.appendingPathComponent("sweep.json"), atomically: true, encoding: .utf8)
        }
        return path
    }

    /// Three 12 s steps (2 s warm-up) at 10, 18 and 24 requests/s against the 20/s server.
    private func sweepFixture() throws -> (String, SweepRecord) {
        var settings = SweepSettings()
        settings.slo = try SLOList.parse("ttft_p99=400ms,error_rate=1%")
        var record = SweepRecord(settings: settings, stopReason: "converged")
        var attempts: [AttemptRecord] = []
        var stages: [RunHeader.Stage] = []
        var id: UInt64 = 0
        for (index, rate) in [10.0, 18, 24].enumerated() {
            var free: [UInt64] = []
            let start = UInt64(index) * 15 * second
            let step = SweepStep(index: index, phase: .steps, load: rate, closedLoop: false, warmupNanos: 2 * second,
                                 windowNanos: 10 * second)
            attempts += simulate(rate: rate, from: start, seconds: 12, stage: index, free: &free, firstID: &id)
            record.steps.append(SweepRecord.Step(step: step, startNanos: start, windowStartNanos: start + 2 * second,
                                                 windowEndNanos: start + 12 * second))
            stages.append(RunHeader.Stage(startNanos: start, durationNanos: 12 * second, label: step.label))
        }
        return (try write(attempts, stages: stages, record: record), record)
    }

    func testSweepRunWithItsOwnSLO() throws {
        let (path, record) = try sweepFixture()
        let (result, warnings) = try CapacityRunAnalysis.analyze(eventsPath: path, record: record, slo: nil)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(result.steps.map(\.verdict.meetsSLO), [true, true, false])
        XCTAssertEqual(result.steps[2].verdict.findings.map(\.signal), [.throughput, .inFlightGrowth, .ttftTrend, .slo])
        XCTAssertEqual(result.steps[0].statistics.offeredPerSecond, 10)
        XCTAssertEqual(result.steps[1].statistics.okPerSecond, 18, accuracy: 0.2)
        XCTAssertEqual(result.steps[2].statistics.okPerSecond, 20, accuracy: 0.2)
        XCTAssertEqual(result.kneeRPS ?? 0, 18, accuracy: 0.2)
        XCTAssertEqual(result.sloLoad, 18)
        XCTAssertEqual(result.sloBracket, CapacityResult.Bracket(low: 18, high: 24))
        XCTAssertEqual(result.limitedBy, .latency)
        XCTAssertEqual(result.stopReason, "converged")
        let text = try CapacityText.render(result, format: .table)
        XCTAssertTrue(text.contains("SLO capacity: 18/s, bracket [18/s, 24/s] (33.3 % wide)"), text)
        XCTAssertTrue(text.contains("limited by: latency; beyond it first: throughput: achieved"), text)
        XCTAssertTrue(text.contains("recommendation (20 % headroom): 14.4 requests/s, 115 output tokens/s, 8 concurrent streams"),
                      text)
    }

    func testOtherSLOsWithoutSendingARequest() throws {
        let (path, record) = try sweepFixture()
        // TTFT p99 ≤ 50 ms: the server's 100 ms TTFT fails it at every load.
        let strict = try CapacityRunAnalysis.analyze(eventsPath: path, record: record,
                                                     slo: try SLOList.parse("ttft_p99=50ms")).result
        XCTAssertNil(strict.sloLoad)
        XCTAssertEqual(strict.sloBracket, CapacityResult.Bracket(low: nil, high: 10))
        XCTAssertEqual(strict.steps.map { $0.statistics.goodput ?? -1 }, [0, 0, 0])
        // Total p99 ≤ 10 s: the 24/s step's queue still fails through its trend, whatever the SLO.
        let loose = try CapacityRunAnalysis.analyze(eventsPath: path, record: record,
                                                    slo: try SLOList.parse("total_p99=10s")).result
        XCTAssertEqual(loose.sloLoad, 18)
        XCTAssertEqual(loose.steps[2].verdict.fired(.slo), false)
        XCTAssertEqual(loose.limitedBy, .latency)
    }

    func testRateLimitNamedApartFromLatency() throws {
        // 30 requests/s offered, one in three refused after 4 s: 20/s accepted, the key's limit.
        var free: [UInt64] = []
        var id: UInt64 = 0
        let attempts = simulate(rate: 30, from: 0, seconds: 12, stage: 0, slots: 40, free: &free, firstID: &id) { t in
            t >= 4 && Int((t * 30).rounded()) % 3 == 2
        }
        var record = SweepRecord(settings: SweepSettings(), stopReason: "converged")
        let step = SweepStep(index: 0, phase: .ceiling, load: 30, closedLoop: false, warmupNanos: 2 * second,
                             windowNanos: 10 * second)
        record.steps = [SweepRecord.Step(step: step, startNanos: 0, windowStartNanos: 2 * second,
                                         windowEndNanos: 12 * second)]
        let path = try write(attempts, stages: [RunHeader.Stage(startNanos: 0, durationNanos: 12 * second,
                                                                label: step.label)], record: record)
        let result = try CapacityRunAnalysis.analyze(eventsPath: path, record: record, slo: nil).result
        XCTAssertEqual(result.limitedBy, .rateLimit)
        XCTAssertEqual(result.rateLimit?.requestsPerSecond ?? 0, 20, accuracy: 0.2)
        XCTAssertEqual(result.sloLoad ?? 0, 20, accuracy: 0.2)
        let text = try CapacityText.render(result, format: .table)
        XCTAssertTrue(text.contains("rate limit reached at about 19.9 requests/s = 1,195/min; announced 1,800 RPM"), text)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(CapacityText.json(result).utf8))
                                    as? [String: Any])
        let capacity = try XCTUnwrap(json["capacity"] as? [String: Any])
        XCTAssertEqual(capacity["limited_by"] as? String, "rate_limit")
        XCTAssertEqual((capacity["rate_limit"] as? [String: Any])?["announced_requests"] as? Double, 1800)
    }

    func testPlainStagedRun() throws {
        var attempts: [AttemptRecord] = []
        var id: UInt64 = 0
        var stages: [RunHeader.Stage] = []
        for (index, rate) in [5.0, 15].enumerated() {
            var free: [UInt64] = []
            attempts += simulate(rate: rate, from: UInt64(index) * 10 * second, seconds: 10, stage: index, free: &free,
                                 firstID: &id)
            stages.append(RunHeader.Stage(startNanos: UInt64(index) * 10 * second, durationNanos: 10 * second,
                                          label: "rate \(Int(rate))/s"))
        }
        stages.append(RunHeader.Stage(startNanos: 20 * second, durationNanos: 10 * second, label: "rate 15..30/s"))
        let path = try write(attempts, stages: stages, record: nil)
        let (result, warnings) = try CapacityRunAnalysis.analyze(eventsPath: path, record: nil,
                                                                 slo: try SLOList.parse("ttft_p99=400ms"))
        XCTAssertEqual(warnings, ["stage 2 (rate 15..30/s) is not a constant load with a duration; left out"])
        XCTAssertEqual(result.steps.map(\.step.load), [5, 15])
        // The first 10 % of each stage is its warm-up.
        XCTAssertEqual(result.steps.map(\.statistics.windowSeconds), [9, 9])
        XCTAssertEqual(result.steps.map(\.verdict.meetsSLO), [true, true])
        XCTAssertEqual(result.sloBracket, CapacityResult.Bracket(low: 15, high: nil))
        XCTAssertEqual(result.stopReason, "a plain run: its stages")
    }

    func testRecordRoundTripAndProblems() throws {
        let (_, record) = try sweepFixture()
        let again = try SweepRecord.parse(Data(try record.json().utf8), path: "sweep.json")
        XCTAssertEqual(again, record)
        XCTAssertThrowsError(try SweepRecord.parse(Data("[]".utf8), path: "runs/x/sweep.json")) { error in
            XCTAssertEqual("\(error)", "runs/x/sweep.json: not a sweep record: not a JSON object")
        }
        // --slo problems name the pair.
        XCTAssertThrowsError(try SLOList.parse("ttft_p99=fast")) { error in
            XCTAssertTrue("\(error)".contains("--slo: ttft_p99: expected a duration like 800ms"), "\(error)")
        }
        XCTAssertThrowsError(try SLOList.parse("latency=1s")) { error in
            XCTAssertTrue("\(error)".contains("--slo: latency: unknown SLO \"latency\""), "\(error)")
        }
        XCTAssertThrowsError(try SLOList.parse("ttft_p99")) { error in
            XCTAssertTrue("\(error)".contains("expected name=limit"), "\(error)")
        }
        XCTAssertEqual(try SLOList.parse("ttft_p99=<800ms, error_rate=1%").checks.map(\.condition), ["< 800ms", "<= 1%"])
    }
}
