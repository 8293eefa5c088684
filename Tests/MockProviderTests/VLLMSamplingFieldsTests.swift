import NIOCore
import XCTest

@testable import MockProvider

/// vLLM's `ignore_eos` and `min_tokens`, which the mock honours so that a profile's
/// `request.extra_body` and `request.min_tokens` have a visible effect.
final class VLLMSamplingFieldsTests: XCTestCase {
    func testFieldsAreRead() throws {
        var expected = ChatRequest()
        expected.ignoreEOS = true
        expected.minTokens = 0
        XCTAssertEqual(try ChatRequest.parse(ByteBuffer(string: #"{"ignore_eos":true,"min_tokens":0}"#)), expected)
        XCTAssertEqual(try ChatRequest.parse(ByteBuffer(string: #"{"ignore_eos":null,"min_tokens":null}"#)), ChatRequest())
        XCTAssertThrowsError(try ChatRequest.parse(ByteBuffer(string: #"{"min_tokens":-1}"#)))
        XCTAssertThrowsError(try ChatRequest.parse(ByteBuffer(string: #"{"ignore_eos":"yes"}"#)))
    }

    func testIgnoreEOSAndMinTokensSetTheLength() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 10 }
        let cases: [(body: String, tokens: Int, finish: String)] = [
            // ignore_eos: exactly max_tokens, past the configured count, finishing on the length
            (#"{"messages":[],"stream":true,"max_tokens":25,"ignore_eos":true,"stream_options":{"include_usage":true}}"#, 25, "length"),
            // ignore_eos without max_tokens changes nothing
            (#"{"messages":[],"stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}}"#, 10, "stop"),
            // min_tokens raises the length; max_tokens still caps it
            (#"{"messages":[],"stream":true,"min_tokens":15,"stream_options":{"include_usage":true}}"#, 15, "stop"),
            (#"{"messages":[],"stream":true,"min_tokens":15,"max_tokens":12,"stream_options":{"include_usage":true}}"#, 12, "length"),
            (#"{"messages":[],"stream":true,"min_tokens":3,"stream_options":{"include_usage":true}}"#, 10, "stop"),
        ]
        for (body, tokens, finish) in cases {
            let response = try LoopbackClient.exchange(port: port, LoopbackClient.requestBytes(body: body))
            XCTAssertEqual(response.events.count, 1 + tokens + 3, body)
            guard response.events.count == 1 + tokens + 3 else { continue }
            XCTAssertEqual(try eventJSON(response.events[1 + tokens]).firstChoice?["finish_reason"] as? String, finish, body)
            let usage = try eventJSON(response.events[2 + tokens])["usage"] as? [String: Int]
            XCTAssertEqual(usage?["completion_tokens"], tokens, body)
        }
    }
}
