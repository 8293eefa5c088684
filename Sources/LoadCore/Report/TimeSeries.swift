import Histogram

/// The run cut into equal intervals on the run's clock (from its origin): what was offered,
/// started, completed and failed in each, how many were in flight at its end, TTFT percentiles
/// and output tokens/s. Memory grows with the run's duration (one bin per interval), never with
/// the number of attempts.
///
/// Which time puts an attempt in an interval: offered (first attempts and dropped arrivals) by
/// intended start; started, and TTFT, by start; completed, successes, 429s and other errors by
/// end; output tokens by the arrival of each token (a successful attempt's output tokens spread
/// evenly over its token arrivals; at its end when it has none).
public struct TimeSeries: Sendable, Equatable, Codable {
    // JSON keys are the CSV's columns (docs/report.md): `start_s`, `output_tokens_per_s`, ...
    /// One interval.
    public struct Row: Sendable, Equatable, Codable {
        /// Interval start, seconds since the run origin.
        public var startSeconds: Double
        /// First attempts and dropped arrivals whose intended start falls in the interval.
        public var offered: Int
        /// Attempts started (every attempt, retries included).
        public var started: Int
        /// Attempts that ended, of which succeeded, answered 429, or failed otherwise.
        public var completed: Int
        public var successes: Int
        public var http429: Int
        public var otherErrors: Int
        /// Attempts started but not ended at the interval's end.
        public var inFlight: Int
        /// TTFT percentiles of successful attempts started in the interval (2 significant
        /// digits); nil when there were none.
        public var ttftP50Millis: Double?
        public var ttftP99Millis: Double?
        /// Output tokens that arrived in the interval, per second.
        public var outputTokensPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case startSeconds = "start_s", offered, started, completed, successes, http429 = "http_429"
            case otherErrors = "other_errors", inFlight = "in_flight"
            case ttftP50Millis = "ttft_p50_ms", ttftP99Millis = "ttft_p99_ms", outputTokensPerSecond = "output_tokens_per_s"
        }
    }

    /// The interval, seconds.
    public var intervalSeconds: Double
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_s", rows
    }
}

/// Builds a ``TimeSeries`` from attempts and dropped arrivals, in any order.
final class TimeSeriesAccumulator {
    /// At most this many intervals are kept; later timestamps are counted in ``beyondLastBin``.
    static let maxBins = 1_000_000

    private struct Bin {
        var offered = 0
        var started = 0
        var completed = 0
        var successes = 0
        var http429 = 0
        var otherErrors = 0
        var outputTokens = 0.0
        var ttft: Histogram<UInt32>?
    }

    let intervalNanos: UInt64
    private var bins: [Bin] = []
    /// Events whose time fell past ``maxBins`` intervals (a corrupt timestamp, or a tiny interval).
    private(set) var beyondLastBin = 0

    init(intervalNanos: UInt64) {
        self.intervalNanos = max(intervalNanos, 1)
    }

    /// The index of the bin holding `nanos`, growing the bins; nil past ``maxBins``.
    private func index(_ nanos: UInt64) -> Int? {
        let index = nanos / intervalNanos
        guard index < UInt64(Self.maxBins) else {
            beyondLastBin += 1
            return nil
        }
        let i = Int(index)
        if i >= bins.count { bins.append(contentsOf: repeatElement(Bin(), count: i + 1 - bins.count)) }
        return i
    }

    func add(_ attempt: AttemptRecord) {
        if attempt.attemptNumber <= 1, let i = index(attempt.intendedStartNanos) { bins[i].offered += 1 }
        if let i = index(attempt.startNanos) {
            bins[i].started += 1
            if attempt.succeeded, let firstToken = attempt.firstTokenNanos {
                let micros = firstToken > attempt.startNanos ? (firstToken - attempt.startNanos + 500) / 1000 : 0
                if bins[i].ttft == nil { bins[i].ttft = Self.makeIntervalHistogram() }
                _ = bins[i].ttft!.record(min(max(micros, 1), RunRecorder.highestMicros))
            }
        }
        if let i = index(attempt.endNanos) {
            bins[i].completed += 1
            if attempt.succeeded {
                bins[i].successes += 1
            } else if RunRecorder.errorClass(of: attempt) == .http429 {
                bins[i].http429 += 1
            } else {
                bins[i].otherErrors += 1
            }
        }
        guard attempt.succeeded else { return }
        let tokens = Double(attempt.outputTokens)
        let offsets = attempt.tokenOffsetsMicros
        if offsets.isEmpty {
            if let i = index(attempt.endNanos) { bins[i].outputTokens += tokens }
        } else {
            let share = tokens / Double(offsets.count)
            for offset in offsets {
                if let i = index(attempt.startNanos + UInt64(offset) * 1000) { bins[i].outputTokens += share }
            }
        }
    }

    func addDropped(_ drops: DroppedArrivals) {
        for piece in drops.pieces(intervalNanos: intervalNanos) {
            if let i = index(UInt64(piece.interval) * intervalNanos) { bins[i].offered += piece.count }
        }
    }

    /// Small per-interval histograms: microseconds, 2 significant digits (about 13 KB each).
    static func makeIntervalHistogram() -> Histogram<UInt32> {
        Histogram<UInt32>(lowestDiscernibleValue: 1, highestTrackableValue: RunRecorder.highestMicros,
                          numberOfSignificantValueDigits: .two)
    }

    func timeSeries() -> TimeSeries {
        let seconds = Double(intervalNanos) / 1e9
        var inFlight = 0
        let rows = bins.enumerated().map { index, bin -> TimeSeries.Row in
            inFlight += bin.started - bin.completed
            // p50 and p99 in one pass.
            let ttft = bin.ttft.flatMap { $0.totalCount > 0 ? $0.valuesAtPercentiles([50, 99]) : nil }
            return TimeSeries.Row(
                startSeconds: Double(index) * seconds, offered: bin.offered, started: bin.started,
                completed: bin.completed, successes: bin.successes, http429: bin.http429,
                otherErrors: bin.otherErrors, inFlight: inFlight, ttftP50Millis: ttft.map { Double($0[0]) / 1000 },
                ttftP99Millis: ttft.map { Double($0[1]) / 1000 }, outputTokensPerSecond: bin.outputTokens / seconds)
        }
        return TimeSeries(intervalSeconds: seconds, rows: rows)
    }
}
