import Histogram

/// Aggregates attempts into HDR histograms and counters. Single-threaded: call it from one thread
/// (the engine's loop thread, or the report reader); shards each own one and are merged.
///
/// All histograms record microseconds, from 1 µs to 1 hour (3_600_000_000 µs), with 3
/// significant digits; values outside the range are clamped into it.
public final class RunRecorder {
    /// Lowest discernible value of every histogram, in microseconds.
    public static let lowestMicros: UInt64 = 1
    /// Highest trackable value of every histogram, in microseconds (one hour).
    public static let highestMicros: UInt64 = 3_600_000_000

    /// The latency histograms, in microseconds, indexed like `LatencyMetric.allCases`.
    /// An array mutated in place: a histogram copied out of a dictionary and stored back would copy
    /// its whole counts array on every record.
    private var storage: [Histogram<UInt64>]
    private static let metricIndex: [LatencyMetric: Int] = Dictionary(
        uniqueKeysWithValues: LatencyMetric.allCases.enumerated().map { ($1, $0) })
    /// Attempts recorded.
    public private(set) var attempts = 0
    /// Attempts that succeeded (2xx, no error).
    public private(set) var successes = 0
    /// Failed attempts by error class. A non-2xx status without a class counts as `http_4xx`/`http_5xx`.
    public private(set) var errorsByClass: [ErrorClass: Int] = [:]
    /// Attempts by HTTP status (0: no response).
    public private(set) var attemptsByStatus: [Int: Int] = [:]
    /// Output tokens of successful attempts (usage when reported, else counted).
    public private(set) var outputTokens = 0
    /// Input tokens reported by usage, successful attempts.
    public private(set) var inputTokens = 0
    /// Cost of every attempt (failed ones too) that carried one, in US dollars.
    public private(set) var costUSD = 0.0
    /// Attempts that carried a cost (0 when the model has no price).
    public private(set) var costedAttempts = 0
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

    /// A histogram with the recorder's layout (microseconds, 1 µs ... 1 h, 3 digits).
    public static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: lowestMicros, highestTrackableValue: highestMicros,
                          numberOfSignificantValueDigits: .three)
    }

    /// The histogram of one metric (microseconds).
    public func histogram(_ metric: LatencyMetric) -> Histogram<UInt64> {
        storage[Self.index(metric)]
    }

    /// Adds one attempt to the histograms and counters.
    public func record(_ attempt: AttemptRecord) {
        attempts += 1
        attemptsByStatus[attempt.status, default: 0] += 1
        if attempt.userID == nil { openLoopAttempts += 1 }
        firstStartNanos = min(firstStartNanos ?? attempt.startNanos, attempt.startNanos)
        lastEndNanos = max(lastEndNanos ?? attempt.endNanos, attempt.endNanos)
        add(.scheduleLag, from: attempt.intendedStartNanos, to: attempt.startNanos)
        if let cost = attempt.costUSD {
            costUSD += cost
            costedAttempts += 1
        }

        guard attempt.succeeded else {
            errorsByClass[Self.errorClass(of: attempt), default: 0] += 1
            return
        }
        successes += 1
        outputTokens += attempt.outputTokens
        inputTokens += attempt.usageInputTokens ?? 0
        add(.total, from: attempt.startNanos, to: attempt.endNanos)
        add(.totalFromIntended, from: attempt.intendedStartNanos, to: attempt.endNanos)
        if let firstToken = attempt.firstTokenNanos {
            add(.ttft, from: attempt.startNanos, to: firstToken)
            add(.ttftFromIntended, from: attempt.intendedStartNanos, to: firstToken)
        }
        let offsets = attempt.tokenOffsetsMicros
        if offsets.count > 1 {
            let interToken = Self.index(.interToken)
            for i in 1..<offsets.count {
                let gap = offsets[i] >= offsets[i - 1] ? UInt64(offsets[i] - offsets[i - 1]) : 0  // clamp out-of-order
                _ = storage[interToken].record(min(gap, Self.highestMicros))
            }
        }
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
        outputTokens += other.outputTokens
        inputTokens += other.inputTokens
        openLoopAttempts += other.openLoopAttempts
        costUSD += other.costUSD
        costedAttempts += other.costedAttempts
        if let start = other.firstStartNanos { firstStartNanos = min(firstStartNanos ?? start, start) }
        if let end = other.lastEndNanos { lastEndNanos = max(lastEndNanos ?? end, end) }
    }

    /// Failed attempts in total.
    public var errors: Int { attempts - successes }

    /// Wall time from the first start to the last end, in nanoseconds (0 when empty). Merged
    /// recorders are assumed to share a run origin (shards started together); throughput over
    /// runs with unrelated origins is only indicative.
    public var elapsedNanos: UInt64 {
        guard let start = firstStartNanos, let end = lastEndNanos, end > start else { return 0 }
        return end - start
    }

    /// The class a failed attempt counts under: its own, else derived from the status.
    static func errorClass(of attempt: AttemptRecord) -> ErrorClass {
        if let errorClass = attempt.errorClass { return errorClass }
        switch attempt.status {
        case 429: return .http429
        case 529: return .overloaded
        case 500...599: return .http5xx
        case 400...499: return .http4xx
        default: return .protocol
        }
    }

    private func add(_ metric: LatencyMetric, from startNanos: UInt64, to endNanos: UInt64) {
        let micros = endNanos > startNanos ? (endNanos - startNanos + 500) / 1000 : 0
        _ = storage[Self.index(metric)].record(min(micros, Self.highestMicros))
    }

    private static func index(_ metric: LatencyMetric) -> Int {
        metricIndex[metric] ?? 0
    }
}
