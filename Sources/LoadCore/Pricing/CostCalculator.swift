/// The cost of each attempt from its tokens and its model's price.
///
/// Input tokens come from the provider's usage (0 when it reported none, e.g. an error response);
/// output tokens from usage when reported, else the counted deltas (an estimate, as the record
/// says). A failed attempt without tokens costs 0.
public struct CostCalculator: Sendable {
    /// The model's price; nil when the catalog has none (then no attempt gets a cost).
    public let price: ModelPrice?

    public init(price: ModelPrice?) {
        self.price = price
    }

    /// The attempt's cost in US dollars, or nil when the model has no price.
    public func costUSD(of record: AttemptRecord) -> Double? {
        guard let price else { return nil }
        return price.costUSD(inputTokens: record.usageInputTokens ?? 0,
                             cachedInputTokens: record.usageCachedInputTokens ?? 0,
                             outputTokens: record.outputTokens)
    }
}
