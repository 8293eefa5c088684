import Histogram

/// Aggregates attempts into HDR histograms and counters: the numbers behind every summary table,
/// live in `loadgen` and from event logs in `loadreport`. Single-threaded: call it from one thread
/// (the engine's loop thread, or the report reader); shards each own one and are merged.
///
/// Histograms record microseconds (times) or thousandths of a token per second (the rate), from 1
/// to 3,600,000,000 with 3 significant digits; values outside the range are clamped into it.
///
/// Attempt-level and request-level counts are kept apart: an attempt is one HTTP try; a request
/// ends with its last attempt (one without `willRetry`), and succeeds or fails with it.
public final class RunRecorder {
    /// Lowest discernible value of every histogram (1 µs; 0.001 token/s).
    public static let lowestMicros: UInt64 = 1
    /// Highest trackable value of every histogram (one hour in µs; 3.6 million tokens/s).
    public static let highestMicros: UInt64 = 3_600_000_000

    /// The histograms, indexed by ``LatencyMetric/position``. An array mutated in place: a histogram
    /// copied out of a dictionary and stored back would copy its whole counts array on every record.
    private var storage: [Histogram<UInt64>]

    // MARK: Attempts (every HTTP try)

    /// Attempts recorded.
    public private(set) var attempts = 0
    /// Attempts that succeeded (2xx, no error).
    public private(set) var successes = 0
    /// Failed attempts by error class. A non-2xx status without a class counts as `http_4xx`/`http_5xx`.
    public private(set) var errorsByClass: [ErrorClass: Int] = [:]
    /// Attempts by HTTP status (0: no response).
    public private(set) var attemptsByStatus: [Int: Int] = [:]
    /// Attempts after the first of their request (`attemptNumber > 1`).
    public private(set) var retries = 0

    // MARK: Requests (a request ends with its last attempt)

    /// Requests that ended: attempts without `willRetry`.
    public private(set) var requests = 0
    /// Requests whose last attempt succeeded.
    public private(set) var requestSuccesses = 0
    /// Failed requests by the error class of their last attempt.
    public private(set) var requestErrorsByClass: [ErrorClass: Int] = [:]
    /// Offered load: first attempts plus dropped arrivals (arrivals the schedule made).
    public private(set) var offered = 0
    /// Open-loop arrivals dropped because every slot and the wait queue were full.
    public private(set) var dropped = 0

    // MARK: Tokens and cost

    /// Output tokens of successful attempts (usage when reported, else counted).
    public private(set) var outputTokens = 0
    /// Successful attempts whose output tokens were counted from the stream (no usage reported).
    public private(set) var estimatedOutputAttempts = 0
    /// Input tokens reported by usage, successful attempts.
    public private(set) var inputTokens = 0
    /// Cached input tokens reported by usage, successful attempts.
    public private(set) var cachedInputTokens = 0
    /// Sum of `costUSD` over every attempt that has one (failed attempts may cost too).
    public var costUSD: Double { Double(costPicoUSD) / 1e12 }
    /// The cost in millionths of a micro-dollar: integers, so that merged recorders add up exactly.
    private var costPicoUSD: Int64 = 0
    /// Attempts that carried a cost.
    public private(set) var pricedAttempts = 0

    // MARK: Time

    /// Attempts without a closed-loop user (open loop).
    public private(set) var openLoopAttempts = 0
    /// Earliest startNanos recorded.
    public private(set) var firstStartNanos: UInt64?
    /// Latest endNanos recorded.
    public private(set) var lastEndNanos: UInt64?

    /// Creates an empty recorder.
    public init() {
        storage = LatencyMetric.allCases.map { _ in Self.makeHistogram() }
    }

