import Foundation
import XCTest

@testable import LoadCore

/// `target.headers`, `request.extra_body` and `request.min_tokens` (issue 17): parsed, refused
/// where they would clash with loadgen's own, written into the bodies and the resolved profile.
final class RequestKnobTests: XCTestCase {
    private func profile(target: String = "{provider: openai-compatible, model: m, base_url: \"http://127.0.0.1:8000/v1\"",
                         targetExtra: String = "", request: String) throws -> Profile {
        try Profile.parse(yaml: "target: \(target)\(targetExtra)}\nrequest: \(request)\nload: {mode: open, rate: 1, duration: 1s}\n",
                          file: "p.yaml")
    }

    func testHeadersAreKeptInOrderAndExpandedFromTheEnvironment() throws {
        let parsed = try profile(targetExtra: ", headers: {OpenAI-Organization: org-1, X-Gateway-Key: \"${GW_KEY}\", "
                                 + "Authorization: \"Bearer ${TOKEN}\"}", request: "{}")
        XCTAssertEqual(parsed.target.headers, [
            HeaderField(name: "OpenAI-Organization", value: "org-1"),
            HeaderField(name: "X-Gateway-Key", value: "${GW_KEY}"),
            HeaderField(name: "Authorization", value: "Bearer ${TOKEN}"),
        ])
        XCTAssertEqual(parsed.target.headers.map(\.looksSecret), [false, true, true])
        let names = ["X-Api-Key", "x-auth-token", "apikey", "Cookie", "X-Client-Secret", "Proxy-Authorization", "x-mock-tokens",
                     "OpenAI-Organization", "X-Keyboard"]
        XCTAssertEqual(names.map { HeaderField(name: $0, value: "").looksSecret },
                       [true, true, true, true, true, true, false, false, false])
        XCTAssertEqual(try parsed.target.headers[2].expanded(environment: ["TOKEN": "tok-123"]), "Bearer tok-123")
        XCTAssertThrowsError(try parsed.target.headers[1].expanded(environment: [:])) { error in
            XCTAssertEqual("\(error)", "target.headers.X-Gateway-Key uses ${GW_KEY}, which is not set; export it or put it in ./.env")
        }
        // The resolved profile writes the references, never a value, and reads back the same.
        let resolved = parsed.resolvedYAML()
        XCTAssertTrue(resolved.contains("  headers:\n    \"OpenAI-Organization\": \"org-1\"\n    \"X-Gateway-Key\": \"${GW_KEY}\"\n"),
                      resolved)
        XCTAssertEqual(try Profile.parse(yaml: resolved, file: "again.yaml"), parsed)
    }

    func testBadHeadersAreRefusedWithoutEchoingCredentials() {
        let cases: [(String, String, String)] = [
            // A credential written into the file: refused, and the value is not repeated.
            ("provider: openai-compatible, model: m, base_url: \"http://h/v1\", headers: {Authorization: Bearer sk-SECRET-1}",
             "target.headers.Authorization", "looks like it carries a credential"),
            ("provider: openai-compatible, model: m, base_url: \"http://h/v1\", headers: {X-Api-Token: abcdef}",
             "target.headers.X-Api-Token", "looks like it carries a credential"),
            // Headers loadgen sets.
            ("provider: mock, headers: {Content-Type: text/plain}", "target.headers.Content-Type", "loadgen (or HTTP itself) sets content-type"),
            ("provider: openai, model: m, headers: {authorization: \"Bearer ${T}\"}", "target.headers.authorization",
             "loadgen sends the API key from OPENAI_API_KEY (target.api_key_env) in this header already"),
            ("provider: anthropic, model: m, headers: {anthropic-version: x}", "target.headers.anthropic-version",
             "use target.anthropic_version"),
            // Malformed names, values and references.
            ("provider: mock, headers: {\"bad name\": x}", "target.headers.bad name", "expected a header name"),
            ("provider: mock, headers: {X-A: [1]}", "target.headers.X-A", "expected the header's value as text"),
            ("provider: mock, headers: {X-A: \"a${B\"}", "target.headers.X-A", "a ${ without its closing }"),
            ("provider: mock, headers: {X-A: a, x-a: b}", "target.headers.x-a", "X-A"),
            ("provider: mock, headers: [X-A]", "target.headers", "expected a mapping of header names"),
        ]
        for (target, path, fragment) in cases {
            let problems = profileProblems("target: {\(target)}\nload: {mode: open, rate: 1, duration: 1s}\n")
            XCTAssertTrue(problems.contains { $0.fieldPath == path && $0.message.contains(fragment) && $0.line == 1 },
                          "\(target): \(problems)")
            XCTAssertFalse(problems.description.contains("sk-SECRET-1"), "\(problems)")
            XCTAssertFalse(problems.description.contains("abcdef"), "\(problems)")
        }
    }

