/// Where the provider throttled: per interval, the load offered against what the provider
/// admitted (successful requests and tokens per minute), the 429s, and the remaining quota its
/// headers announced; the time and offered rate of the first 429 and of the point where 429s passed
/// 1 %; the limits the provider announced against the ceiling observed.
///
/// Every attempt counts at its start (when the provider sees it), offered arrivals at their
/// intended start. Rates are per minute, as providers state their limits.
public struct RateLimitView: Sendable, Equatable, Codable {
    /// One interval.
    public struct Row: Sendable, Equatable, Codable {
        /// Interval start, seconds since the run origin.
        public var startSeconds: Double
        /// Arrivals offered (first attempts and dropped), per minute.
        public var offeredPerMinute: Double
        /// Attempts started (retries included), per minute.
        public var attemptsPerMinute: Double
        /// Successful attempts, per minute.
        public var successesPerMinute: Double
        /// Input plus output tokens of successful attempts, per minute.
        public var successfulTokensPerMinute: Double
        /// Attempts answered 429 (count, not a rate), and their share of the interval's attempts.
        public var http429: Int
        public var http429Share: Double
        /// The lowest `remaining` the responses of the interval announced (nil: no header).
        public var remainingRequests: Double?
        public var remainingTokens: Double?

        enum CodingKeys: String, CodingKey {
            case startSeconds, offeredPerMinute, attemptsPerMinute, successesPerMinute, successfulTokensPerMinute
            case http429 = "http_429", http429Share = "http_429_share", remainingRequests, remainingTokens
        }
    }

    /// A moment of the run: when, and the load offered around it.
    public struct Point: Sendable, Equatable, Codable {
        /// Seconds since the run origin.
        public var seconds: Double
        /// Arrivals offered per second around that moment: over the 5 s centred on it (one-second
        /// bins, two before and two after; unbiased on a linear ramp).
        public var offeredPerSecond: Double
        public var offeredPerMinute: Double { offeredPerSecond * 60 }
    }

    public var intervalSeconds: Double
    public var rows: [Row]
    /// The earliest start of an attempt answered 429.
    public var first429: Point?
    /// The end of the first second at which 429s were more than 1 % of the attempts started in the
    /// trailing interval.
    public var onePercent429: Point?
    /// Attempts answered 429 in all.
    public var total429: Int
    /// The largest `limit` announced for requests, tokens, input and output tokens (nil: never
    /// announced). The provider's window applies: per minute for OpenAI and Anthropic; Groq
    /// announces requests per day and tokens per minute.
    public var announcedRequestsLimit: Double?
    public var announcedTokensLimit: Double?
    public var announcedInputTokensLimit: Double?
    public var announcedOutputTokensLimit: Double?
    /// The best interval's successful requests and tokens per minute: the ceiling observed.
    public var ceilingSuccessesPerMinute: Double
    public var ceilingTokensPerMinute: Double

    enum CodingKeys: String, CodingKey {
        case intervalSeconds, rows, first429 = "first_429", onePercent429 = "one_percent_429", total429 = "total_429"
        case announcedRequestsLimit, announcedTokensLimit, announcedInputTokensLimit, announcedOutputTokensLimit
        case ceilingSuccessesPerMinute, ceilingTokensPerMinute
    }
}

/// Builds a ``RateLimitView`` from attempts and dropped arrivals, in any order, in one-second bins.
final class RateLimitAccumulator {
    private struct Bin {
        var offered = 0
        var attempts = 0
        var successes = 0
        var http429 = 0
        var tokens = 0
        var remainingRequests: Double?
        var remainingTokens: Double?
    }

    private static let binNanos: UInt64 = 1_000_000_000
    let intervalSeconds: Int
    private var bins: [Bin] = []
    private var first429Nanos: UInt64?
    private var total429 = 0
    private var requestsLimit: Double?
    private var tokensLimit: Double?
    private var inputTokensLimit: Double?
    private var outputTokensLimit: Double?

    /// - Parameter intervalSeconds: rows of this many seconds (at least 1).
    init(intervalSeconds: Int) {
        self.intervalSeconds = max(intervalSeconds, 1)
    }

    private func index(_ nanos: UInt64) -> Int? {
        let index = nanos / Self.binNanos
        guard index < UInt64(TimeSeriesAccumulator.maxBins) else { return nil }
        let i = Int(index)
        if i >= bins.count { bins.append(contentsOf: repeatElement(Bin(), count: i + 1 - bins.count)) }
        return i
    }

