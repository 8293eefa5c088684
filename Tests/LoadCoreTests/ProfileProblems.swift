import XCTest

@testable import LoadCore

/// The problems a profile that must be invalid produces (a test failure when it parses).
func profileProblems(_ yaml: String, file: String = "profiles/bad.yaml") -> [ProfileProblem] {
    do {
        _ = try Profile.parse(yaml: yaml, file: file)
        XCTFail("expected a ProfileError for:\n\(yaml)")
        return []
    } catch let error as ProfileError {
        return error.problems
    } catch {
        XCTFail("unexpected error \(error)")
        return []
    }
}
