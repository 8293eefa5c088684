/// When and how long to wait before trying a failed request again (`retries:` in a profile).
/// Off unless the profile asks: in a rate-limit test a 429 is a result, not a hiccup.
///
/// The wait before attempt *n* + 1 (after attempt *n* failed with a class in `retryOn`):
/// - when `honorRetryAfter` and the response said `retry-after-ms` or `retry-after`: that wait,
///   capped at `maxRetryAfterNanos`;
/// - otherwise exponential backoff with full jitter (as AWS's architecture blog calls it): a
///   uniform draw from [0, min(`backoffMaxNanos`, `backoffBaseNanos` · 2ⁿ⁻¹)], from the run's seeded
///   generator, so a run's waits are reproducible.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request, the first included (1: never retry).
    public var maxAttempts: Int
    /// The error classes that are retried.
    public var retryOn: Set<ErrorClass>
    /// The backoff's first ceiling.
    public var backoffBaseNanos: UInt64
    /// The backoff's largest ceiling.
    public var backoffMaxNanos: UInt64
    /// Wait what the server asked for (`retry-after-ms`, `retry-after`) instead of the backoff.
    public var honorRetryAfter: Bool
    /// The longest server-requested wait honored; longer requests wait this long.
    public var maxRetryAfterNanos: UInt64

    /// The classes retried when a profile gives `retries:` without `on:`: rate limits, overload,
    /// server errors and failures to connect (which sent nothing the server could act on).
    public static let defaultRetryOn: Set<ErrorClass> = [.http429, .http5xx, .overloaded, .connect, .timeoutConnect]

    public init(maxAttempts: Int = 3, retryOn: Set<ErrorClass> = RetryPolicy.defaultRetryOn,
                backoffBaseNanos: UInt64 = 500_000_000, backoffMaxNanos: UInt64 = 30_000_000_000,
                honorRetryAfter: Bool = true, maxRetryAfterNanos: UInt64 = 60_000_000_000) {
        self.maxAttempts = maxAttempts
        self.retryOn = retryOn
        self.backoffBaseNanos = backoffBaseNanos
        self.backoffMaxNanos = backoffMaxNanos
        self.honorRetryAfter = honorRetryAfter
        self.maxRetryAfterNanos = maxRetryAfterNanos
    }

    /// True when the request of this finished attempt should be tried again.
    public func shouldRetry(_ record: AttemptRecord) -> Bool {
        guard record.attemptNumber < maxAttempts, let errorClass = record.errorClass else { return false }
        return retryOn.contains(errorClass)
    }

    /// The wait after a failed attempt.
    /// - Parameters:
    ///   - attemptNumber: the attempt that failed (1 for the first).
    ///   - retryAfterMillis: the wait the response asked for, if any.
    ///   - random: the run's seeded generator (one draw when the backoff is used).
    public func delayNanos(afterAttempt attemptNumber: Int, retryAfterMillis: Double?,
                           random: inout SplitMix64) -> UInt64 {
        if honorRetryAfter, let millis = retryAfterMillis, millis.isFinite, millis >= 0 {
            let nanos = millis * 1_000_000
            return nanos >= Double(maxRetryAfterNanos) ? maxRetryAfterNanos : UInt64(nanos.rounded(.up))
        }
        let doublings = min(max(attemptNumber - 1, 0), 40)
        let ceiling = min(Double(backoffMaxNanos), Double(backoffBaseNanos) * Double(UInt64(1) << UInt64(doublings)))
        // nextUnitInterval is in (0, 1]: scale it to [0, ceiling].
        let draw = (random.nextUnitInterval() - 0x1p-53) * ceiling
        return UInt64(max(0, draw).rounded())
    }
}
