import Foundation
import XCTest

/// Runs of the binary against the embedded mock speaking each dialect: costs per attempt and in
/// total against hand-computed values, max_cost_usd, the pricing options and faults in a run.
final class CostRunTests: XCTestCase {
    private func run(_ profileText: String, arguments: [String] = [], files: [String: String] = [:]) throws
        -> (result: BinaryRunner.Result, attempts: [[String: Any]], summary: [String: Any])
    {
        let directory = try BinaryRunner.temporaryDirectory(self)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let profile = directory.appendingPathComponent("profile.yaml")
        try profileText.write(to: profile, atomically: true, encoding: .utf8)
        let runs = directory.appendingPathComponent("runs")
        let result = try BinaryRunner.run(["--profile", profile.path, "--output", runs.path] + arguments)
        // 5: max_cost_usd stopped the run; the run directory is complete all the same.
        guard result.status == 0 || result.status == 5 else { return (result, [], [:]) }
        let entries = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        let run = runs.appendingPathComponent(try XCTUnwrap(entries.first))
        let lines = try String(contentsOf: run.appendingPathComponent("events.ndjson"), encoding: .utf8).split(separator: "\n")
        let attempts = try lines.compactMap { line -> [String: Any]? in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "attempt" ? object : nil
        }
        let document = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any])
        // The overall figures, and the loadgen section's (stop_reason) beside them.
        var summary = try XCTUnwrap(document["overall"] as? [String: Any])
        summary["stop_reason"] = (document["loadgen"] as? [String: Any])?["stop_reason"]
        return (result, attempts, summary)
    }

    /// The mock's catalog price is $1 per million input and $2 per million output tokens. The
    /// default prompt "Say hello in one short sentence." is 32 bytes: 8 input tokens to the mock;
    /// 12 output tokens: (8 × 1 + 12 × 2) / 10⁶ = $0.000032 per request, $0.0016 for 50.
    func testCostsMatchHandComputedValuesInEveryDialect() throws {
        for dialect in ["openai", "anthropic", "groq"] {
            let (result, attempts, summary) = try run("""
                target: {provider: mock, mock: {dialect: \(dialect), ttft: 5ms, inter_token: 1ms, output_tokens: 12}}
                load: {mode: closed, users: 5, requests: 50}
                """, arguments: ["--quiet"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(attempts.count, 50, dialect)
            for attempt in attempts {
                XCTAssertEqual(attempt["usage_input_tokens"] as? Int, 8, dialect)
                XCTAssertEqual(attempt["usage_output_tokens"] as? Int, 12, dialect)
                XCTAssertEqual(try XCTUnwrap(attempt["cost_usd"] as? Double), 0.000032, accuracy: 1e-12, dialect)
                XCTAssertEqual(attempt["provider_queue_us"] != nil, dialect == "groq", dialect)
            }
            XCTAssertEqual(try XCTUnwrap(summary["cost_usd"] as? Double), 0.0016, accuracy: 1e-10, dialect)
            // One cost line, the report's: the total and the cost per successful request.
            let costLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("cost:") }
            XCTAssertEqual(costLines, ["cost: $0.0016 ($0.000032 per successful request)"], result.stdout)
        }
    }

    /// --models replaces the catalog; profile pricing.models overrides on top of it.
    func testPricingOptions() throws {
        let base = "target: {provider: mock, mock: {ttft: 1ms, inter_token: 0s, output_tokens: 10}}\n"
            + "load: {mode: closed, users: 1, requests: 4}\n"
        // --models: $10 / $20 per million: (8 × 10 + 10 × 20) / 10⁶ = $0.00028 per request.
        let file = "models:\n  - {provider: mock, model: mock-small, input: 10, output: 20}\n"
        let replaced = try run(base, arguments: ["--quiet", "--models", "prices.yaml"], files: ["prices.yaml": file])
        XCTAssertEqual(replaced.result.status, 2, "a relative --models path is read from the working directory, not the profile's")
        let directory = try BinaryRunner.temporaryDirectory(self)
        let prices = directory.appendingPathComponent("prices.yaml")
        try file.write(to: prices, atomically: true, encoding: .utf8)
        let withFile = try run(base, arguments: ["--quiet", "--models", prices.path])
        XCTAssertEqual(withFile.result.status, 0, withFile.result.stderr)
        XCTAssertEqual(try XCTUnwrap(withFile.summary["cost_usd"] as? Double), 4 * 0.00028, accuracy: 1e-12)

        // Profile entries win: cached input priced too (none here), output $100: (8 + 10 × 100) / 10⁶.
        let overridden = try run(base + "pricing: {models: [{provider: mock, model: mock-small, input: 1, output: 100}]}",
                                 arguments: ["--quiet", "--models", prices.path])
        XCTAssertEqual(try XCTUnwrap(overridden.summary["cost_usd"] as? Double), 4 * 0.001008, accuracy: 1e-12)

        // A bad catalog names its file and line, exit 2.
        try "models:\n  - {provider: mock, model: x, input: free, output: 1}\n".write(to: prices, atomically: true, encoding: .utf8)
        let bad = try run(base, arguments: ["--models", prices.path])
        XCTAssertEqual(bad.result.status, 2)
        XCTAssertTrue(bad.result.stderr.contains("prices.yaml:2:"), bad.result.stderr)
        XCTAssertTrue(bad.result.stderr.contains("models[0].input"), bad.result.stderr)

        // max_cost_usd for a model without a price: refused before anything is sent.
        let unpriced = try run("target: {provider: mock}\nload: {mode: closed, users: 1, requests: 1}\nlimits: {max_cost_usd: 1}",
                               arguments: ["--models", prices.path.replacingOccurrences(of: "prices", with: "none")])
        XCTAssertEqual(unpriced.result.status, 2)
        let empty = directory.appendingPathComponent("empty.yaml")
        try "models: []\n".write(to: empty, atomically: true, encoding: .utf8)
        let noPrice = try run("target: {provider: mock}\nload: {mode: closed, users: 1, requests: 1}\nlimits: {max_cost_usd: 1}",
                              arguments: ["--models", empty.path])
        XCTAssertEqual(noPrice.result.status, 2)
        XCTAssertTrue(noPrice.result.stderr.contains("max_cost_usd needs a price for model mock-small"), noPrice.result.stderr)
    }

    /// $0.000032 per request against a $0.002 limit: about 62 requests. Open loop at 100/s for 10 s
    /// offers 1,000; the run stops new requests once spent + in flight × mean reaches the limit and
    /// ends near it (tolerance: the limit −5 % to +10 %, what the few requests in flight add).
    func testMaxCostStopsTheRunNearTheLimit() throws {
        let (result, attempts, summary) = try run("""
            target: {provider: mock, mock: {ttft: 20ms, inter_token: 1ms, output_tokens: 12}}
            load: {mode: open, rate: 100, duration: 10s}
            limits: {max_cost_usd: 0.002}
            """)
        XCTAssertEqual(result.status, 5, "stopped by max_cost_usd: \(result.stderr)")
        let cost = try XCTUnwrap(summary["cost_usd"] as? Double)
        XCTAssert((0.0019...0.0022).contains(cost), "spent \(cost) of 0.002")
        XCTAssert((59...69).contains(attempts.count), "\(attempts.count) attempts")
        let reason = try XCTUnwrap(summary["stop_reason"] as? String)
        XCTAssertTrue(reason.hasPrefix("max_cost_usd $0.002000 reached"), reason)
        XCTAssertTrue(result.stdout.contains("stopped early: max_cost_usd $0.002000 reached"), result.stdout)
        XCTAssertTrue(result.stderr.contains("stopping new requests: max_cost_usd"), result.stderr)
        XCTAssertTrue(result.stderr.contains("pricing mock-small at $1 input, $2 output"), result.stderr)
    }

    /// Faults from the profile: their classes in the table, the run completes.
    func testProfileFaultsShowInTheSummary() throws {
        let (result, attempts, summary) = try run("""
            target:
              provider: mock
              mock:
                dialect: anthropic
                ttft: 2ms
                inter_token: 1ms
                output_tokens: 5
                faults:
                  - {kind: http, status: 529, rate: 0.2}
                  - {kind: overloaded_event, after_tokens: 2, rate: 0.2}
                  - {kind: disconnect, after_tokens: 1, rate: 0.2}
            load: {mode: closed, users: 4, requests: 100}
            seed: 3
            """, arguments: ["--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(attempts.count, 100)
        let errors = try XCTUnwrap(summary["attempt_errors_by_class"] as? [String: Int])
        XCTAssertGreaterThan(errors["overloaded"] ?? 0, 20, "\(errors)")
        XCTAssertGreaterThan(errors["protocol"] ?? 0, 5, "\(errors)")
        XCTAssertTrue(result.stdout.contains("overloaded"), result.stdout)
        XCTAssertGreaterThan(summary["attempt_successes"] as? Int ?? 0, 20)
    }
}
