import XCTest
@testable import LoadCore

final class ProfileTests: XCTestCase {
    static let rampYAML = """
        name: ramp
        target:
          provider: mock
          model: mock-small
          mock:
            ttft: {uniform: [100ms, 300ms]}
            inter_token: 10ms
            output_tokens: 32
            error_rate: 0.01
            error_status: 503
        prompts:
          - [{role: user, content: "Say hello"}]
          - [{role: system, content: "Be brief."}, {role: user, content: "Why is the sky blue?"}]
        request: { max_tokens: 128, temperature: 0 }
        load:
          mode: open
          stages:
            - { duration: 10s, rate: 5 }
            - { duration: 20s, rate: 5..50 }
        limits: { max_requests: 10000, max_in_flight: 2000, timeout: 120s, connect_timeout: 10s }
        seed: 7
        """

    private func problems(_ yaml: String, file: String = "profiles/bad.yaml") -> [ProfileProblem] {
        profileProblems(yaml, file: file)
    }

    func testFullProfile() throws {
        let profile = try Profile.parse(yaml: Self.rampYAML, file: "profiles/ramp.yaml")
        XCTAssertEqual(profile.name, "ramp")
        XCTAssertEqual(profile.target.provider, .mock)
        XCTAssertEqual(profile.target.mock?.ttft, .uniform(minNanos: 100_000_000, maxNanos: 300_000_000))
        XCTAssertEqual(profile.target.mock?.errorStatus, 503)
        XCTAssertEqual(profile.prompts.map(\.name), ["inline"], "inline prompts form one set")
        XCTAssertEqual(profile.prompts[0].prompts.count, 2)
        XCTAssertEqual(profile.prompts[0].prompts[1].messages[0], ChatMessage(role: .system, content: "Be brief."))
        XCTAssertEqual(profile.request, Profile.RequestSettings(maxTokens: 128, temperature: 0, stream: true))
        XCTAssertEqual(profile.load.mode, .open)
        XCTAssertEqual(profile.load.stages, [Stage(durationNanos: 10_000_000_000, level: .constant(5)),
                                             Stage(durationNanos: 20_000_000_000, level: .ramp(from: 5, to: 50))])
        XCTAssertEqual(profile.limits, Profile.Limits(maxRequests: 10000, maxInFlight: 2000))
        XCTAssertEqual(profile.seed, 7)
        // 5/s·10 s + (5+50)/2·20 s = 50 + 550
        XCTAssertEqual(profile.plannedRequests(), 600)
    }

