import Histogram
import LoadCore
import LoadEngine

/// The last seconds of a run, for the live display: per-second buckets of finished attempts
/// (output tokens, small TTFT and start-lag histograms each) in a ring covering 10 s, and the
/// progress ticks' start and success counts and loop idle time, whose last 2 s give the current
/// rates and the loop's busy fraction (a 10 s average would lag far behind a ramp).
///
/// A value: the loop thread records into its copy (a few additions and one histogram record per
/// attempt) and hands a copy to the display's writer thread each tick, which computes the
/// snapshot (merging 10 histograms of about 3,000 counters) off the loop. Copying is cheap: the
/// histograms' storage is shared until the loop writes to a bucket again.
struct LiveWindow {
    static let seconds: UInt64 = 10
    /// The span of the sent and ok rates.
    static let rateNanos: UInt64 = 2_000_000_000

    private struct Bucket {
        var second: UInt64 = .max
        var outputTokens = 0
        var ttftMicros: Histogram<UInt64>
        var startLagMicros: Histogram<UInt64>
    }

    /// Figures over the window.
    struct Snapshot: Equatable {
        /// Length of the window actually covered (shorter in the first 10 s), seconds.
        var spanSeconds: Double
        var ttftP50Millis: Double?
        var ttftP99Millis: Double?
        var outputTokensPerSecond: Double
        /// Requests handed to libcurl, and requests that succeeded, per second over the last 2 s.
        var startedPerSecond: Double?
        var successesPerSecond: Double?
        /// The loop's busy fraction over the last 2 s (nil without libuv's idle-time metric).
        var loopBusyFraction: Double?
        /// Start lag of the attempts that ended in the window, p90 and p99.
        var startLagP90Millis: Double?
        var startLagP99Millis: Double?
    }

    /// One more than the window, so that the bucket being filled never evicts one still counted.
    private var buckets: [Bucket]
    private var ticks: [(elapsedNanos: UInt64, started: Int, successes: Int, loopNanos: UInt64, loopIdleNanos: UInt64?)]
        = []

    init() {
        buckets = (0...Self.seconds).map { _ in
            Bucket(ttftMicros: Self.makeHistogram(), startLagMicros: Self.makeHistogram())
        }
    }

    /// Two significant digits (1 % precision) from 1 µs to 1 h: about 3,000 counters.
    private static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                          numberOfSignificantValueDigits: .two)
    }

    /// Counts a finished attempt in the second it ended.
    mutating func record(_ attempt: AttemptRecord) {
        let second = attempt.endNanos / 1_000_000_000
        let index = Int(second % UInt64(buckets.count))
        if buckets[index].second != second {
            buckets[index].second = second
            buckets[index].outputTokens = 0
            buckets[index].ttftMicros.reset()
            buckets[index].startLagMicros.reset()
        }
        let lag = attempt.startNanos > attempt.intendedStartNanos ? attempt.startNanos - attempt.intendedStartNanos : 0
        _ = buckets[index].startLagMicros.record(min(lag / 1_000, RunRecorder.highestMicros))
        guard attempt.succeeded else { return }
        buckets[index].outputTokens += attempt.outputTokens
        if let firstToken = attempt.firstTokenNanos, firstToken >= attempt.startNanos {
            let micros = min(max((firstToken - attempt.startNanos) / 1_000, 1), RunRecorder.highestMicros)
            _ = buckets[index].ttftMicros.record(micros)
        }
    }

    /// Remembers a tick's counts, for the rates, and the loop's clock and idle time, for its busy fraction.
    mutating func recordTick(elapsedNanos: UInt64, started: Int, successes: Int, loopNanos: UInt64 = 0,
                             loopIdleNanos: UInt64? = nil) {
        // The run clock starts again after a warm-up (ticks come during it too): forget those ticks.
        if let last = ticks.last, elapsedNanos < last.elapsedNanos { ticks.removeAll() }
        ticks.append((elapsedNanos, started, successes, loopNanos, loopIdleNanos))
        while let first = ticks.first, elapsedNanos - first.elapsedNanos > Self.rateNanos {
            ticks.removeFirst()
        }
    }

    /// The window ending at `nowNanos` (run clock): the current second and the 9 before it.
    func snapshot(atNanos nowNanos: UInt64) -> Snapshot {
        let nowSecond = nowNanos / 1_000_000_000
        let firstSecond = nowSecond >= Self.seconds - 1 ? nowSecond - (Self.seconds - 1) : 0
        let span = max(Double(nowNanos - firstSecond * 1_000_000_000) / 1e9, 0.001)
        var merged = Self.makeHistogram()
        var lags = Self.makeHistogram()
        var tokens = 0
        for bucket in buckets where bucket.second >= firstSecond && bucket.second <= nowSecond {
            tokens += bucket.outputTokens
            if bucket.ttftMicros.totalCount > 0 { merged.add(bucket.ttftMicros) }
            if bucket.startLagMicros.totalCount > 0 { lags.add(bucket.startLagMicros) }
        }
        var startRate: Double?
        var successRate: Double?
        var busy: Double?
        if let first = ticks.first, let last = ticks.last, last.elapsedNanos > first.elapsedNanos {
            let seconds = Double(last.elapsedNanos - first.elapsedNanos) / 1e9
            startRate = Double(last.started - first.started) / seconds
            successRate = Double(last.successes - first.successes) / seconds
            if let idleFirst = first.loopIdleNanos, let idleLast = last.loopIdleNanos, idleLast >= idleFirst,
               last.loopNanos > first.loopNanos {
                busy = LoopBusy.fraction(idleNanos: idleLast - idleFirst, wallNanos: last.loopNanos - first.loopNanos)
            }
        }
        let hasTTFT = merged.totalCount > 0
        let hasLag = lags.totalCount > 0
        return Snapshot(
            spanSeconds: span,
            ttftP50Millis: hasTTFT ? Double(merged.valueAtPercentile(50)) / 1000 : nil,
            ttftP99Millis: hasTTFT ? Double(merged.valueAtPercentile(99)) / 1000 : nil,
            outputTokensPerSecond: Double(tokens) / span,
            startedPerSecond: startRate,
            successesPerSecond: successRate,
            loopBusyFraction: busy,
            startLagP90Millis: hasLag ? Double(lags.valueAtPercentile(90)) / 1000 : nil,
            startLagP99Millis: hasLag ? Double(lags.valueAtPercentile(99)) / 1000 : nil)
    }
}
