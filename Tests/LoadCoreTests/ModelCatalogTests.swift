import XCTest

@testable import LoadCore

/// The models catalog: the shipped file, lookups, errors, and costs computed by hand.
final class ModelCatalogTests: XCTestCase {
    /// The catalog built into the binary is exactly `catalog/models.yaml` (regenerate with
    /// scripts/embed-catalog.sh), and it parses.
    func testShippedCatalogIsTheFileAndParses() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("catalog/models.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertEqual(ShippedModelCatalog.yaml + "\n", text, "run scripts/embed-catalog.sh")
        let catalog = ModelCatalog.shipped
        XCTAssertNotNil(catalog.asOf)
        for provider in ["openai", "anthropic", "groq", "mock"] {
            XCTAssertTrue(catalog.entries.contains { $0.provider == provider }, provider)
        }
        XCTAssertTrue(catalog.entries.allSatisfy { $0.inputPerMillion > 0 && $0.outputPerMillion > 0 })
    }

    func testLookups() {
        let catalog = ModelCatalog.shipped.adding([
            ModelPrice(provider: "openai", model: "gpt-4o", inputPerMillion: 7, outputPerMillion: 8),
        ])
        // Table: (provider, model) → input price (nil: not priced).
        let cases: [(String, String, Double?)] = [
            // exact name
            ("openai", "gpt-4o-mini", 0.15),
            // a dated snapshot uses the undated entry
            ("openai", "gpt-4o-mini-2024-07-18", 0.15),
            // later entries (profile overrides) win
            ("openai", "gpt-4o", 7),
            ("openai", "gpt-4o-2024-08-06", 7),
            // Anthropic's compact dates and -latest
            ("anthropic", "claude-sonnet-4-5-20250929", 3),
            ("anthropic", "claude-sonnet-4-20250514", 3),
            ("anthropic", "claude-3-5-haiku-latest", 0.80),
            // the longer name is not mistaken for a shorter one
            ("anthropic", "claude-opus-4-1-20250805", 15),
            ("anthropic", "claude-opus-4-5", 5),
            // Groq names with slashes
            ("groq", "meta-llama/llama-4-scout-17b-16e-instruct", 0.11),
            // the mock prices every model with its * entry
            ("mock", "mock-small", 1),
            ("mock", "anything", 1),
            // unknown model, or a model of another provider
            ("openai", "gpt-99", nil),
            ("groq", "gpt-4o", nil),
            ("openai-compatible", "llama-3-8b", nil),
        ]
        for (provider, model, input) in cases {
            XCTAssertEqual(catalog.price(provider: provider, model: model)?.inputPerMillion, input, "\(provider) \(model)")
        }
    }

    /// Costs by hand: (input − cached) × input price + cached × cached price + output × output price.
    func testCostsByHand() {
        let gpt4o = ModelPrice(provider: "openai", model: "gpt-4o", inputPerMillion: 2.50, outputPerMillion: 10.00,
                               cachedInputPerMillion: 1.25)
        // 1,000 input and 500 output: 1000 × 2.50 / 1e6 + 500 × 10 / 1e6 = 0.0025 + 0.005
        XCTAssertEqual(gpt4o.costUSD(inputTokens: 1000, cachedInputTokens: 0, outputTokens: 500), 0.0075, accuracy: 1e-12)
        // 2,006 input of which 1,920 cached, 300 output: 86 × 2.5 + 1920 × 1.25 + 300 × 10 = 215 + 2400 + 3000 = 5615 µ$
        XCTAssertEqual(gpt4o.costUSD(inputTokens: 2006, cachedInputTokens: 1920, outputTokens: 300), 0.005615, accuracy: 1e-12)
        // No cached price: cached tokens cost the input price.
        let plain = ModelPrice(provider: "groq", model: "m", inputPerMillion: 0.05, outputPerMillion: 0.08)
        XCTAssertEqual(plain.costUSD(inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 1_000_000), 0.13, accuracy: 1e-12)

        // From a record: usage when reported; counted tokens otherwise; nothing for an empty failure.
        let calculator = CostCalculator(price: gpt4o)
        var record = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 0, endNanos: 0)
        record.usageInputTokens = 100
        record.usageOutputTokens = 40
        record.countedOutputTokens = 39
        XCTAssertEqual(calculator.costUSD(of: record)!, (100 * 2.5 + 40 * 10) / 1e6, accuracy: 1e-15)
        record.usageOutputTokens = nil
        XCTAssertEqual(calculator.costUSD(of: record)!, (100 * 2.5 + 39 * 10) / 1e6, accuracy: 1e-15)
        XCTAssertEqual(calculator.costUSD(of: AttemptRecord(requestID: 1, intendedStartNanos: 0, startNanos: 0, endNanos: 0)), 0)
        XCTAssertNil(CostCalculator(price: nil).costUSD(of: record))
    }

    /// The budget: the max_tokens estimate before the first attempt ends, the mean after.
    func testCostBudget() {
        let price = ModelPrice(provider: "mock", model: "*", inputPerMillion: 1, outputPerMillion: 2)
        var budget = CostBudget(limitUSD: 0.001, price: price, maxTokens: 100)
        // Before any attempt: 100 tokens × $2/M = $0.0002 per request in flight.
        XCTAssertEqual(budget.perRequestEstimateUSD, 0.0002, accuracy: 1e-15)
        XCTAssertFalse(budget.isReached(inFlight: 4))  // 0.0008
        XCTAssertTrue(budget.isReached(inFlight: 5))   // 0.0010
        budget.add(costUSD: 0.0001)
        budget.add(costUSD: 0.0003)
        XCTAssertEqual(budget.perRequestEstimateUSD, 0.0002, accuracy: 1e-15)
        XCTAssertEqual(budget.projectedUSD(inFlight: 2), 0.0008, accuracy: 1e-15)
        XCTAssertFalse(budget.isReached(inFlight: 2))
        XCTAssertTrue(budget.isReached(inFlight: 3))
        XCTAssertTrue(budget.stopReason(inFlight: 3).hasPrefix("max_cost_usd $0.001000 reached: $0.000400 spent on 2 attempts"),
                      budget.stopReason(inFlight: 3))
    }

    func testBadCatalogsNameFileLineAndField() {
        // Table: catalog text → (line, field path, fragment).
        let cases: [(String, Int, String, String)] = [
            ("models:\n  - {provider: openai, model: x, input: 1}\n", 2, "models[0].output", "missing required field"),
            ("as_of: x\n", 1, "models", "missing required field"),
            ("models: {provider: openai}\n", 1, "models", "a list of prices"),
            ("models:\n  - {provider: openai, model: x, input: 1, output: 2, cached: 1}\n", 2, "models[0].cached", "unknown key"),
            // Duplicates used to be accepted silently, the later entry winning (issue 11).
            ("models:\n  - {provider: openai, model: x, input: 1, output: 2}\n  - {provider: anthropic, model: x, input: 1, output: 2}\n"
                + "  - {provider: openai, model: x, input: 3, output: 4}\n", 4, "models[2].model",
             "a second entry for provider openai, model x (the first is at line 2); keep one of them"),
        ]
        for (text, line, path, fragment) in cases {
            XCTAssertThrowsError(try ModelCatalog.parse(yaml: text, file: "prices.yaml")) { error in
                let problems = (error as? ProfileError)?.problems ?? []
                XCTAssertTrue(problems.contains { $0.line == line && $0.fieldPath == path && $0.message.contains(fragment)
                        && $0.file == "prices.yaml" }, "\(text)\n→ \(problems.map(\.description))")
            }
        }
    }
}
