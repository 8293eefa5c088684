import XCTest

@testable import LoadCore

/// Messages for common slips (issues 11 and 17): a swapped pair of letters, a typo in a `--set`
/// key, a duration without a unit, a folder given as the profile.
final class ProfileMessageTests: XCTestCase {
    private let yaml = "target: {provider: mock}\nload: {mode: open, rate: 5, duration: 2s}\n"

    func testSwappedLettersGetASuggestion() {
        let problems = profileProblems("target: {provider: mock}\nload: {mode: open, rtae: 5, duration: 2s}\n")
        XCTAssertTrue(problems.contains {
            $0.description.hasPrefix("profiles/bad.yaml:2:20: load.rtae: unknown key \"rtae\"; did you mean \"rate\"?")
        }, "\(problems)")
        XCTAssertEqual(KeySuggestion.distance("rtae", "rate"), 1)
        XCTAssertEqual(KeySuggestion.distance("laod", "load"), 1)
        XCTAssertEqual(KeySuggestion.distance("stags", "stages"), 1)
        XCTAssertEqual(KeySuggestion.distance("abc", "cba"), 2)
        XCTAssertEqual(KeySuggestion.nearest(to: "druation", in: ["duration", "rate"]), "duration")
    }

    func testATypoInASetKeyNamesTheFlagAndTheMeantPath() throws {
        let override = try XCTUnwrap(ProfileOverride.parseAssignment("laod.rate=5"))
        XCTAssertThrowsError(try Profile.parse(yaml: yaml, file: "p.yaml", overrides: [override])) { error in
            XCTAssertEqual("\(error)", "p.yaml: laod: unknown key \"laod\"; did you mean \"load\"? Valid keys: name, target, "
                + "prompts, request, load, limits, seed, retries, thresholds, pricing, sweep (the key came from --set laod.rate=5; "
                + "did you mean --set load.rate=5?)")
        }
        let nested = try XCTUnwrap(ProfileOverride.parseAssignment("limits.max_in_fligth=5"))
        XCTAssertThrowsError(try Profile.parse(yaml: yaml, file: "p.yaml", overrides: [nested])) { error in
            XCTAssertTrue("\(error)".hasSuffix("(the key came from --set limits.max_in_fligth=5; "
                + "did you mean --set limits.max_in_flight=5?)"), "\(error)")
        }
    }

    func testPlainNumberDurationsAskForAUnit() {
        let problems = profileProblems("target: {provider: mock}\nload: {mode: open, rate: 5, duration: 10}\n")
        XCTAssertEqual(problems.map(\.description), [
            "profiles/bad.yaml:2:39: load.duration: expected a duration with a unit like 500ms, 30s, 2m or 1h, "
                + "got the plain number 10; add a unit, e.g. 10s or 10ms",
        ])
    }

    func testAFolderGivenAsTheProfileSaysSo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("profile-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try yaml.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Profile.load(path: folder.path)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): cannot read the profile: this is a folder; give a YAML file; "
                + "it holds e.g. \(folder.path)/a.yaml")
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"))
        }
        XCTAssertThrowsError(try ModelCatalog.load(path: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("cannot read the models catalog: this is a folder"), "\(error)")
        }
        XCTAssertThrowsError(try Profile.load(path: folder.path + "/missing.yaml")) { error in
            XCTAssertTrue("\(error)".hasSuffix("cannot read the profile: there is no file at this path"), "\(error)")
        }
    }
}
