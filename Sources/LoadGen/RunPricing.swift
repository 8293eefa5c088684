import Foundation
import LoadCore

/// The prices a run uses: the catalog (built in, the profile's `pricing.catalog`, or `--models`),
/// the target model's price, the per-attempt cost calculator and the `max_cost_usd` budget.
struct RunPricing {
    let catalog: ModelCatalog
    let price: ModelPrice?
    let calculator: CostCalculator
    let budget: CostBudget?
    private let provider: String
    private let model: String

    /// - Throws: `CLIError` (exit 2) when `--models` cannot be read, or `max_cost_usd` is set for a
    ///   model without a price.
    init(profile: Profile, modelsFile: String?) throws {
        var replacement: ModelCatalog?
        if let modelsFile {
            do {
                replacement = try ModelCatalog.load(path: modelsFile)
            } catch {
                throw CLIError("invalid models catalog (--models):\n\(error)", exitCode: 2)
            }
        }
        catalog = profile.modelCatalog(replacing: replacement)
        provider = profile.target.provider.rawValue
        model = profile.target.model
        price = catalog.price(provider: provider, model: model)
        calculator = CostCalculator(price: price)
        if let limit = profile.limits.maxCostUSD {
            guard let price else {
                throw CLIError(
                    "limits.max_cost_usd needs a price for model \(model) of provider \(provider), and the models catalog "
                        + "has none; add one under pricing.models, e.g. {provider: \(provider), model: \(model), "
                        + "input: 1.00, output: 2.00}", exitCode: 2)
            }
            budget = CostBudget(limitUSD: limit, price: price, maxTokens: profile.largestMaxTokens)
        } else {
            budget = nil
        }
    }

    /// One line for the console: the price used, or that costs are not computed.
    var description: String {
        guard let price else {
            return "no price for model \(model) of provider \(provider) in the models catalog: costs are not computed "
                + "(add one under pricing.models or with --models FILE)"
        }
        func money(_ value: Double) -> String { String(format: "$%g", value) }
        var text = "pricing \(model) at \(money(price.inputPerMillion)) input, \(money(price.outputPerMillion)) output"
        if let cached = price.cachedInputPerMillion { text += ", \(money(cached)) cached input" }
        text += " per million tokens"
        if let asOf = catalog.asOf { text += " (catalog as of \(asOf); verify)" }
        if let budget { text += "; max_cost_usd \(CostBudget.dollars(budget.limitUSD))" }
        return text
    }
}
