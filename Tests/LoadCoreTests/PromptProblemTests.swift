import Foundation
import XCTest

@testable import LoadCore

/// Bad prompt-set files and bad `prompts:` values: each problem names the right file, line,
/// column and field, and says what would be valid.
final class PromptProblemTests: XCTestCase {
    /// One bad case: the set file `s.yaml` (when given), the profile's `prompts:` text (from line 3
    /// of the profile), and the problem expected among those reported.
    private struct Case {
        var set: String?
        var prompts = "prompts: s.yaml"
        /// "s.yaml" or "profile.yaml".
        var file = "s.yaml"
        var line: Int
        var column: Int
        var path: String
        var fragment: String
        var extraFiles: [String] = []
    }

    func testBadPromptSetsAndSpecs() throws {
        let cases: [Case] = [
            // ---- inside the set file: reported against s.yaml with its own lines ----
            // a misspelt key, with the suggestion
            Case(set: "name: s\nprompts:\n  - messages: \"hi\"\n    wieght: 2\n", line: 4, column: 5,
                 path: "prompts[0].wieght", fragment: "did you mean \"weight\"?"),
            // an unknown role
            Case(set: "prompts:\n  - [{role: robot, content: hi}]\n", line: 2, column: 13,
                 path: "prompts[0][0].role", fragment: "expected system | user | assistant, got \"robot\""),
            // an empty shorthand prompt
            Case(set: "prompts:\n  - \"\"\n", line: 2, column: 5, path: "prompts[0]", fragment: "got an empty string"),
            // content that is only white space
            Case(set: "prompts:\n  - [{role: user, content: \"   \"}]\n", line: 2, column: 28,
                 path: "prompts[0][0].content", fragment: "only white space"),
            // a message without content
            Case(set: "prompts:\n  - [{role: user}]\n", line: 2, column: 6,
                 path: "prompts[0][0].content", fragment: "missing required field"),
            // a zero prompt weight
            Case(set: "prompts:\n  - {messages: hi, weight: 0}\n", line: 2, column: 28,
                 path: "prompts[0].weight", fragment: "expected a positive number"),
            // a negative prompt max_tokens
            Case(set: "prompts:\n  - {messages: hi, max_tokens: -5}\n", line: 2, column: 32,
                 path: "prompts[0].max_tokens", fragment: "expected a positive whole number, got \"-5\""),
            // a set weight that is not a number
            Case(set: "weight: heavy\nprompts: [hi]\n", line: 1, column: 9, path: "weight", fragment: "got \"heavy\""),
            // a zero set max_tokens
            Case(set: "max_tokens: 0\nprompts: [hi]\n", line: 1, column: 13, path: "max_tokens", fragment: "positive whole number"),
            // an empty set
            Case(set: "name: s\nprompts: []\n", line: 2, column: 10, path: "prompts", fragment: "at least one prompt"),
            // an empty file
            Case(set: "# nothing yet\n", line: 1, column: 1, path: "", fragment: "the prompt set is empty"),
            // no prompts: key
            Case(set: "name: x\n", line: 1, column: 1, path: "prompts", fragment: "missing required field"),
            // prompts: not a list
            Case(set: "prompts: just text\n", line: 1, column: 10, path: "prompts", fragment: "expected a list of prompts"),
            // a set name with a space
            Case(set: "name: \"my set\"\nprompts: [hi]\n", line: 1, column: 7, path: "name", fragment: "expected a set name"),
            // two prompts with one name
            Case(set: "prompts:\n  - {name: a, messages: hi}\n  - {name: a, messages: ho}\n", line: 3, column: 5,
                 path: "prompts[1].name", fragment: "names another prompt of this set"),
            // a message where a prompt belongs (forgotten list)
            Case(set: "prompts:\n  - {role: user, content: hi}\n", line: 2, column: 6,
                 path: "prompts[0].role", fragment: "a prompt is a list of messages"),
            // an empty message list
            Case(set: "prompts:\n  - {messages: []}\n", line: 2, column: 16,
                 path: "prompts[0].messages", fragment: "at least one message"),
            // id: instead of name:
            Case(set: "prompts:\n  - {id: a, messages: hi}\n", line: 2, column: 6,
                 path: "prompts[0].id", fragment: "spelled name:"),
            // a YAML syntax error (a flow list left open)
            Case(set: "name: s\nprompts: [a, b\n", line: 3, column: 1, path: "", fragment: "YAML syntax error"),

            // ---- in the profile: reported against profile.yaml (prompts: is on line 3) ----
            // a missing file
            Case(prompts: "prompts: nowhere.yaml", file: "profile.yaml", line: 3, column: 10,
                 path: "prompts", fragment: "no prompt-set file or folder at"),
            // an empty folder
            Case(prompts: "prompts: empty", file: "profile.yaml", line: 3, column: 10,
                 path: "prompts", fragment: "has no prompt sets (*.yaml or *.yml files)", extraFiles: ["empty/"]),
            // a missing folder in a list
            Case(set: "[hi]", prompts: "prompts: [s.yaml, missing/]", file: "profile.yaml", line: 3, column: 19,
                 path: "prompts[1]", fragment: "no prompt-set file or folder at"),
            // the same set twice
            Case(set: "[hi]", prompts: "prompts: [s.yaml, s.yaml]", file: "profile.yaml", line: 3, column: 19,
                 path: "prompts", fragment: "two prompt sets are named \"s\""),
            // a zero set weight next to path:
            Case(set: "[hi]", prompts: "prompts: {path: s.yaml, weight: -1}", file: "profile.yaml", line: 3, column: 33,
                 path: "prompts.weight", fragment: "expected a positive number"),
            // path: and synthetic: together
            Case(set: "[hi]", prompts: "prompts: {path: s.yaml, synthetic: {input_tokens: 5}}", file: "profile.yaml",
                 line: 3, column: 10, path: "prompts", fragment: "not both"),
            // an inline prompt not in a list
            Case(prompts: "prompts: {messages: hi}", file: "profile.yaml", line: 3, column: 11,
                 path: "prompts.messages", fragment: "inline prompts go in a list"),
            // an empty list
            Case(prompts: "prompts: []", file: "profile.yaml", line: 3, column: 10, path: "prompts", fragment: "at least one prompt"),
            // nothing at all
            Case(prompts: "prompts:", file: "profile.yaml", line: 3, column: 9, path: "prompts", fragment: "got nothing"),
            // a misspelt key in an inline prompt
            Case(prompts: "prompts:\n  - [{role: user, content: hi}]\n  - {messages: hi, wieght: 2}", file: "profile.yaml",
                 line: 5, column: 20, path: "prompts[1].wieght", fragment: "did you mean \"weight\"?"),
            // synthetic: zero prompts
            Case(prompts: "prompts: {synthetic: {count: 0, input_tokens: 10}}", file: "profile.yaml", line: 3, column: 30,
                 path: "prompts.synthetic.count", fragment: "from 1 to 1000000"),
            // synthetic: no length
            Case(prompts: "prompts: {synthetic: {count: 5}}", file: "profile.yaml", line: 3, column: 22,
                 path: "prompts.synthetic.input_tokens", fragment: "missing required field"),
            // synthetic: a zero mean
            Case(prompts: "prompts: {synthetic: {input_tokens: {mean: 0}}}", file: "profile.yaml", line: 3, column: 44,
                 path: "prompts.synthetic.input_tokens.mean", fragment: "at least 1 token"),
            // synthetic: a negative standard deviation
            Case(prompts: "prompts: {synthetic: {input_tokens: {mean: 5, stddev: -1}}}", file: "profile.yaml",
                 line: 3, column: 55, path: "prompts.synthetic.input_tokens.stddev", fragment: "0 tokens or more"),
            // synthetic: a length that is not a number
            Case(prompts: "prompts: {synthetic: {input_tokens: long}}", file: "profile.yaml", line: 3, column: 37,
                 path: "prompts.synthetic.input_tokens", fragment: "got \"long\""),
            // synthetic: too many tokens in all
            Case(prompts: "prompts: {synthetic: {count: 1000000, input_tokens: 1000}}", file: "profile.yaml",
                 line: 3, column: 22, path: "prompts.synthetic", fragment: "at most 20000000"),
            // synthetic: a standard deviation so large that a length would overflow (found by fuzzing:
            // Int(Double) trapped on mean + 1e300 · Z)
            Case(prompts: "prompts: {synthetic: {count: 1, input_tokens: {mean: 5, stddev: 1e300}}}", file: "profile.yaml",
                 line: 3, column: 22, path: "prompts.synthetic", fragment: "count × (input_tokens mean + stddev) is 1e+300 tokens"),
            // synthetic: weight inside instead of next to it
            Case(prompts: "prompts: {synthetic: {input_tokens: 5, weight: 2}}", file: "profile.yaml", line: 3, column: 40,
                 path: "prompts.synthetic.weight", fragment: "goes next to synthetic:"),
        ]
        for (index, testCase) in cases.enumerated() {
            let files = try PromptFiles(self)
            if let set = testCase.set { try files.write("s.yaml", set) }
            for extra in testCase.extraFiles { try files.write(extra) }
            let profile = "target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\n\(testCase.prompts)\n"
            let found = profileProblems(profile, file: files.path("profile.yaml"))
            let expectedFile = files.path(testCase.file)
            let match = found.contains {
                $0.file == expectedFile && $0.line == testCase.line && $0.column == testCase.column
                    && $0.fieldPath == testCase.path && $0.message.contains(testCase.fragment)
            }
            XCTAssertTrue(match, "case \(index): \(testCase.set ?? testCase.prompts)\n→ \(found.map(\.description))")
        }
    }

    func testEveryProblemOfAFileAtOnce() throws {
        let files = try PromptFiles(self, ["s.yaml": """
            name: s
            weight: 0
            prompts:
              - ""
              - [{role: robot, content: hi}]
              - {messages: ok, max_tokens: zero}
              - {messages: fine}
            """])
        let found = profileProblems("target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\nprompts: s.yaml\n",
                                    file: files.path("profile.yaml"))
        XCTAssertEqual(found.map(\.fieldPath), ["weight", "prompts[0]", "prompts[1][0].role", "prompts[2].max_tokens"],
                       found.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(found.map(\.line), [2, 4, 5, 6])
        XCTAssertTrue(found.allSatisfy { $0.file == files.path("s.yaml") })
    }
}