    /// A histogram with the recorder's layout (1 ... 3.6e9, 3 significant digits).
    public static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: lowestMicros, highestTrackableValue: highestMicros,
                          numberOfSignificantValueDigits: .three)
    }

    /// The histogram of one metric (see ``LatencyMetric/unit``).
    public func histogram(_ metric: LatencyMetric) -> Histogram<UInt64> {
        storage[metric.position]
    }

    /// Adds one attempt to the histograms and counters. Its timestamps are taken at the event
    /// log's resolution (0.1 µs), so that a recorder fed live and one fed from the log agree exactly.
    public func record(_ live: AttemptRecord) {
        let attempt = Self.atLogResolution(live)
        attempts += 1
        attemptsByStatus[attempt.status, default: 0] += 1
        if attempt.attemptNumber > 1 { retries += 1 } else { offered += 1 }
        if attempt.userID == nil { openLoopAttempts += 1 }
        if let cost = attempt.costUSD, cost.isFinite {
            costPicoUSD &+= Int64(exactly: (cost * 1e12).rounded()) ?? 0
            pricedAttempts += 1
        }
        firstStartNanos = min(firstStartNanos ?? attempt.startNanos, attempt.startNanos)
        lastEndNanos = max(lastEndNanos ?? attempt.endNanos, attempt.endNanos)
        let succeeded = attempt.succeeded
        if !attempt.willRetry {
            requests += 1
            if succeeded {
                requestSuccesses += 1
            } else {
                requestErrorsByClass[Self.errorClass(of: attempt), default: 0] += 1
            }
        }
        if succeeded {
            successes += 1
            outputTokens += attempt.outputTokens
            if attempt.outputTokensEstimated { estimatedOutputAttempts += 1 }
            inputTokens += attempt.usageInputTokens ?? 0
            cachedInputTokens += attempt.usageCachedInputTokens ?? 0
        } else {
            errorsByClass[Self.errorClass(of: attempt), default: 0] += 1
        }
        addLatencies(of: attempt)
    }

    /// Adds one attempt to the histograms only, not to the counters: for recorders that stand for
    /// distributions alone, as ``IntervalHistogramLog``'s one per interval (half the work of
    /// ``record(_:)``, which runs once per attempt for the run as well).
    public func recordLatencies(_ live: AttemptRecord) {
        addLatencies(of: Self.atLogResolution(live))
    }

    /// The histograms' part of ``record(_:)``, of an attempt already at the log's resolution.
    private func addLatencies(of attempt: AttemptRecord) {
        add(.scheduleLag, from: attempt.intendedStartNanos, to: attempt.startNanos)
        if !attempt.measurementDelaysMicros.isEmpty {
            let delay = LatencyMetric.measurementDelay.position
            for micros in attempt.measurementDelaysMicros {
                _ = storage[delay].record(min(UInt64(micros), Self.highestMicros))
            }
        }
        guard attempt.succeeded else { return }
        let tokens = attempt.outputTokens
        add(.total, from: attempt.startNanos, to: attempt.endNanos)
        add(.totalFromIntended, from: attempt.intendedStartNanos, to: attempt.endNanos)
        if let firstToken = attempt.firstTokenNanos {
            add(.ttft, from: attempt.startNanos, to: firstToken)
            add(.ttftFromIntended, from: attempt.intendedStartNanos, to: firstToken)
            if tokens >= 2, attempt.endNanos > firstToken {
                let perToken = (attempt.endNanos - firstToken) / UInt64(tokens - 1)
                add(.timePerOutputToken, from: 0, to: perToken)
            }
        }
        if tokens >= 1, attempt.endNanos > attempt.startNanos {
            // Thousandths of a token per second: tokens × 10^12 / nanoseconds, rounded.
            let nanos = Double(attempt.endNanos - attempt.startNanos)
            let milliTokensPerSecond = (Double(tokens) * 1e12 / nanos).rounded()
            recordClamped(.outputTokensPerSecond, milliTokensPerSecond)
        }
        let offsets = attempt.tokenOffsetsMicros
        if offsets.count > 1 {
            let interToken = LatencyMetric.interToken.position
            for i in 1..<offsets.count {
                let gap = offsets[i] >= offsets[i - 1] ? UInt64(offsets[i] - offsets[i - 1]) : 0  // clamp out-of-order
                _ = storage[interToken].record(min(gap, Self.highestMicros))
            }
        }
    }

    /// Counts open-loop arrivals that were dropped (never sent): offered load, not attempts.
    public func recordDropped(count: Int = 1) {
        dropped += count
        offered += count
    }

    /// Adds another recorder's histograms and counters into this one (shards, runs).
    public func merge(_ other: RunRecorder) {
        for index in storage.indices {
            storage[index].add(other.storage[index])
        }
        attempts += other.attempts
        successes += other.successes
        errorsByClass.merge(other.errorsByClass, uniquingKeysWith: +)
        attemptsByStatus.merge(other.attemptsByStatus, uniquingKeysWith: +)
        retries += other.retries
        requests += other.requests
        requestSuccesses += other.requestSuccesses
        requestErrorsByClass.merge(other.requestErrorsByClass, uniquingKeysWith: +)
        offered += other.offered
        dropped += other.dropped
        outputTokens += other.outputTokens
        estimatedOutputAttempts += other.estimatedOutputAttempts
        inputTokens += other.inputTokens
        cachedInputTokens += other.cachedInputTokens
        costPicoUSD &+= other.costPicoUSD
        pricedAttempts += other.pricedAttempts
        openLoopAttempts += other.openLoopAttempts
        if let start = other.firstStartNanos { firstStartNanos = min(firstStartNanos ?? start, start) }
        if let end = other.lastEndNanos { lastEndNanos = max(lastEndNanos ?? end, end) }
    }

    /// Failed attempts in total.
    public var errors: Int { attempts - successes }

    /// Failed requests in total.
    public var requestErrors: Int { requests - requestSuccesses }

    /// Wall time from the first start to the last end, in nanoseconds (0 when empty). Merged
    /// recorders are assumed to share a run origin (shards started together); throughput over
    /// runs with unrelated origins is only indicative.
    public var elapsedNanos: UInt64 {
        guard let start = firstStartNanos, let end = lastEndNanos, end > start else { return 0 }
        return end - start
    }

    /// The class a failed attempt counts under: its own, else derived from the status.
    public static func errorClass(of attempt: AttemptRecord) -> ErrorClass {
        if let errorClass = attempt.errorClass { return errorClass }
        switch attempt.status {
        case 429: return .http429
        case 529: return .overloaded
        case 500...599: return .http5xx
        case 400...499: return .http4xx
        default: return .protocol
        }
    }

    /// Nanoseconds rounded to the event log's 100 ns, as ``EventLogWriter`` writes them.
    static func atLogResolution(_ nanos: UInt64) -> UInt64 {
        (nanos / 100 + (nanos % 100 >= 50 ? 1 : 0)) * 100
    }

    /// The attempt with its timestamps at the event log's resolution.
    private static func atLogResolution(_ live: AttemptRecord) -> AttemptRecord {
        var attempt = live
        attempt.intendedStartNanos = atLogResolution(live.intendedStartNanos)
        attempt.startNanos = atLogResolution(live.startNanos)
        attempt.endNanos = atLogResolution(live.endNanos)
        attempt.firstTokenNanos = live.firstTokenNanos.map(atLogResolution)
        return attempt
    }

    private func add(_ metric: LatencyMetric, from startNanos: UInt64, to endNanos: UInt64) {
        let micros = endNanos > startNanos ? (endNanos - startNanos + 500) / 1000 : 0
        _ = storage[metric.position].record(min(micros, Self.highestMicros))
    }

    private func recordClamped(_ metric: LatencyMetric, _ value: Double) {
        let clamped = value < 0 ? 0 : min(value, Double(Self.highestMicros))
        _ = storage[metric.position].record(UInt64(clamped))
    }
}
