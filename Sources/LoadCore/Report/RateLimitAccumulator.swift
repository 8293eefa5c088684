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
    /// The latest start, intended start or dropped arrival seen.
    private var lastArrivalNanos: UInt64 = 0
    /// The latest end of the runs' scheduled stages (nil: unknown, or a stage without a duration).
    private var plannedEndNanos: UInt64?
    private var plannedEndUnknown = false

    /// - Parameter intervalSeconds: rows of this many seconds (at least 1).
    init(intervalSeconds: Int) {
        self.intervalSeconds = max(intervalSeconds, 1)
    }

    /// A run's scheduled stages: where its arrivals were meant to end (the last interval's length).
    func addSchedule(_ stages: [RunHeader.Stage]) {
        guard let last = stages.last, let duration = last.durationNanos else {
            plannedEndUnknown = true
            return
        }
        plannedEndNanos = max(plannedEndNanos ?? 0, last.startNanos + duration)
    }

    private func index(_ nanos: UInt64) -> Int? {
        let index = nanos / Self.binNanos
        guard index < UInt64(TimeSeriesAccumulator.maxBins) else { return nil }
        lastArrivalNanos = max(lastArrivalNanos, nanos)
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
        lastArrivalNanos = max(lastArrivalNanos, drops.lastIntendedNanos)
    }

    private static func larger(_ a: Double?, _ b: Double?) -> Double? {
        guard let b else { return a }
        return max(a ?? b, b)
    }

    /// Where the arrivals ended: the schedule's end when the last arrival came within a second of
    /// it (a run that ran its course), else the last arrival (a run stopped early, or no schedule).
    var arrivalsEndNanos: UInt64 {
        if let planned = plannedEndNanos, !plannedEndUnknown, lastArrivalNanos + Self.binNanos >= planned {
            return max(planned, lastArrivalNanos)
        }
        return lastArrivalNanos
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
        let end = Double(arrivalsEndNanos) / 1e9
        var rows: [RateLimitView.Row] = []
        var ceilingSuccesses = 0.0
        var ceilingTokens = 0.0
        for start in stride(from: 0, to: bins.count, by: interval) {
            let slice = bins[start..<min(start + interval, bins.count)]
            // The last interval ends with the arrivals: its rates are over its actual length (at
            // least a second, so that a stray late retry does not make a rate of one attempt).
            let length = min(Double(interval), max(end - Double(start), 1))
            let perMinute = 60 / length
            let attempts = slice.reduce(0) { $0 + $1.attempts }
            let http429 = slice.reduce(0) { $0 + $1.http429 }
            let row = RateLimitView.Row(
                startSeconds: Double(start), lengthSeconds: length, partial: length < Double(interval),
                offeredPerMinute: Double(slice.reduce(0) { $0 + $1.offered }) * perMinute,
                attemptsPerMinute: Double(attempts) * perMinute,
                successesPerMinute: Double(slice.reduce(0) { $0 + $1.successes }) * perMinute,
                successfulTokensPerMinute: Double(slice.reduce(0) { $0 + $1.tokens }) * perMinute,
                http429: http429, http429Share: attempts > 0 ? Double(http429) / Double(attempts) : 0,
                remainingRequests: slice.compactMap(\.remainingRequests).min(),
                remainingTokens: slice.compactMap(\.remainingTokens).min())
            // A partial interval's rate is noisier: it sets the best interval only when it is the only one.
            if !row.partial || rows.isEmpty {
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
        return RateLimitView(
            intervalSeconds: Double(interval), rows: rows, first429: first429, onePercent429: onePercentPoint(),
            total429: total429, announcedRequestsLimit: requestsLimit, announcedTokensLimit: tokensLimit,
            announcedInputTokensLimit: inputTokensLimit, announcedOutputTokensLimit: outputTokensLimit,
            ceilingSuccessesPerMinute: ceilingSuccesses, ceilingTokensPerMinute: ceilingTokens,
            sustained: sustained(end: end))
    }

    /// The end of the first second at which 429s passed 1 % of the attempts of the trailing interval.
    private func onePercentPoint() -> RateLimitView.Point? {
        var windowAttempts = 0
        var window429 = 0
        for (second, bin) in bins.enumerated() {
            windowAttempts += bin.attempts
            window429 += bin.http429
            if second >= intervalSeconds {
                windowAttempts -= bins[second - intervalSeconds].attempts
                window429 -= bins[second - intervalSeconds].http429
            }
            if windowAttempts > 0, Double(window429) > 0.01 * Double(windowAttempts) {
                return .init(seconds: Double(second + 1), offeredPerSecond: offeredPerSecond(around: second))
            }
        }
        return nil
    }

    /// Successes and tokens started from the first 429's second to the end of the arrivals, per
    /// minute of that span (``RateLimitView/Sustained``).
    private func sustained(end: Double) -> RateLimitView.Sustained? {
        guard let nanos = first429Nanos else { return nil }
        let first = Int(nanos / Self.binNanos)
        let span = end - Double(first)
        guard span >= RateLimitView.minimumSustainedSeconds, first < bins.count else { return nil }
        let slice = bins[first...]
        let attempts = slice.reduce(0) { $0 + $1.attempts }
        let http429 = slice.reduce(0) { $0 + $1.http429 }
        return RateLimitView.Sustained(
            fromSeconds: Double(first), toSeconds: end,
            successesPerMinute: Double(slice.reduce(0) { $0 + $1.successes }) * 60 / span,
            tokensPerMinute: Double(slice.reduce(0) { $0 + $1.tokens }) * 60 / span,
            http429Share: attempts > 0 ? Double(http429) / Double(attempts) : 0)
    }
}
