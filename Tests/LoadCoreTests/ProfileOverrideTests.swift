import XCTest

@testable import LoadCore

/// Command-line overrides (`--set key.path=value`, `--model`, ...) applied to a profile's YAML
/// before validation.
final class ProfileOverrideTests: XCTestCase {
    private let base = """
        name: base
        target: {provider: mock, model: mock-small}
        load:
          mode: open
          stages:
            - {duration: 5s, rate: 5}
            - {duration: 20s, rate: "5..50"}
        """

    private func parse(_ assignments: [String], yaml: String? = nil) throws -> Profile {
        let overrides = try assignments.map { try XCTUnwrap(ProfileOverride.parseAssignment($0), $0) }
        return try Profile.parse(yaml: yaml ?? base, file: "profiles/base.yaml", overrides: overrides)
    }

    private func problems(_ assignments: [String]) -> [String] {
        do {
            _ = try parse(assignments)
            XCTFail("expected problems for \(assignments)")
            return []
        } catch let error as ProfileError {
            return error.problems.map(\.description)
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testKeyPaths() {
        // Table: text → components (nil: refused).
        let cases: [(String, [ProfileOverride.Component]?)] = [
            ("load.rate", [.key("load"), .key("rate")]),
            ("load.stages[1].rate", [.key("load"), .key("stages"), .index(1), .key("rate")]),
            ("target.api_key_env", [.key("target"), .key("api_key_env")]),
            ("a[0][2]", [.key("a"), .index(0), .index(2)]),
            ("", nil),  // nothing
            ("load..rate", nil),  // an empty key
            ("load.stages[x]", nil),  // not an index
            ("load.stages[-1]", nil),  // negative
            ("load.stages[1", nil),  // unclosed
            ("load rate", nil),  // a space
        ]
        for (text, expected) in cases {
            XCTAssertEqual(ProfileOverride.parsePath(text), expected, text)
        }
        XCTAssertNil(ProfileOverride.parseAssignment("load.rate"), "no =")
        XCTAssertEqual(ProfileOverride.parseAssignment("load.stages[1].rate=7")?.keyPath, "load.stages[1].rate")
        XCTAssertEqual(ProfileOverride.parseAssignment("limits.max_requests=")?.value, .remove)
    }

    func testValuesReplaceCreateAndRemoveFields() throws {
        let profile = try parse([
            "load.stages[1].rate=7",  // inside a list
            "load.stages[2]={duration: 1s, rate: 3}",  // appended (index = count)
            "limits.max_in_flight=64",  // a section the file does not have
            "target.model=other-model",
            "seed=9",
            "thresholds.ttft_p99=800ms",
            "name=changed",
        ])
        XCTAssertEqual(profile.load.stages.map(\.level), [.constant(5), .constant(7), .constant(3)])
        XCTAssertEqual(profile.load.stages.last?.durationNanos, 1_000_000_000)
        XCTAssertEqual(profile.limits.maxInFlight, 64)
        XCTAssertEqual(profile.target.model, "other-model")
        XCTAssertEqual(profile.seed, 9)
        XCTAssertEqual(profile.thresholds.checks.map(\.name), ["ttft_p99"])
        XCTAssertEqual(profile.name, "changed")

        // Later overrides win; an empty value removes a field so that its default applies.
        let limited = try parse(["limits.max_requests=10", "limits.max_requests=20"])
        XCTAssertEqual(limited.limits.maxRequests, 20)
        let removed = try parse(["limits.max_requests=10", "limits.max_requests="])
        XCTAssertNil(removed.limits.maxRequests)
        let shorter = try parse(["load.stages[1]="])
        XCTAssertEqual(shorter.load.stages.count, 1)

        // A literal string value stays a string (a model named "null" or "1.5").
        let literal = try Profile.parse(
            yaml: base, file: "p.yaml",
            overrides: [ProfileOverride(path: [.key("target"), .key("model")], value: .string("1.5"), source: "--model 1.5")])
        XCTAssertEqual(literal.target.model, "1.5")
    }

    func testProblemsInOverriddenValuesNameTheFlag() {
        // A bad value is reported as one in the file would be, without a line (it is not in the
        // file), and with the flag it came from.
        XCTAssertEqual(problems(["load.stages[0].rate=fifty"]), [
            "profiles/base.yaml: load.stages[0].rate: expected a positive number or a ramp like \"1..50\", got \"fifty\" "
                + "(the value came from --set load.stages[0].rate=fifty)",
        ])
        // An unknown key set on the command line is named with a suggestion, as in a file.
        let unknown = problems(["limits.max_inflight=5"])
        XCTAssertEqual(unknown.count, 1)
        XCTAssertTrue(unknown[0].hasPrefix("profiles/base.yaml: limits.max_inflight: unknown key \"max_inflight\"; did you mean \"max_in_flight\"?"), unknown[0])
        XCTAssertTrue(unknown[0].hasSuffix("(the key came from --set limits.max_inflight=5; "
            + "did you mean --set limits.max_in_flight=5?)"), unknown[0])
        // Problems elsewhere in the file keep their line and column.
        let mixed = try? parse(["load.rate=5"])
        XCTAssertNil(mixed)
        XCTAssertTrue(problems(["load.rate=5"]).contains {
            $0 == "profiles/base.yaml: load.rate: give either stages: or the rate/duration shorthand, not both "
                + "(the value came from --set load.rate=5)"
        }, "\(problems(["load.rate=5"]))")
    }

    func testPathsThatCannotBeFollowed() {
        XCTAssertEqual(problems(["load.stages[5].rate=3"]), [
            "profiles/base.yaml: load.stages[5].rate: --set load.stages[5].rate=3: load.stages has 2 entries; "
                + "give an index from 0 to 2 (2 appends one)",
        ])
        XCTAssertEqual(problems(["load.mode.x=1"]), [
            "profiles/base.yaml: load.mode.x: --set load.mode.x=1: load.mode is not a mapping, so it has no key \"x\"",
        ])
        XCTAssertEqual(problems(["load[0]=1"]), [
            "profiles/base.yaml: load[0]: --set load[0]=1: load is not a list, so it has no entry [0]",
        ])
        XCTAssertEqual(problems(["target.model=[unclosed"]).count, 1)
        XCTAssertTrue(problems(["target.model=[unclosed"])[0].contains("the value is not valid YAML"))
    }

    func testAnEmptyFileCanBeCompletedFromTheCommandLine() throws {
        let profile = try Profile.parse(
            yaml: "", file: "empty.yaml",
            overrides: ["target={provider: mock}", "load={mode: closed, users: 2, requests: 4}"].map {
                try XCTUnwrap(ProfileOverride.parseAssignment($0))
            })
        XCTAssertEqual(profile.limits.maxRequests, 4)
    }
}
