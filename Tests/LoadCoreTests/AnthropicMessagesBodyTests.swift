import Foundation
import XCTest

@testable import LoadCore

/// Anthropic Messages request bodies: system messages taken out, max_tokens always present.
final class AnthropicMessagesBodyTests: XCTestCase {
    private func decode(_ bytes: [UInt8]) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testExactBytes() {
        let body = AnthropicMessagesBody.encode(
            prompt: Prompt(messages: [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi"),
                                      ChatMessage(role: .assistant, content: "Hello."), ChatMessage(role: .user, content: "Again")]),
            model: "claude-haiku-4-5", request: Profile.RequestSettings(maxTokens: 64, temperature: 0.5))
        XCTAssertEqual(String(decoding: body, as: UTF8.self),
                       #"{"max_tokens":64,"messages":[{"content":"Hi","role":"user"},{"content":"Hello.","role":"assistant"},"#
                        + #"{"content":"Again","role":"user"}],"model":"claude-haiku-4-5","stream":true,"system":"Be brief.","#
                        + #""temperature":0.5}"#)
    }

    func testMaxTokensAndSystem() throws {
        // Table: prompt max_tokens, profile max_tokens → sent max_tokens.
        let cases: [(Int?, Int?, Int)] = [
            (nil, nil, 1024),  // neither: the required field gets the documented default
            (nil, 200, 200),   // the profile's
            (16, 200, 16),     // the prompt's own wins
        ]
        for (promptMax, profileMax, expected) in cases {
            let json = try decode(AnthropicMessagesBody.encode(
                prompt: Prompt(messages: [ChatMessage(role: .user, content: "x")], maxTokens: promptMax),
                model: "m", request: Profile.RequestSettings(maxTokens: profileMax, stream: false)))
            XCTAssertEqual(json["max_tokens"] as? Int, expected)
            XCTAssertEqual(json["stream"] as? Bool, false)
            XCTAssertNil(json["system"])
            XCTAssertNil(json["stream_options"], "not an Anthropic field")
        }
        // Two system messages join with a blank line; escaping round-trips.
        let tricky = "quote \" backslash \\ newline \n é 🚀"
        let json = try decode(AnthropicMessagesBody.encode(
            prompt: Prompt(messages: [ChatMessage(role: .system, content: "One."), ChatMessage(role: .system, content: tricky),
                                      ChatMessage(role: .user, content: tricky)]),
            model: "m", request: .init()))
        XCTAssertEqual(json["system"] as? String, "One.\n\n" + tricky)
        XCTAssertEqual((json["messages"] as? [[String: String]])?.map(\.["content"]), [tricky])
    }
}
