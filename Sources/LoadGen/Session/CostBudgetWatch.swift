import LoadCore
import LoadEngine

/// `limits.max_cost_usd` during a run: adds each attempt's cost to the spend and stops arrivals
/// once the spend so far plus an estimate for what is in flight reaches the limit (``CostBudget``).
/// Runs on the engine's loop thread.
struct CostBudgetWatch {
    private var budget: CostBudget?
    /// The reason arrivals were stopped, once they were.
    private(set) var stopReason: String?

    init(budget: CostBudget?) {
        self.budget = budget
    }

    /// Counts an attempt's cost. - Returns: the reason to stop arrivals, the first time the budget is reached.
    mutating func add(costUSD: Double?, inFlight: Int) -> String? {
        guard var spend = budget else { return nil }
        spend.add(costUSD: costUSD)
        budget = spend
        guard stopReason == nil, spend.isReached(inFlight: inFlight) else { return nil }
        let reason = spend.stopReason(inFlight: inFlight)
        stopReason = reason
        return reason
    }
}
