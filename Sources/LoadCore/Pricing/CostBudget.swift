/// `limits.max_cost_usd`: decides when a run must stop sending because its spend, counted and
/// expected, has reached the limit.
///
/// The projected spend is what finished attempts cost plus an estimate for each attempt in flight:
///
///     projected = spent + in_flight × per_request_estimate
///     per_request_estimate = spent / finished attempts        (the mean so far, failures included)
///                          = max_tokens × output price        (before any attempt has finished;
///                                                              0 when max_tokens is not set)
///
/// New requests stop when `projected ≥ limit`. Attempts already in flight still finish, so the
/// final spend can pass the limit by about what they cost beyond the estimate.
public struct CostBudget: Sendable {
    /// The limit in US dollars.
    public let limitUSD: Double
    /// The estimate per request in flight before any attempt has finished.
    public let initialEstimateUSD: Double
    /// What finished attempts cost.
    public private(set) var spentUSD: Double = 0
    /// Finished attempts counted.
    public private(set) var finishedAttempts = 0

    /// - Parameters:
    ///   - limitUSD: `max_cost_usd`.
    ///   - price: the model's price (nil: every attempt costs nothing as far as the budget knows).
    ///   - maxTokens: the request's `max_tokens`, for the estimate before the first attempt ends.
    public init(limitUSD: Double, price: ModelPrice?, maxTokens: Int?) {
        self.limitUSD = limitUSD
        if let price, let maxTokens {
            initialEstimateUSD = price.costUSD(inputTokens: 0, cachedInputTokens: 0, outputTokens: maxTokens)
        } else {
            initialEstimateUSD = 0
        }
    }

    /// Counts a finished attempt's cost (nil counts as 0).
    public mutating func add(costUSD: Double?) {
        spentUSD += costUSD ?? 0
        finishedAttempts += 1
    }

    /// The expected cost of one attempt in flight.
    public var perRequestEstimateUSD: Double {
        finishedAttempts > 0 ? spentUSD / Double(finishedAttempts) : initialEstimateUSD
    }

    /// Spent plus the estimate for `inFlight` attempts.
    public func projectedUSD(inFlight: Int) -> Double {
        spentUSD + Double(max(0, inFlight)) * perRequestEstimateUSD
    }

    /// True when the projected spend has reached the limit.
    public func isReached(inFlight: Int) -> Bool {
        projectedUSD(inFlight: inFlight) >= limitUSD
    }

    /// Why the run stops, for the console and `summary.json`.
    public func stopReason(inFlight: Int) -> String {
        "max_cost_usd \(Self.dollars(limitUSD)) reached: \(Self.dollars(spentUSD)) spent on \(finishedAttempts) attempts "
            + "+ \(Self.dollars(Double(inFlight) * perRequestEstimateUSD)) estimated for \(inFlight) in flight"
    }

    /// `$0.001234`: dollars with six decimals (token prices are tiny).
    public static func dollars(_ value: Double) -> String {
        "$" + String(format: "%.6f", value)
    }
}