    func testDefaultsAndShorthands() throws {
        let open = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: open, rate: 200, duration: 10s}",
                                     file: "profiles/quick.yaml")
        XCTAssertEqual(open.name, "quick")
        XCTAssertEqual(open.target.model, "mock-small")
        XCTAssertEqual(open.target.mock, Profile.MockSettings())
        XCTAssertEqual(open.prompts, Profile.defaultPrompts)
        XCTAssertTrue(open.request.stream)
        XCTAssertEqual(open.load.stages, [Stage(durationNanos: 10_000_000_000, level: .constant(200))])
        XCTAssertEqual(open.limits, Profile.Limits())
        XCTAssertEqual(open.seed, 1)
        XCTAssertEqual(open.plannedRequests(), 2000)

        let closed = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: closed, users: 100, requests: 500}",
                                       file: "c.yaml")
        XCTAssertEqual(closed.load.stages, [Stage(durationNanos: nil, level: .constant(100))])
        XCTAssertEqual(closed.limits.maxRequests, 500)
        XCTAssertEqual(closed.plannedRequests(), 500)

        let openAI = try Profile.parse(yaml: "target: {provider: openai, model: gpt-4o-mini}\nload: {mode: closed, users: 1..64, duration: 1m}",
                                       file: "o.yaml")
        XCTAssertEqual(openAI.target.baseURL, "https://api.openai.com/v1")
        XCTAssertEqual(openAI.target.apiKeyEnv, "OPENAI_API_KEY")
        XCTAssertNil(openAI.target.mock)
        XCTAssertEqual(openAI.load.stages, [Stage(durationNanos: 60_000_000_000, level: .ramp(from: 1, to: 64))])
    }

    func testDurations() {
        // Table: text → nanoseconds (nil: rejected).
        let cases: [(String, UInt64?)] = [
            ("500ms", 500_000_000), ("30s", 30_000_000_000), ("2m", 120_000_000_000), ("1h", 3_600_000_000_000),
            ("1.5s", 1_500_000_000), ("250us", 250_000), ("100ns", 100),
            ("30", nil), ("s", nil), ("-1s", nil), ("10 parsecs", nil), ("1e3s", nil),
            // Go's form, as OpenAI's reset headers write it: one parser for both.
            ("1m30s", 90_000_000_000), ("2m59.56s", 179_560_000_000), ("1s500ms", 1_500_000_000), ("1m-5s", nil),
        ]
        for (text, nanos) in cases { XCTAssertEqual(DurationFormat.parseNanos(text), nanos, text) }
        XCTAssertEqual(DurationFormat.format(nanos: 1_500_000_000), "1500ms")
        XCTAssertEqual(DurationFormat.format(nanos: 120_000_000_000), "2m")
    }

    func testErrorNamesFileLineColumnAndField() {
        let yaml = """
            target: {provider: mock}
            load:
              mode: open
              stages:
                - { duration: 10s, rate: 5 }
                - { duration: 20s, rate: fifty }
            """
        let found = problems(yaml, file: "profiles/ramp.yaml")
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.description,
                       "profiles/ramp.yaml:6:30: load.stages[1].rate: expected a positive number or a ramp like \"1..50\", got \"fifty\"")
    }

    func testAllProblemsAreReportedAtOnce() {
        let yaml = """
            target:
              provider: openai-compatible
              mock: {ttft: 10ms}
            request: {temprature: 0.5, max_tokens: 0}
            load:
              mode: closed
              stags: []
              stages:
                - {duration: 10s, users: 0}
                - {duration: 30, users: 10}
                - {users: 5}
            limits: {timeout: 0s}
            """
        let found = problems(yaml)
        let byPath = Dictionary(found.map { ($0.fieldPath, $0.message) }, uniquingKeysWith: { a, b in a + " | " + b })
        XCTAssertTrue(byPath["target.model"]?.contains("missing required field") == true, "\(byPath)")
        XCTAssertTrue(byPath["target.base_url"]?.contains("missing required field") == true, "\(byPath)")
        XCTAssertTrue(byPath["target.mock"]?.contains("only to provider mock") == true, "\(byPath)")
        XCTAssertTrue(byPath["request.temprature"]?.contains("did you mean \"temperature\"?") == true, "\(byPath)")
        XCTAssertTrue(byPath["request.max_tokens"]?.contains("positive whole number") == true, "\(byPath)")
        XCTAssertTrue(byPath["load.stags"]?.contains("did you mean \"stages\"?") == true, "\(byPath)")
        XCTAssertTrue(byPath["load.stages[0].users"]?.contains("got \"0\"") == true, "\(byPath)")
        XCTAssertTrue(byPath["load.stages[1].duration"]?.contains("plain number 30; add a unit") == true, "\(byPath)")
        XCTAssertTrue(byPath["load.stages[2].duration"]?.contains("missing required field") == true, "\(byPath)")
        XCTAssertTrue(byPath["limits.timeout"]?.contains("positive duration") == true, "\(byPath)")
        XCTAssertEqual(found.count, 10, found.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(found.allSatisfy { $0.line > 0 && $0.column > 0 && $0.file == "profiles/bad.yaml" })
    }

    func testSadPaths() {
        // Table: YAML → (field path, fragment of the message).
        let cases: [(String, String, String)] = [
            // empty document
            ("", "", "empty"),
            // root is not a mapping
            ("- a", "", "expected a mapping"),
            // missing load
            ("target: {provider: mock}", "load", "missing required field"),
            // missing target
            ("load: {mode: open, rate: 1, duration: 1s}", "target", "missing required field"),
            // unknown provider
            ("target: {provider: antropic}\nload: {mode: open, rate: 1, duration: 1s}", "target.provider", "expected mock | openai"),
            // bad mode
            ("target: {provider: mock}\nload: {mode: half-open, rate: 1, duration: 1s}", "load.mode", "open | closed"),
            // open needs a duration
            ("target: {provider: mock}\nload: {mode: open, rate: 5}", "load.duration", "missing required field"),
            // users in open mode
            ("target: {provider: mock}\nload: {mode: open, users: 5, duration: 1s}", "load.users", "closed mode"),
            // zero rate (0 only in a ramp)
            ("target: {provider: mock}\nload: {mode: open, rate: 0, duration: 1s}", "load.rate", "got \"0\""),
            // ramp ending at 0
            ("target: {provider: mock}\nload: {mode: open, rate: 5..0, duration: 1s}", "load.rate", "end must be positive"),
            // fractional users
            ("target: {provider: mock}\nload: {mode: closed, users: 2.5, duration: 1s}", "load.users", "whole number"),
            // empty stages
            ("target: {provider: mock}\nload: {mode: open, stages: []}", "load.stages", "at least one stage"),
            // stages and shorthand together
            ("target: {provider: mock}\nload: {mode: open, rate: 2, stages: [{duration: 1s, rate: 1}]}", "load.rate", "not both"),
            // closed without an end
            ("target: {provider: mock}\nload: {mode: closed, users: 4}", "load.duration", "duration: or requests:"),
            // an API key pasted instead of a variable name
            ("target: {provider: openai, model: m, api_key_env: sk-abc123}\nload: {mode: open, rate: 1, duration: 1s}",
             "target.api_key_env", "not the key itself"),
            // bad mock distribution
            ("target: {provider: mock, mock: {ttft: {uniform: [300ms, 100ms]}}}\nload: {mode: open, rate: 1, duration: 1s}",
             "target.mock.ttft.uniform", "min <= max"),
            // error_rate out of range
            ("target: {provider: mock, mock: {error_rate: 1.5}}\nload: {mode: open, rate: 1, duration: 1s}",
             "target.mock.error_rate", "from 0 to 1"),
            // the singular of retries:
            ("target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\nretry: {max_attempts: 3}", "retry", "the key is retries:"),
            // a prompt-set file that does not exist (relative to the profile's folder)
            ("target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\nprompts: prompts/chat.yaml", "prompts",
             "no prompt-set file or folder at profiles/prompts/chat.yaml"),
            // bad role
            ("target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\nprompts: [[{role: robot, content: hi}]]",
             "prompts[0][0].role", "system | user | assistant"),
            // conflicting request counts
            ("target: {provider: mock}\nload: {mode: closed, users: 1, requests: 5}\nlimits: {max_requests: 6}", "load.requests", "conflicts"),
            // stream not a bool
            ("target: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}\nrequest: {stream: maybe}", "request.stream", "true or false"),
        ]
        for (yaml, path, fragment) in cases {
            let found = problems(yaml)
            XCTAssertTrue(found.contains { $0.fieldPath == path && $0.message.contains(fragment) },
                          "\(yaml)\n→ \(found.map(\.description))")
        }
    }

    func testYAMLSyntaxErrorHasLine() {
        let found = problems("target: {provider: mock}\nload:\n  mode: open\n   rate: [1, 2\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].message.hasPrefix("YAML syntax error"), found[0].description)
        XCTAssertGreaterThan(found[0].line, 1, found[0].description)
        let duplicate = problems("target: {provider: mock}\ntarget: {provider: mock}\nload: {mode: open, rate: 1, duration: 1s}")
        XCTAssertTrue(duplicate.first?.message.contains("duplicate key") == true, "\(duplicate)")
    }

    func testResolvedYAMLRoundTrips() throws {
        let inputs = [
            Self.rampYAML,
            "target: {provider: mock, mock: {ttft: {normal: {mean: 200ms, stddev: 20ms}}}}\nload: {mode: closed, users: 100, requests: 500}",
            "target: {provider: openai-compatible, model: \"llama \\\"3\\\"\", base_url: http://127.0.0.1:8000/v1}\n"
                + "prompts: [[{role: user, content: \"line1\\nline2 \\\\ é\"}]]\nload: {mode: open, rate: 0.5..2.25, duration: 1.5s}",
            "target: {provider: mock, mock: {ttft: {exponential: 1s}}}\nload: {mode: open, rate: 1, duration: 1h}",
        ]
        for yaml in inputs {
            let profile = try Profile.parse(yaml: yaml, file: "profiles/x.yaml")
            let resolved = profile.resolvedYAML()
            let again = try Profile.parse(yaml: resolved, file: "elsewhere.yaml")
            XCTAssertEqual(again, profile, resolved)
        }
        let text = try Profile.parse(yaml: Self.rampYAML, file: "r.yaml").resolvedYAML()
        XCTAssertTrue(text.contains("- {duration: 20s, rate: \"5..50\"}"), text)
        XCTAssertTrue(text.contains("timeout: 2m"), text)
    }

    /// Strings that YAML would read as something else when written carelessly: indicators, YAML 1.1
    /// booleans and nulls, numbers, comments, control characters, and the line breaks YAML knows
    /// beyond JSON's (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR), which fold inside a quoted scalar
    /// unless escaped. The hand-written emitter must give them back unchanged through Yams.
    func testResolvedYAMLRoundTripsHostileStrings() throws {
        let hostile = ["yes", "no", "null", "~", "1e3", "0x1F", "- item", "key: value # not a comment", " leading",
                       "trailing ", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "'single'",
                       "tab\there", "ctl\u{1}\u{7F}", "nel\u{85}x", "ls\u{2028}ps\u{2029}", "bom\u{FEFF}", "é 🚀 中文",
                       "{flow: [1, 2]}", "back\\slash \"quote\"", "cr\r\nlf"]
        for text in hostile {
            var profile = try Profile.parse(yaml: "target: {provider: mock}\nload: {mode: closed, users: 1, requests: 1}",
                                            file: "p.yaml")
            profile.target.model = text
            profile.prompts = [PromptSet(name: "inline", source: .inline, prompts: [Prompt(user: text)])]
            let resolved = profile.resolvedYAML()
            let again = try Profile.parse(yaml: resolved, file: "again.yaml")
            XCTAssertEqual(again.target.model, text, resolved)
            XCTAssertEqual(again.prompts.first?.prompts.first?.messages.first?.content, text, resolved)
        }
    }

    func testLoadFromMissingFile() {
        XCTAssertThrowsError(try Profile.load(path: "/nonexistent/p.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/p.yaml: cannot read the profile"), "\(error)")
        }
    }
}
