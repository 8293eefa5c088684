import XCTest

@testable import LoadCore

final class DotEnvTests: XCTestCase {
    func testParsesTheCommonForms() throws {
        let text = """
            # a comment
            OPENAI_API_KEY=sk-plain
            export GROQ_API_KEY = "gsk quoted # not a comment"
            SINGLE='it''s kept'
            TRAILING=value # a comment
            EMPTY=

            WINDOWS=crlf\r
            """
        let values = try DotEnv.parse(text, file: ".env")
        XCTAssertEqual(values["OPENAI_API_KEY"], "sk-plain")
        XCTAssertEqual(values["GROQ_API_KEY"], "gsk quoted # not a comment")
        XCTAssertEqual(values["SINGLE"], "it''s kept")
        XCTAssertEqual(values["TRAILING"], "value")
        XCTAssertEqual(values["EMPTY"], "")
        XCTAssertEqual(values["WINDOWS"], "crlf")
        XCTAssertEqual(values.count, 6)
    }

    /// A bad line is reported by number, and its content (maybe a key) is not repeated.
    func testBadLineNamesTheLineButNotItsContent() {
        XCTAssertThrowsError(try DotEnv.parse("A=1\nsk-secret-without-name\n", file: "/x/.env")) { error in
            let problem = error as? DotEnv.Problem
            XCTAssertEqual(problem, DotEnv.Problem(file: "/x/.env", line: 2))
            XCTAssertFalse("\(error)".contains("sk-secret"))
            XCTAssertTrue("\(error)".hasPrefix("/x/.env:2: "))
        }
        XCTAssertThrowsError(try DotEnv.parse("BAD NAME=1", file: ".env"))
    }

    func testTheEnvironmentWins() throws {
        let merged = try DotEnv.merged(
            environment: ["KEY": "from-env"], dotEnvPath: ".env", contents: "KEY=from-file\nOTHER=x")
        XCTAssertEqual(merged, ["KEY": "from-env", "OTHER": "x"])
        XCTAssertEqual(try DotEnv.merged(environment: ["A": "1"], dotEnvPath: ".env", contents: nil), ["A": "1"])
    }
}
