import XCTest

@testable import LoadCore

/// Providers, their defaults, the mock's dialect and faults, pricing and max_cost_usd in profiles.
final class ProfileDialectTests: XCTestCase {
    private let load = "\nload: {mode: open, rate: 1, duration: 1s}"

    func testProviderDefaults() throws {
        // Table: target → (dialect, base URL, key variable).
        let cases: [(String, APIDialect, String?, String?)] = [
            // OpenAI: its API root and key.
            ("{provider: openai, model: gpt-4o}", .openAI, "https://api.openai.com/v1", "OPENAI_API_KEY"),
            // Anthropic: Messages at api.anthropic.com.
            ("{provider: anthropic, model: claude-sonnet-4-5}", .anthropic, "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY"),
            // Groq: its OpenAI-compatible root.
            ("{provider: groq, model: llama-3.1-8b-instant}", .groq, "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
            // OpenAI-compatible: the given root, no key unless named.
            ("{provider: openai-compatible, model: m, base_url: \"http://127.0.0.1:8000/v1\"}", .openAI, "http://127.0.0.1:8000/v1", nil),
            // ... or with one.
            ("{provider: openai-compatible, model: m, base_url: \"http://127.0.0.1:8000/v1\", api_key_env: VLLM_KEY}",
             .openAI, "http://127.0.0.1:8000/v1", "VLLM_KEY"),
            // A base_url replaces the default (e.g. a proxy), the key variable stays.
            ("{provider: anthropic, model: claude-haiku-4-5, base_url: \"http://127.0.0.1:9/v1\"}", .anthropic, "http://127.0.0.1:9/v1",
             "ANTHROPIC_API_KEY"),
            // The mock speaks OpenAI by default ...
            ("{provider: mock}", .openAI, nil, nil),
            // ... and the dialect it is told.
            ("{provider: mock, mock: {dialect: anthropic}}", .anthropic, nil, nil),
            ("{provider: mock, mock: {dialect: groq}}", .groq, nil, nil),
        ]
        for (target, dialect, baseURL, keyEnv) in cases {
            let profile = try Profile.parse(yaml: "target: " + target + load, file: "p.yaml")
            XCTAssertEqual(profile.target.dialect, dialect, target)
            XCTAssertEqual(profile.target.baseURL, baseURL, target)
            XCTAssertEqual(profile.target.apiKeyEnv, keyEnv, target)
        }
    }

    func testAnthropicVersionAndMaxTokens() throws {
        let plain = try Profile.parse(yaml: "target: {provider: anthropic, model: claude-3-5-haiku}" + load, file: "a.yaml")
        XCTAssertEqual(plain.target.anthropicVersion, "2023-06-01")
        XCTAssertEqual(plain.largestMaxTokens, 1024, "Anthropic requires max_tokens: 1024 unless the profile sets one")
        let pinned = try Profile.parse(
            yaml: "target: {provider: anthropic, model: m, anthropic_version: 2024-01-01}\nrequest: {max_tokens: 64}" + load,
            file: "a.yaml")
        XCTAssertEqual(pinned.target.anthropicVersion, "2024-01-01")
        XCTAssertEqual(pinned.largestMaxTokens, 64)
        let openAI = try Profile.parse(yaml: "target: {provider: openai, model: gpt-4o}" + load, file: "o.yaml")
        XCTAssertNil(openAI.largestMaxTokens, "OpenAI: max_tokens is not sent unless set")
        let perPrompt = try Profile.parse(
            yaml: "target: {provider: openai, model: gpt-4o}\nprompts: [{messages: a, max_tokens: 16}, {messages: b, max_tokens: 300}]"
                + load, file: "o.yaml")
        XCTAssertEqual(perPrompt.largestMaxTokens, 300, "the largest of the prompts' own limits")
    }

    func testMockFaults() throws {
        let profile = try Profile.parse(yaml: """
            target:
              provider: mock
              mock:
                faults:
                  - {kind: http, status: 529, rate: 0.1}
                  - {kind: error_event, after_tokens: 3, rate: 0.1}
                  - {kind: overloaded_event, rate: 0.1}
                  - {kind: disconnect, after_tokens: 5, rate: 0.1}
                  - {kind: malformed, after_tokens: 2, rate: 0.1}
                  - {kind: stall, after_tokens: 0, duration: 2s, rate: 0.1}
                  - {kind: stall, rate: 0.1}
            """ + load, file: "f.yaml")
        XCTAssertEqual(profile.target.mock?.faults, [
            Profile.MockFault(kind: .http, rate: 0.1, status: 529),
            Profile.MockFault(kind: .errorEvent, rate: 0.1, afterTokens: 3),
            Profile.MockFault(kind: .overloadedEvent, rate: 0.1),
            Profile.MockFault(kind: .disconnect, rate: 0.1, afterTokens: 5),
            Profile.MockFault(kind: .malformed, rate: 0.1, afterTokens: 2),
            Profile.MockFault(kind: .stall, rate: 0.1, stallNanos: 2_000_000_000),
            Profile.MockFault(kind: .stall, rate: 0.1),
        ])
    }

    func testPricingAndCostLimit() throws {
        let profile = try Profile.parse(yaml: """
            target: {provider: openai-compatible, model: llama-3-8b, base_url: "http://127.0.0.1:8000/v1"}
            load: {mode: open, rate: 1, duration: 1s}
            limits: {max_cost_usd: 2.5}
            pricing:
              models:
                - {provider: openai-compatible, model: llama-3-8b, input: 0.05, output: 0.08}
            """, file: "p.yaml")
        XCTAssertEqual(profile.limits.maxCostUSD, 2.5)
        XCTAssertEqual(profile.pricing.models, [ModelPrice(provider: "openai-compatible", model: "llama-3-8b",
                                                           inputPerMillion: 0.05, outputPerMillion: 0.08)])
        XCTAssertEqual(profile.modelCatalog().price(provider: "openai-compatible", model: "llama-3-8b")?.outputPerMillion, 0.08)
        // The built-in catalog is still there underneath.
        XCTAssertEqual(profile.modelCatalog().price(provider: "openai", model: "gpt-4o")?.inputPerMillion, 2.50)
    }

    func testPricingCatalogFileRelativeToTheProfile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "as_of: \"2030-01\"\nmodels:\n  - {provider: openai, model: gpt-4o, input: 9, output: 99}\n"
            .write(to: directory.appendingPathComponent("prices.yaml"), atomically: true, encoding: .utf8)
        let profilePath = directory.appendingPathComponent("p.yaml").path
        let yaml = "target: {provider: openai, model: gpt-4o}\npricing: {catalog: prices.yaml}" + load
        let profile = try Profile.parse(yaml: yaml, file: profilePath)
        let catalog = profile.modelCatalog()
        XCTAssertEqual(catalog.asOf, "2030-01")
        XCTAssertEqual(catalog.price(provider: "openai", model: "gpt-4o")?.outputPerMillion, 99)
        XCTAssertNil(catalog.price(provider: "openai", model: "gpt-4o-mini"), "the file replaces the built-in catalog")

        // A bad entry in the catalog file is reported with the catalog's own file and line.
        try "models:\n  - {provider: openai, model: gpt-4o, input: cheap, output: 1}\n"
            .write(to: directory.appendingPathComponent("prices.yaml"), atomically: true, encoding: .utf8)
        let found = profileProblems(yaml, file: profilePath)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(found.first?.file.hasSuffix("prices.yaml") == true, "\(found)")
        XCTAssertEqual(found.first?.line, 2)
        XCTAssertEqual(found.first?.fieldPath, "models[0].input")
    }

