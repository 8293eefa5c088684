import Foundation
import LoadCore

/// What a run of a profile will cost at most, for `loadgen validate`: the expected requests times
/// the most one request can cost (its prompt's estimated input tokens, and max_tokens of output,
/// at the catalog's price), averaged over the prompt mix as the requests choose prompts.
enum CostEstimate {
    /// One line, or nil when the model has no price (the pricing line says so).
    static func line(profile: Profile, mix: PromptMix, price: ModelPrice?) -> String? {
        guard let price, !mix.prompts.isEmpty else { return nil }
        let totalWeight = mix.weights.reduce(0, +)
        guard totalWeight > 0 else { return nil }
        var inputTokens = 0.0
        var outputTokens = 0.0
        var unbounded = false
        for (prompt, weight) in zip(mix.prompts, mix.weights) {
            let share = weight / totalWeight
            inputTokens += Double(TokenEstimate.tokens(characters: prompt.inputCharacters)) * share
            if let maxTokens = prompt.maxTokens ?? profile.request.maxTokens {
                outputTokens += Double(maxTokens) * share
            } else {
                unbounded = true
            }
        }
        let perRequest = price.costUSD(inputTokens: Int(inputTokens.rounded()), cachedInputTokens: 0,
                                       outputTokens: Int(outputTokens.rounded()))
        let tokens = String(format: "≈ %.0f input and %@ output tokens a request", inputTokens,
                            unbounded ? "an unbounded number of" : String(format: "at most %.0f", outputTokens))
        if unbounded {
            return "cost estimate: none: requests without max_tokens have no upper bound on output "
                + "(set request.max_tokens); \(tokens)"
        }
        guard let requests = profile.plannedRequests() else {
            return "cost estimate: up to \(dollars(perRequest)) a request (\(tokens)); the number of requests "
                + "depends on the server's speed (closed loop)"
        }
        var text = "cost estimate: up to \(dollars(perRequest * Double(requests))) for \(requests) requests "
            + "(\(tokens), at most \(dollars(perRequest)) each)"
        if let limit = profile.limits.maxCostUSD { text += "; limits.max_cost_usd stops it at \(dollars(limit))" }
        return text
    }

    private static func dollars(_ value: Double) -> String {
        value >= 100 ? String(format: "$%.0f", value) : value >= 0.01 ? String(format: "$%.2f", value)
            : String(format: "$%.6f", value)
    }
}
