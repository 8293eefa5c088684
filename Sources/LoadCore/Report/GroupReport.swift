/// The numbers of one group of attempts (all of them, one model, one stage, one run, ...), computed
/// from a ``RunRecorder``. Attempt-level counts (every HTTP try) and request-level counts (a request
/// ends with its last attempt) are kept apart; latency distributions are per successful attempt.
public struct GroupReport: Sendable, Equatable {
    /// `all`, or the group's value (a model, a provider, `stage 1: rate 5..50/s`, a status, a run).
    public var name: String
    /// The distributions, in table order (empty ones included, with count 0).
    public var metrics: [MetricStats]
    /// The measurement delay (``LatencyMetric/measurementDelay``): only when the streams carried
    /// the mock's send stamps, nil otherwise (the table, CSV and JSON stay as they were).
    public var measurementDelay: MetricStats?

    /// Requests that ended (their last attempt), of which succeeded, and failures by the class of
    /// the last attempt.
    public var requests: Int
    public var requestSuccesses: Int
    public var requestErrorsByClass: [String: Int]
    /// Every attempt, of which succeeded, failures by class, and attempts after the first of their request.
    public var attempts: Int
    public var attemptSuccesses: Int
    public var attemptErrorsByClass: [String: Int]
    /// Attempts by HTTP status (`"0"`: no response).
    public var attemptsByStatus: [String: Int]
    public var retries: Int
    /// Arrivals the schedule made (first attempts plus dropped) and those dropped.
    public var offered: Int
    public var dropped: Int

    /// First start to last end, seconds.
    public var elapsedSeconds: Double
    /// Requests that ended per second, successful ones per second, attempts per second.
    public var requestsPerSecond: Double
    public var successfulRequestsPerSecond: Double
    public var attemptsPerSecond: Double
    /// Output tokens of successful attempts, in total and per second.
    public var outputTokens: Int
    public var outputTokensPerSecond: Double
    /// Successful attempts whose output tokens were counted from the stream (no usage reported).
    public var estimatedOutputAttempts: Int
    public var inputTokens: Int
    public var cachedInputTokens: Int

    /// Cost in US dollars over every attempt with a price; nil when no attempt had one.
    public var costUSD: Double?
    /// Attempts that carried a cost, and those that did not (no price for the model).
    public var pricedAttempts: Int
    public var unpricedAttempts: Int
    /// costUSD per successful request (nil without cost or successes).
    public var costPerSuccessfulRequestUSD: Double?

    /// Computes the group's numbers.
    /// - Parameters:
    ///   - name: the group's label.
    ///   - recorder: its attempts.
    ///   - percentiles: the percentiles the views show.
    public init(name: String, recorder: RunRecorder, percentiles: [Double] = Percentiles.standard) {
        self.name = name
        metrics = ReportLayout.metrics.map {
            MetricStats(metric: $0, histogram: recorder.histogram($0), percentiles: percentiles)
        }
        let delays = recorder.histogram(.measurementDelay)
        measurementDelay = delays.totalCount > 0
            ? MetricStats(metric: .measurementDelay, histogram: delays, percentiles: percentiles) : nil
        requests = recorder.requests
        requestSuccesses = recorder.requestSuccesses
        requestErrorsByClass = Self.named(recorder.requestErrorsByClass)
        attempts = recorder.attempts
        attemptSuccesses = recorder.successes
        attemptErrorsByClass = Self.named(recorder.errorsByClass)
        attemptsByStatus = Dictionary(uniqueKeysWithValues: recorder.attemptsByStatus.map { (String($0.key), $0.value) })
        retries = recorder.retries
        offered = recorder.offered
        dropped = recorder.dropped
        elapsedSeconds = Double(recorder.elapsedNanos) / 1e9
        let seconds = elapsedSeconds
        func perSecond(_ count: Int) -> Double { seconds > 0 ? Double(count) / seconds : 0 }
        requestsPerSecond = perSecond(requests)
        successfulRequestsPerSecond = perSecond(requestSuccesses)
        attemptsPerSecond = perSecond(attempts)
        outputTokens = recorder.outputTokens
        outputTokensPerSecond = perSecond(outputTokens)
        estimatedOutputAttempts = recorder.estimatedOutputAttempts
        inputTokens = recorder.inputTokens
        cachedInputTokens = recorder.cachedInputTokens
        pricedAttempts = recorder.pricedAttempts
        unpricedAttempts = recorder.attempts - recorder.pricedAttempts
        costUSD = recorder.pricedAttempts > 0 ? recorder.costUSD : nil
        costPerSuccessfulRequestUSD = costUSD.flatMap { cost in
            recorder.requestSuccesses > 0 ? cost / Double(recorder.requestSuccesses) : nil
        }
    }

    /// The stats of one metric.
    public func stats(_ metric: LatencyMetric) -> MetricStats? { metrics.first { $0.metric == metric } }

    /// Failed requests.
    public var requestErrors: Int { requests - requestSuccesses }
    /// Failed attempts.
    public var attemptErrors: Int { attempts - attemptSuccesses }

    /// The error rate of requests: failed requests ÷ requests that ended (0 without requests). The
    /// rate the summary and the `error_rate` threshold mean; 429s retried to success do not count.
    public var requestErrorRate: Double { requests > 0 ? Double(requestErrors) / Double(requests) : 0 }
    /// The error rate of attempts: failed attempts ÷ attempts (every HTTP try, retries included).
    public var attemptErrorRate: Double { attempts > 0 ? Double(attemptErrors) / Double(attempts) : 0 }

    /// Error counts sorted by count (largest first), then name.
    public static func sortedCounts(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }

    private static func named(_ counts: [ErrorClass: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