    func testSadPaths() {
        // Table: YAML → (field path, fragment of the message).
        let cases: [(String, String, String)] = [
            // a typo in the provider lists every provider
            ("target: {provider: antropic, model: m}", "target.provider", "mock | openai | anthropic | groq | openai-compatible"),
            // anthropic needs a model, and the example is one of its own
            ("target: {provider: anthropic}", "target.model", "claude"),
            // anthropic_version on another provider
            ("target: {provider: openai, model: m, anthropic_version: 2023-06-01}", "target.anthropic_version", "only to provider anthropic"),
            // temperature beyond Anthropic's range
            ("target: {provider: anthropic, model: m}\nrequest: {temperature: 1.5}", "request.temperature", "from 0 to 1"),
            // ... also for the mock speaking Anthropic
            ("target: {provider: mock, mock: {dialect: anthropic}}\nrequest: {temperature: 2}", "request.temperature", "from 0 to 1"),
            // unknown mock dialect
            ("target: {provider: mock, mock: {dialect: cohere}}", "target.mock.dialect", "openai | anthropic | groq"),
            // unknown fault kind
            ("target: {provider: mock, mock: {faults: [{kind: explode}]}}", "target.mock.faults[0].kind", "http | error_event"),
            // http fault without status
            ("target: {provider: mock, mock: {faults: [{kind: http}]}}", "target.mock.faults[0].status", "missing required field"),
            // after_tokens on an http fault
            ("target: {provider: mock, mock: {faults: [{kind: http, status: 500, after_tokens: 2}]}}",
             "target.mock.faults[0].after_tokens", "stream faults"),
            // duration on a fault that is not a stall
            ("target: {provider: mock, mock: {faults: [{kind: disconnect, duration: 1s}]}}", "target.mock.faults[0].duration", "only to kind: stall"),
            // rates beyond 1 in total
            ("target: {provider: mock, mock: {faults: [{kind: disconnect, rate: 0.7}, {kind: malformed, rate: 0.5}]}}",
             "target.mock.faults", "add up to 1.2"),
            // a rate out of range
            ("target: {provider: mock, mock: {faults: [{kind: malformed, rate: 2}]}}", "target.mock.faults[0].rate", "from 0 to 1"),
            // max_cost_usd not positive
            ("target: {provider: mock}\nlimits: {max_cost_usd: 0}", "limits.max_cost_usd", "positive number"),
            // max_cost_usd not a number
            ("target: {provider: mock}\nlimits: {max_cost_usd: \"$5\"}", "limits.max_cost_usd", "positive number"),
            // a price entry missing its output price
            ("target: {provider: mock}\npricing: {models: [{provider: openai, model: x, input: 1}]}", "pricing.models[0].output",
             "missing required field"),
            // a negative price
            ("target: {provider: mock}\npricing: {models: [{provider: openai, model: x, input: -1, output: 1}]}",
             "pricing.models[0].input", "number >= 0"),
            // an unknown provider in a price entry
            ("target: {provider: mock}\npricing: {models: [{provider: azure, model: x, input: 1, output: 1}]}",
             "pricing.models[0].provider", "expected mock | openai"),
            // a catalog file that does not exist
            ("target: {provider: mock}\npricing: {catalog: /nonexistent/prices.yaml}", "pricing.catalog", "cannot read"),
        ]
        for (yaml, path, fragment) in cases {
            let found = profileProblems(yaml + load)
            XCTAssertTrue(found.contains { $0.fieldPath == path && $0.message.contains(fragment) },
                          "\(yaml)\n→ \(found.map(\.description))")
        }
    }

    func testResolvedYAMLRoundTrips() throws {
        let inputs = [
            "target: {provider: anthropic, model: claude-sonnet-4-5, anthropic_version: 2023-06-01}\nrequest: {max_tokens: 50}",
            "target: {provider: groq, model: \"meta-llama/llama-4-scout-17b-16e-instruct\"}",
            "target: {provider: mock, mock: {dialect: groq, faults: [{kind: http, status: 529, rate: 0.25}, "
                + "{kind: stall, after_tokens: 2, duration: 1500ms, rate: 0.25}, {kind: stall, rate: 0.1}, "
                + "{kind: malformed, after_tokens: 4, rate: 0.1}]}}\nlimits: {max_cost_usd: 0.125}",
            "target: {provider: mock}\npricing: {models: [{provider: mock, model: \"*\", input: 3, output: 4.5, cached_input: 0.3}]}",
        ]
        for yaml in inputs {
            let profile = try Profile.parse(yaml: yaml + load, file: "profiles/x.yaml")
            let resolved = profile.resolvedYAML()
            XCTAssertEqual(try Profile.parse(yaml: resolved, file: "elsewhere.yaml"), profile, resolved)
        }
    }
}
