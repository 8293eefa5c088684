import XCTest
@testable import LoadCore

/// Statistical and determinism checks of the seeded arrival processes. Fixed seeds make every
/// figure here reproducible; tolerances are several standard errors wide for 60,000 arrivals.
final class ArrivalProcessTests: XCTestCase {
    private static let tenMinutesAt100 = [Stage(durationNanos: 600_000_000_000, level: .constant(100))]

    private func drain(_ schedule: some ArrivalSchedule) -> [UInt64] {
        var schedule = schedule
        var times: [UInt64] = []
        while let t = schedule.next() { times.append(t) }
        return times
    }

    /// Mean rate over `seconds` in arrivals per second, and the inter-arrival coefficient of variation.
    private func rateAndCV(_ times: [UInt64], seconds: Double) -> (rate: Double, cv: Double) {
        let gaps = zip(times.dropFirst(), times).map { Double($0 - $1) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        return (Double(times.count) / seconds, variance.squareRoot() / mean)
    }

    func testSplitMix64MatchesReferenceAndStaysInRange() {
        // Reference splitmix64.c with state 0: first outputs.
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(generator.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(generator.next(), 0x06C4_5D18_8009_454F)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = generator.nextUnitInterval()
            XCTAssertTrue(u > 0 && u <= 1)
            sum += u
        }
        XCTAssertEqual(sum / 100_000, 0.5, accuracy: 0.005)
    }

    func testGammaDrawsHaveShapeMoments() {
        // Table: shape k → Gamma(k, 1) has mean k and variance k. 50,000 draws each.
        for k in [0.1, 0.5, 1, 2.5, 10] {
            var generator = SplitMix64(seed: 42)
            let draws = (0..<50_000).map { _ in generator.nextGamma(shape: k) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
            XCTAssertEqual(mean / k, 1, accuracy: 0.03, "shape \(k): mean \(mean)")
            XCTAssertEqual(variance / k, 1, accuracy: 0.08, "shape \(k): variance \(variance)")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0.isFinite }, "shape \(k)")
        }
    }

    func testPoissonAt100PerSecond() {
        let times = drain(PoissonSchedule(stages: Self.tenMinutesAt100, seed: 1))
        let (rate, cv) = rateAndCV(times, seconds: 600)
        print("poisson 100/s 600 s seed 1: \(times.count) arrivals, rate \(rate)/s, CV \(cv)")
        XCTAssertEqual(rate, 100, accuracy: 1)
        XCTAssertTrue((0.97...1.03).contains(cv), "CV \(cv)")
        XCTAssertEqual(times, times.sorted())
        XCTAssertLessThan(times.last ?? .max, 600_000_000_000)
    }

    func testGammaCoefficientOfVariation() {
        // Table: burstiness k → expected inter-arrival CV 1/√k at 100/s over 600 s.
        let cases: [(burstiness: Double, cv: Double)] = [
            (0.5, 2.0.squareRoot()),  // burstier than Poisson
            (1, 1),                   // Poisson
            (4, 0.5),                 // smoother than Poisson
        ]
        for (k, expectedCV) in cases {
            let times = drain(GammaSchedule(stages: Self.tenMinutesAt100, burstiness: k, seed: 1))
            let (rate, cv) = rateAndCV(times, seconds: 600)
            print("gamma k=\(k) 100/s 600 s seed 1: \(times.count) arrivals, rate \(rate)/s, CV \(cv) (expected \(expectedCV))")
            XCTAssertEqual(rate, 100, accuracy: 2, "burstiness \(k)")
            XCTAssertEqual(cv / expectedCV, 1, accuracy: 0.05, "burstiness \(k): CV \(cv)")
            XCTAssertEqual(times, times.sorted(), "burstiness \(k)")
        }
    }

    func testSameSeedSameScheduleDifferentSeedDifferent() {
        let stages = [Stage(durationNanos: 10_000_000_000, level: .ramp(from: 5, to: 50))]
        // Table: process → schedules for seeds 7, 7 and 8.
        let processes: [ArrivalProcess] = [.poisson, .gamma(burstiness: 0.5), .gamma(burstiness: 3)]
        for process in processes {
            let a = drain(process.makeSchedule(stages: stages, seed: 7))
            let b = drain(process.makeSchedule(stages: stages, seed: 7))
            let c = drain(process.makeSchedule(stages: stages, seed: 8))
            XCTAssertGreaterThan(a.count, 100, "\(process)")
            XCTAssertEqual(a, b, "\(process)")
            XCTAssertNotEqual(a, c, "\(process)")
        }
        // Constant pacing ignores the seed.
        XCTAssertEqual(drain(ArrivalProcess.constant.makeSchedule(stages: stages, seed: 1)),
                       drain(OpenLoopSchedule(stages: stages)))
    }

    func testPoissonRampFromZero() {
        // 0 → 100/s over 60 s: Λ(60 s) = 3000 expected arrivals, Λ(30 s) = 750, a quarter.
        let times = drain(PoissonSchedule(stages: [Stage(durationNanos: 60_000_000_000, level: .ramp(from: 0, to: 100))],
                                          seed: 1))
        let firstHalf = times.filter { $0 < 30_000_000_000 }.count
        print("poisson ramp 0..100/s 60 s seed 1: \(times.count) arrivals, \(firstHalf) in the first 30 s")
        XCTAssertEqual(Double(times.count), 3000, accuracy: 150)
        XCTAssertEqual(Double(firstHalf) / Double(times.count), 0.25, accuracy: 0.03)
        XCTAssertEqual(times, times.sorted())
        XCTAssertLessThan(times.last ?? .max, 60_000_000_000)
    }
}