    func testExtraBodyIsMergedIntoEveryBodyAfterLoadgensOwnFields() throws {
        let parsed = try profile(request: "{max_tokens: 8, extra_body: {top_p: 0.9, ignore_eos: true, seed: 7, stop: [\"a\", \"b\"], "
                                 + "logit_bias: {\"50256\": -100}, note: \"x: y\", nothing: null}}")
        XCTAssertEqual(parsed.request.extraBody.map(\.key), ["ignore_eos", "logit_bias", "note", "nothing", "seed", "stop", "top_p"])
        let body = String(decoding: ChatRequestBody.encode(prompt: Prompt(user: "hi"), model: "m", request: parsed.request),
                          as: UTF8.self)
        XCTAssertEqual(body, "{\"max_tokens\":8,\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"m\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"ignore_eos\":true,\"logit_bias\":{\"50256\":-100},\"note\":\"x: y\","
            + "\"nothing\":null,\"seed\":7,\"stop\":[\"a\",\"b\"],\"top_p\":0.9}")
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let anthropic = String(decoding: AnthropicMessagesBody.encode(prompt: Prompt(user: "hi"), model: "c", request: parsed.request),
                               as: UTF8.self)
        XCTAssertTrue(anthropic.hasSuffix(",\"stream\":true,\"ignore_eos\":true,\"logit_bias\":{\"50256\":-100},\"note\":\"x: y\","
            + "\"nothing\":null,\"seed\":7,\"stop\":[\"a\",\"b\"],\"top_p\":0.9}"), anthropic)
        let resolved = parsed.resolvedYAML()
        XCTAssertEqual(try Profile.parse(yaml: resolved, file: "again.yaml"), parsed, resolved)
    }

    func testExtraBodyCannotSetLoadgensFields() {
        let problems = profileProblems("target: {provider: mock}\nrequest: {extra_body: {max_tokens: 5, stream: false, top_k: .inf}}\n"
            + "load: {mode: open, rate: 1, duration: 1s}\n")
        XCTAssertTrue(problems.contains { $0.fieldPath == "request.extra_body.max_tokens"
            && $0.message == "loadgen sets max_tokens itself; use request.max_tokens (or a prompt's max_tokens) instead" }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.fieldPath == "request.extra_body.stream" && $0.message.contains("request.stream") })
        XCTAssertTrue(problems.contains { $0.fieldPath == "request.extra_body.top_k" && $0.message.contains("finite number") })
    }

    func testMinTokensWhereTheServerTakesIt() throws {
        let parsed = try profile(request: "{max_tokens: 64, min_tokens: 16}")
        XCTAssertEqual(parsed.request.minTokens, 16)
        let body = String(decoding: ChatRequestBody.encode(prompt: Prompt(user: "hi"), model: "m", request: parsed.request),
                          as: UTF8.self)
        XCTAssertTrue(body.contains("],\"min_tokens\":16,\"model\":\"m\""), body)
        XCTAssertEqual(try Profile.parse(yaml: parsed.resolvedYAML(), file: "again.yaml"), parsed)
        XCTAssertEqual(try Profile.parse(yaml: "target: {provider: mock}\nrequest: {min_tokens: 4}\nload: {mode: open, rate: 1, duration: 1s}\n",
                                         file: "m.yaml").request.minTokens, 4)

        let openai = profileProblems("target: {provider: openai, model: m}\nrequest: {min_tokens: 4}\nload: {mode: open, rate: 1, duration: 1s}\n")
        XCTAssertTrue(openai.contains { $0.fieldPath == "request.min_tokens" && $0.message.contains("provider openai does not take it") },
                      "\(openai)")
        let tooMany = profileProblems("target: {provider: mock}\nrequest: {max_tokens: 4, min_tokens: 8}\nload: {mode: open, rate: 1, duration: 1s}\n")
        XCTAssertTrue(tooMany.contains { $0.fieldPath == "request.min_tokens" && $0.message.contains("more than request.max_tokens (4)") })
    }
}
