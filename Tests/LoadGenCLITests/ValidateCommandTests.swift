import Foundation
import XCTest

/// `loadgen validate`: run's overrides, a short plan by default, the resolved profile behind
/// --resolved, and a cost estimate from the catalog for a priced model.
final class ValidateCommandTests: XCTestCase {
    func testOverridesShortPlanAndCostEstimate() throws {
        let directory = try BinaryRunner.temporaryDirectory(self)
        let profile = try CLITestSupport.writeProfile("""
            name: priced
            target: {provider: openai, model: gpt-4o-mini, api_key_env: LOADGEN_TEST_UNSET_KEY}
            request: {max_tokens: 100}
            load: {mode: open, rate: 5, duration: 1m}
            """, in: directory).path
        let result = try BinaryRunner.run(["validate", profile, "--rate", "50", "--duration", "10s"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("expected requests: 500"), result.stdout)
        XCTAssertTrue(result.stdout.contains("cost estimate: up to $"), result.stdout)
        XCTAssertTrue(result.stdout.contains("for 500 requests"), result.stdout)
        XCTAssertFalse(result.stdout.contains("# Resolved by loadgen"), "short by default:\n\(result.stdout)")
        XCTAssertLessThan(result.stdout.split(separator: "\n").count, 30, result.stdout)

        let resolved = try BinaryRunner.run(["validate", profile, "--resolved", "--set", "limits.max_in_flight=7"])
        XCTAssertEqual(resolved.status, 0, resolved.stderr)
        XCTAssertTrue(resolved.stdout.contains("# Resolved by loadgen"), resolved.stdout)
        XCTAssertTrue(resolved.stdout.contains("max in flight: 7"), resolved.stdout)

        let bad = try BinaryRunner.run(["validate", profile, "--set", "load.rate=-1"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }
}
