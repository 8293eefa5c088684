import NIOCore
import XCTest

@testable import MockProvider

/// The request-body scan: the fields read and the documents rejected.
final class ChatRequestTests: XCTestCase {
    private func parse(_ text: String) throws -> ChatRequest {
        try ChatRequest.parse(ByteBuffer(string: text))
    }

    func testFieldsAreRead() throws {
        let cases: [(body: String, expected: ChatRequest)] = [
            // nothing given: defaults
            ("{}", ChatRequest()),
            // stream, model, usage flag
            (
                #"{"model":"m1","stream":true,"stream_options":{"include_usage":true}}"#,
                ChatRequest(stream: true, modelLiteral: Array("m1".utf8), includeUsage: true)
            ),
            // the smaller of max_tokens and max_completion_tokens wins
            (#"{"max_tokens":9,"max_completion_tokens":4}"#, ChatRequest(maxTokens: 4)),
            // nulls mean "not given"
            (#"{"max_tokens":null,"stream":null,"model":null,"stream_options":null}"#, ChatRequest()),
            // string contents and text parts count; other parts and fields are skipped
            (
                #"{"messages":[{"role":"system","content":"12345678"},{"role":"user","content":[{"type":"text","text":"abcd"},{"type":"image_url","image_url":{"url":"x"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"t"}]}]}"#,
                ChatRequest(promptBytes: 12)
            ),
            // unknown nested fields with every JSON type are skipped
            (
                #" { "temperature" : -1.5e-3 , "tools" : [ { "a" : [ true , false , null , "x\u0041\n" ] } ] , "stream" : false } "#,
                ChatRequest()
            ),
        ]
        for (body, expected) in cases {
            XCTAssertEqual(try parse(body), expected, body)
        }
    }

    /// An integer past Int64 is still an integer: the completion's own length wins over it.
    func testHugeMaxTokensReadsAsUnlimited() throws {
        XCTAssertEqual(try parse(#"{"max_tokens":123456789012345678901234567890}"#).maxTokens, Int.max)
        XCTAssertThrowsError(try parse(#"{"max_tokens":-123456789012345678901234567890}"#))
        XCTAssertThrowsError(try parse(#"{"max_tokens":1e3}"#))
    }

    /// A malformed document's message names the problem and its byte offset (from JSONParser).
    func testMalformedMessageNamesTheOffset() {
        XCTAssertThrowsError(try parse(#"{"a":1,}"#)) { error in
            let message = (error as? ChatRequestError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("We could not parse the JSON body of your request: "), message)
            XCTAssertTrue(message.contains("at byte 7"), message)
        }
    }

    func testPromptTokensAreAtLeastOne() throws {
        XCTAssertEqual(try parse("{}").promptTokens, 1)
        XCTAssertEqual(try parse(#"{"messages":[{"content":"0123456789ab"}]}"#).promptTokens, 3)
    }

    func testMalformedDocumentsAreRejected() {
        let bodies = [
            "",  // empty
            "null",  // not an object
            #"{"a" 1}"#,  // missing colon
            #"{"a":1,}"#,  // trailing comma in object
            #"{"a":[1,]}"#,  // trailing comma in array
            #"{"a":01}"#,  // leading zero
            #"{"a":"\x"}"#,  // bad escape
            "{\"a\":\"\n\"}",  // raw control character in a string
            #"{"a":tru}"#,  // bad literal
            #"{"a":1}{}"#,  // two documents
            String(repeating: "[", count: 200) + String(repeating: "]", count: 200),  // too deep (not an object either)
            "{\"a\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}",  // too deep
            #"{"messages":"hi"}"#,  // messages must be an array
            #"{"max_tokens":-3}"#,  // negative
            #"{"max_tokens":"3"}"#,  // string
        ]
        for body in bodies {
            XCTAssertThrowsError(try parse(body), body) { XCTAssertTrue($0 is ChatRequestError, body) }
        }
    }
}