    func add(_ attempt: AttemptRecord) {
        if attempt.attemptNumber <= 1, let i = index(attempt.intendedStartNanos) { bins[i].offered += 1 }
        guard let i = index(attempt.startNanos) else { return }
        bins[i].attempts += 1
        if attempt.succeeded {
            bins[i].successes += 1
            bins[i].tokens += attempt.outputTokens + (attempt.usageInputTokens ?? 0)
        } else if RunRecorder.errorClass(of: attempt) == .http429 {
            bins[i].http429 += 1
            total429 += 1
            first429Nanos = min(first429Nanos ?? attempt.startNanos, attempt.startNanos)
        }
        guard let limits = attempt.rateLimit else { return }
        if let remaining = limits.requests?.remaining {
            bins[i].remainingRequests = min(bins[i].remainingRequests ?? remaining, remaining)
        }
        if let remaining = limits.tokens?.remaining {
            bins[i].remainingTokens = min(bins[i].remainingTokens ?? remaining, remaining)
        }
        requestsLimit = Self.larger(requestsLimit, limits.requests?.limit)
        tokensLimit = Self.larger(tokensLimit, limits.tokens?.limit)
        inputTokensLimit = Self.larger(inputTokensLimit, limits.inputTokens?.limit)
        outputTokensLimit = Self.larger(outputTokensLimit, limits.outputTokens?.limit)
    }

    func addDropped(_ drops: DroppedArrivals) {
        for piece in drops.pieces(intervalNanos: Self.binNanos) {
            if let i = index(UInt64(piece.interval) * Self.binNanos) { bins[i].offered += piece.count }
        }
    }

    private static func larger(_ a: Double?, _ b: Double?) -> Double? {
        guard let b else { return a }
        return max(a ?? b, b)
    }

    /// Offered arrivals per second over the 5 one-second bins centred on `second` (fewer at the
    /// run's edges).
    private func offeredPerSecond(around second: Int) -> Double {
        let lower = max(second - 2, 0)
        let upper = min(second + 2, bins.count - 1)
        guard lower <= upper else { return 0 }
        let offered = bins[lower...upper].reduce(0) { $0 + $1.offered }
        return Double(offered) / Double(upper - lower + 1)
    }

    func view() -> RateLimitView {
        let interval = intervalSeconds
        let perMinute = 60 / Double(interval)
        var rows: [RateLimitView.Row] = []
        var ceilingSuccesses = 0.0
        var ceilingTokens = 0.0
        for start in stride(from: 0, to: bins.count, by: interval) {
            let slice = bins[start..<min(start + interval, bins.count)]
            let attempts = slice.reduce(0) { $0 + $1.attempts }
            let http429 = slice.reduce(0) { $0 + $1.http429 }
            let row = RateLimitView.Row(
                startSeconds: Double(start),
                offeredPerMinute: Double(slice.reduce(0) { $0 + $1.offered }) * perMinute,
                attemptsPerMinute: Double(attempts) * perMinute,
                successesPerMinute: Double(slice.reduce(0) { $0 + $1.successes }) * perMinute,
                successfulTokensPerMinute: Double(slice.reduce(0) { $0 + $1.tokens }) * perMinute,
                http429: http429, http429Share: attempts > 0 ? Double(http429) / Double(attempts) : 0,
                remainingRequests: slice.compactMap(\.remainingRequests).min(),
                remainingTokens: slice.compactMap(\.remainingTokens).min())
            // A last, partial interval would understate the rates: it sets no ceiling.
            if slice.count == interval || rows.isEmpty {
                ceilingSuccesses = max(ceilingSuccesses, row.successesPerMinute)
                ceilingTokens = max(ceilingTokens, row.successfulTokensPerMinute)
            }
            rows.append(row)
        }
        var first429: RateLimitView.Point?
        if let nanos = first429Nanos {
            let second = Int(nanos / Self.binNanos)
            first429 = .init(seconds: Double(nanos) / 1e9, offeredPerSecond: offeredPerSecond(around: second))
        }
        var onePercent: RateLimitView.Point?
        var windowAttempts = 0
        var window429 = 0
        for (second, bin) in bins.enumerated() {
            windowAttempts += bin.attempts
            window429 += bin.http429
            if second >= interval {
                windowAttempts -= bins[second - interval].attempts
                window429 -= bins[second - interval].http429
            }
            if windowAttempts > 0, Double(window429) > 0.01 * Double(windowAttempts) {
                onePercent = .init(seconds: Double(second + 1), offeredPerSecond: offeredPerSecond(around: second))
                break
            }
        }
        return RateLimitView(
            intervalSeconds: Double(interval), rows: rows, first429: first429, onePercent429: onePercent,
            total429: total429, announcedRequestsLimit: requestsLimit, announcedTokensLimit: tokensLimit,
            announcedInputTokensLimit: inputTokensLimit, announcedOutputTokensLimit: outputTokensLimit,
            ceilingSuccessesPerMinute: ceilingSuccesses, ceilingTokensPerMinute: ceilingTokens)
    }
}
