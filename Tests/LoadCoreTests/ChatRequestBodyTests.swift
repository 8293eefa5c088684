import Foundation
import XCTest

@testable import LoadCore

/// The request body writer: valid JSON that decodes to what was meant, stable bytes.
final class ChatRequestBodyTests: XCTestCase {
    private func decode(_ bytes: [UInt8]) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testExactBytes() {
        let body = ChatRequestBody.encode(
            prompt: Prompt(messages: [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi")],
                           maxTokens: 16),
            model: "gpt-4o-mini", request: Profile.RequestSettings(maxTokens: 64, temperature: 0.7))
        XCTAssertEqual(String(decoding: body, as: UTF8.self),
                       #"{"max_tokens":16,"messages":[{"content":"Be brief.","role":"system"},{"content":"Hi","role":"user"}],"#
                        + #""model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"temperature":0.7}"#)
    }

    func testOptionalFields() throws {
        let prompt = Prompt(user: "x")
        // Table: request settings → expected max_tokens, temperature, stream_options present.
        let cases: [(Profile.RequestSettings, Int?, Double?, Bool)] = [
            (Profile.RequestSettings(), nil, nil, true),  // nothing given: neither sent
            (Profile.RequestSettings(maxTokens: 9, temperature: 0, stream: false), 9, 0, false),  // non-streaming
            (Profile.RequestSettings(temperature: 2), nil, 2, true),
        ]
        for (request, maxTokens, temperature, usage) in cases {
            let json = try decode(ChatRequestBody.encode(prompt: prompt, model: "m", request: request))
            XCTAssertEqual(json["max_tokens"] as? Int, maxTokens)
            XCTAssertEqual(json["temperature"] as? Double, temperature)
            XCTAssertEqual(json["stream"] as? Bool, request.stream)
            XCTAssertEqual(json["stream_options"] != nil, usage)
        }
    }

    func testEscapingRoundTrips() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t return \r bell \u{07} nul \u{00} é 日本 🚀 </script>"
        let json = try decode(ChatRequestBody.encode(prompt: Prompt(user: tricky), model: "a \"b\"", request: .init()))
        XCTAssertEqual((json["messages"] as? [[String: String]])?.first?["content"], tricky)
        XCTAssertEqual(json["model"] as? String, "a \"b\"")
    }
}
