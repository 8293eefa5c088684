import LoadCore
import XCTest

/// Which failures are retried, and how long the waits are.
final class RetryPolicyTests: XCTestCase {
    private func attempt(_ errorClass: ErrorClass?, number: Int = 1) -> AttemptRecord {
        var record = AttemptRecord(requestID: 7, intendedStartNanos: 0, startNanos: 0, endNanos: 1)
        record.errorClass = errorClass
        record.attemptNumber = number
        record.status = errorClass == nil ? 200 : 0
        return record
    }

    func testRetriesOnlyListedClassesUpToMaxAttempts() {
        let policy = RetryPolicy(maxAttempts: 3, retryOn: [.http429, .timeoutConnect])
        XCTAssertTrue(policy.shouldRetry(attempt(.http429)))
        XCTAssertTrue(policy.shouldRetry(attempt(.timeoutConnect, number: 2)))
        XCTAssertFalse(policy.shouldRetry(attempt(.http429, number: 3)), "the third attempt is the last")
        XCTAssertFalse(policy.shouldRetry(attempt(.http5xx)), "not listed")
        XCTAssertFalse(policy.shouldRetry(attempt(nil)), "a success")
        XCTAssertFalse(RetryPolicy(maxAttempts: 1).shouldRetry(attempt(.http429)), "one attempt: no retries")
    }

    /// retry-after (in ms) is waited exactly, capped by max_retry_after, and ignored when not honored.
    func testRetryAfterIsHonoredAndCapped() {
        var random = SplitMix64(seed: 1)
        let policy = RetryPolicy(maxRetryAfterNanos: 5_000_000_000)
        XCTAssertEqual(policy.delayNanos(afterAttempt: 1, retryAfterMillis: 250, random: &random), 250_000_000)
        XCTAssertEqual(policy.delayNanos(afterAttempt: 1, retryAfterMillis: 0.5, random: &random), 500_000)
        XCTAssertEqual(policy.delayNanos(afterAttempt: 1, retryAfterMillis: 60_000, random: &random), 5_000_000_000)
        let ignoring = RetryPolicy(backoffBaseNanos: 1_000_000, honorRetryAfter: false)
        XCTAssertLessThanOrEqual(ignoring.delayNanos(afterAttempt: 1, retryAfterMillis: 60_000, random: &random), 1_000_000)
    }

    /// Full jitter: attempt n waits uniformly in [0, min(max, base·2ⁿ⁻¹)]. 2,000 draws per attempt
    /// stay in range, spread over it (mean within 5 % of half the ceiling), and repeat with the seed.
    func testBackoffIsFullJitterUnderAnExponentialCeiling() {
        let policy = RetryPolicy(backoffBaseNanos: 100_000_000, backoffMaxNanos: 1_000_000_000)
        var random = SplitMix64(seed: 42)
        for (attemptNumber, ceiling) in [(1, 100_000_000.0), (2, 200_000_000), (3, 400_000_000), (4, 800_000_000),
                                         (5, 1_000_000_000), (30, 1_000_000_000)] {
            let draws = (0..<2_000).map { _ in
                Double(policy.delayNanos(afterAttempt: attemptNumber, retryAfterMillis: nil, random: &random))
            }
            XCTAssertLessThanOrEqual(draws.max() ?? 0, ceiling, "attempt \(attemptNumber)")
            XCTAssertGreaterThanOrEqual(draws.min() ?? -1, 0)
            XCTAssertEqual(draws.reduce(0, +) / Double(draws.count), ceiling / 2, accuracy: ceiling * 0.05,
                           "attempt \(attemptNumber)")
            XCTAssertLessThan(draws.min() ?? 0, ceiling * 0.01, "draws reach down to 0")
        }
        var first = SplitMix64(seed: 9)
        var second = SplitMix64(seed: 9)
        XCTAssertEqual((0..<5).map { _ in policy.delayNanos(afterAttempt: 3, retryAfterMillis: nil, random: &first) },
                       (0..<5).map { _ in policy.delayNanos(afterAttempt: 3, retryAfterMillis: nil, random: &second) })
    }
}
