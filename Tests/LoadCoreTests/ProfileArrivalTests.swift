import XCTest
@testable import LoadCore

/// `load.arrival` and `load.burstiness` in profiles.
final class ProfileArrivalTests: XCTestCase {
    private func problems(_ yaml: String) -> [ProfileProblem] {
        profileProblems(yaml)
    }

    func testAcceptedArrivals() throws {
        // Table: load: lines → parsed arrival process.
        let cases: [(String, ArrivalProcess)] = [
            // default
            ("  mode: open\n  rate: 5\n  duration: 10s", .constant),
            // explicit constant
            ("  mode: open\n  arrival: constant\n  rate: 5\n  duration: 10s", .constant),
            // Poisson
            ("  mode: open\n  arrival: poisson\n  rate: 5\n  duration: 10s", .poisson),
            // gamma, bursty
            ("  mode: open\n  arrival: gamma\n  burstiness: 0.5\n  rate: 5\n  duration: 10s", .gamma(burstiness: 0.5)),
            // gamma, regular, with stages
            ("  mode: open\n  arrival: gamma\n  burstiness: 4\n  stages: [{duration: 10s, rate: 1..5}]", .gamma(burstiness: 4)),
        ]
        for (load, expected) in cases {
            let yaml = "target: {provider: mock}\nload:\n\(load)\n"
            let profile = try Profile.parse(yaml: yaml, file: "profiles/p.yaml")
            XCTAssertEqual(profile.load.arrival, expected, yaml)
            // The resolved YAML keeps the process.
            let again = try Profile.parse(yaml: profile.resolvedYAML(), file: "resolved.yaml")
            XCTAssertEqual(again, profile, profile.resolvedYAML())
        }
        let resolved = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, arrival: gamma, burstiness: 0.25, rate: 5, duration: 1s}",
                                         file: "p.yaml").resolvedYAML()
        XCTAssertTrue(resolved.contains("  arrival: gamma\n  burstiness: 0.25\n"), resolved)
        let closed = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: closed, users: 2, duration: 1s}", file: "p.yaml")
        XCTAssertEqual(closed.load.arrival, .constant)
        XCTAssertFalse(closed.resolvedYAML().contains("arrival"))
    }

    func testSadPaths() {
        // Table: load: lines (line 4 of the file onwards) → (field path, line, column, fragment of the message).
        // The position is that of the offending value: column 12 for arrival:, 15 for burstiness:.
        let cases: [(String, String, Int, Int, String)] = [
            // gamma without burstiness: reported at the arrival value
            ("  mode: open\n  rate: 5\n  duration: 10s\n  arrival: gamma", "load.burstiness", 7, 12, "missing required field for arrival: gamma"),
            // burstiness without gamma (default constant)
            ("  mode: open\n  rate: 5\n  duration: 10s\n  burstiness: 2", "load.burstiness", 7, 15, "only to arrival: gamma"),
            // burstiness with poisson
            ("  mode: open\n  arrival: poisson\n  burstiness: 2\n  rate: 5\n  duration: 10s", "load.burstiness", 6, 15, "arrival is poisson"),
            // zero burstiness
            ("  mode: open\n  arrival: gamma\n  burstiness: 0\n  rate: 5\n  duration: 10s", "load.burstiness", 6, 15, "positive number"),
            // negative burstiness
            ("  mode: open\n  arrival: gamma\n  burstiness: -1\n  rate: 5\n  duration: 10s", "load.burstiness", 6, 15, "got \"-1\""),
            // not a number
            ("  mode: open\n  arrival: gamma\n  burstiness: high\n  rate: 5\n  duration: 10s", "load.burstiness", 6, 15, "got \"high\""),
            // unknown arrival value
            ("  mode: open\n  rate: 5\n  arrival: poison\n  duration: 10s", "load.arrival", 6, 12, "expected constant | poisson | gamma | trace, got \"poison\""),
            // arrival in closed mode (even constant)
            ("  mode: closed\n  users: 4\n  duration: 10s\n  arrival: constant", "load.arrival", 7, 12, "only to mode: open"),
            // burstiness in closed mode
            ("  mode: closed\n  users: 4\n  burstiness: 1\n  duration: 10s", "load.burstiness", 6, 15, "only to mode: open"),
        ]
        for (load, path, line, column, fragment) in cases {
            let yaml = "target: {provider: mock}\nname: arrivals\nload:\n\(load)\n"
            let found = problems(yaml)
            XCTAssertEqual(found.count, 1, "\(yaml)\n→ \(found.map(\.description))")
            XCTAssertTrue(found.contains { $0.fieldPath == path && $0.line == line && $0.column == column
                                && $0.message.contains(fragment) },
                          "\(yaml)\n→ \(found.map(\.description))")
        }
        // The full text names file, line, column and field.
        let text = problems("target: {provider: mock}\nload:\n  mode: open\n  arrival: gamma\n  burstiness: 0\n  rate: 1\n  duration: 1s\n")
            .map(\.description)
        XCTAssertEqual(text.count, 1)
        XCTAssertTrue(text.first?.hasPrefix("profiles/bad.yaml:5:15: load.burstiness: expected a positive number") == true, "\(text)")
    }

    func testLoadSettingsFactoryPicksTheProcess() {
        let stages = [Stage(durationNanos: 1_000_000_000, level: .constant(10))]
        XCTAssertTrue(Profile.LoadSettings(mode: .open, stages: stages).makeArrivalSchedule(seed: 1) is OpenLoopSchedule)
        XCTAssertTrue(Profile.LoadSettings(mode: .open, stages: stages, arrival: .poisson)
            .makeArrivalSchedule(seed: 1) is PoissonSchedule)
        let gamma = Profile.LoadSettings(mode: .open, stages: stages, arrival: .gamma(burstiness: 0.5))
            .makeArrivalSchedule(seed: 1)
        XCTAssertEqual((gamma as? GammaSchedule)?.burstiness, 0.5)
    }
}
