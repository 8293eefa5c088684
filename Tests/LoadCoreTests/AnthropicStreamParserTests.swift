import XCTest

@testable import LoadCore

/// Anthropic Messages streams, written from Anthropic's documented event format ("Streaming
/// Messages": message_start, content_block_start, ping, content_block_delta, content_block_stop,
/// message_delta with cumulative usage, message_stop, and `event: error`).
final class AnthropicStreamParserTests: XCTestCase {
    /// One event: its `event:` name, its data, and what it must yield (from a fresh parser).
    /// `AnthropicStreamParserTests.testFastPathMatchesTreePath` replays them through both paths.
    static let eventCases: [(name: String, type: String, data: String, expected: StreamUpdate)] = [
        // message_start: input tokens; the placeholder output_tokens (1) is not reported.
        ("message_start", "message_start",
         #"{"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}"#,
         StreamUpdate(usage: TokenUsage(inputTokens: 25, outputTokens: nil))),
        // message_start with prompt caching: cache reads and writes are added to the input.
        ("message_start cached", "message_start",
         #"{"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":1800,"output_tokens":1}}}"#,
         StreamUpdate(usage: TokenUsage(inputTokens: 2010, outputTokens: nil, cachedInputTokens: 1800))),
        // content_block_start with empty text: not a token (TTFT must not come from it).
        ("block start", "content_block_start",
         #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#, StreamUpdate()),
        // ping: nothing, whatever its data.
        ("ping", "ping", #"{"type": "ping"}"#, StreamUpdate()),
        // A text delta: one token.
        ("text", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#, StreamUpdate(tokens: 1)),
        // An empty text delta: nothing.
        ("empty text", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}"#, StreamUpdate()),
        // Extended thinking: a thinking delta counts.
        ("thinking", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me solve this step by step:\n\n1. First break down 27 * 453"}}"#,
         StreamUpdate(tokens: 1)),
        // The signature that closes a thinking block is not output.
        ("signature", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."}}"#,
         StreamUpdate()),
        // Tool use: input_json_delta fragments count ...
        ("input json", "content_block_delta",
         #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"San Fra"}}"#,
         StreamUpdate(tokens: 1)),
        // ... except the empty first one.
        ("empty input json", "content_block_delta",
         #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#, StreamUpdate()),
        // Type listed after the text: order does not matter.
        ("type last", "content_block_delta",
         #"{"delta":{"text":"x","type":"text_delta"},"type":"content_block_delta","index":0}"#, StreamUpdate(tokens: 1)),
        // A text field under another delta type: nothing.
        ("text under other type", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","text":"x"}}"#, StreamUpdate()),
        // An escaped text: still one token (the tree path decides).
        ("escaped text", "content_block_delta",
         #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\u00e9\n"}}"#, StreamUpdate(tokens: 1)),
        // A delta without type: nothing.
        ("no type", "content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"text":"x"}}"#, StreamUpdate()),
        // content_block_stop: nothing.
        ("block stop", "content_block_stop", #"{"type":"content_block_stop","index":0}"#, StreamUpdate()),
        // message_delta: the cumulative output tokens.
        ("message_delta", "message_delta",
         #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#,
         StreamUpdate(usage: TokenUsage(inputTokens: nil, outputTokens: 15))),
        // message_delta that repeats the input counts (newer API versions).
        ("message_delta full", "message_delta",
         #"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":25,"cache_read_input_tokens":0,"output_tokens":1024}}"#,
         StreamUpdate(usage: TokenUsage(inputTokens: 25, outputTokens: 1024, cachedInputTokens: 0))),
        // message_stop: the end marker.
        ("message_stop", "message_stop", #"{"type":"message_stop"}"#, StreamUpdate(done: true)),
        // Event types the API may add later are ignored.
        ("unknown", "future_event", #"{"type":"future_event","x":1}"#, StreamUpdate()),
        // An overloaded error event.
        ("overloaded", "error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
         StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "overloaded_error: Overloaded"))),
        // Any other error event is a stream error.
        ("api error", "error", #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#,
         StreamUpdate(failure: StreamFailure(kind: .providerError, message: "api_error: Internal server error"))),
        // An error whose message alone says overloaded.
        ("overloaded text", "error", #"{"type":"error","error":{"type":"api_error","message":"Servers are overloaded"}}"#,
         StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "api_error: Servers are overloaded"))),
        // A plain-text error event.
        ("text error", "error", "upstream connect error", StreamUpdate(failure: StreamFailure(kind: .providerError, message: "upstream connect error"))),
        // No event name: the data's type decides.
        ("unnamed delta", "message", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}"#,
         StreamUpdate(tokens: 1)),
        ("unnamed stop", "message", #"{"type":"message_stop"}"#, StreamUpdate(done: true)),
        // Cut-off JSON in a delta: malformed.
        ("truncated delta", "content_block_delta",
         #"{"type":"content_block_delta","delta":{"type":"text_delta","text":"oops""#,
         StreamUpdate(failure: StreamFailure(kind: .malformed, message: #"invalid JSON at byte 72: unterminated object; data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"oops""#))),
        // A delta that is not an object: no token.
        ("delta not object", "content_block_delta", #"{"type":"content_block_delta","delta":"x"}"#, StreamUpdate()),
        // A text that is not a string: no token.
        ("text not string", "content_block_delta", #"{"type":"content_block_delta","delta":{"type":"text_delta","text":7}}"#,
         StreamUpdate()),
    ]

    func testEvents() {
        for row in Self.eventCases {
            var parser = AnthropicStreamParser()
            XCTAssertEqual(parser.parse(SSEEvent(type: row.type, data: Array(row.data.utf8))), row.expected, row.name)
        }
    }

    /// The allocation-free scan of content_block_delta decides exactly as the tree path, including
    /// on every truncation of every delta fixture.
    func testFastPathMatchesTreePath() {
        for row in Self.eventCases {
            let event = SSEEvent(type: row.type, data: Array(row.data.utf8))
            var fast = AnthropicStreamParser()
            var tree = AnthropicStreamParser()
            XCTAssertEqual(fast.parse(event), tree.parseWithTree(event), row.name)
            guard row.type == "content_block_delta" else { continue }
            for cut in 0..<row.data.utf8.count {
                let truncated = SSEEvent(type: row.type, data: Array(row.data.utf8.prefix(cut)))
                var a = AnthropicStreamParser()
                var b = AnthropicStreamParser()
                XCTAssertEqual(a.parse(truncated), b.parseWithTree(truncated), "\(row.name) cut at \(cut)")
            }
        }
        // Ordinary text deltas never fall back to the tree.
        let ordinary = #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"the "}}"#
        XCTAssertEqual(AnthropicStreamParser.scanDelta(Array(ordinary.utf8)), 1)
    }

    /// A whole documented stream, through the SSE decoder in 5-byte pieces: tokens, TTFT on the
    /// first text delta (never message_start, content_block_start or ping), input from
    /// message_start, output from message_delta assigned (not added to message_start's 1).
    func testWholeStream() {
        let updates = Self.decode(Self.documentedStream, chunkSize: 5)
        XCTAssertEqual(updates.map(\.tokens), [0, 0, 0, 1, 1, 1, 0, 0, 0])
        XCTAssertEqual(updates.firstIndex { $0.tokens > 0 }, 3, "TTFT is the first text delta")
        XCTAssertEqual(updates.compactMap(\.usage), [
            TokenUsage(inputTokens: 25, outputTokens: nil),
            TokenUsage(inputTokens: 25, outputTokens: 15),
        ])
        XCTAssertEqual(updates.map(\.done), [false, false, false, false, false, false, false, false, true])
        XCTAssertTrue(updates.allSatisfy { $0.failure == nil })
    }

    /// An overloaded error mid-stream, after two tokens: the failure, and no end marker.
    func testOverloadedMidStream() {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","content":[],"model":"claude-haiku-4-5","usage":{"input_tokens":12,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

            event: error
            data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


            """
        let updates = Self.decode(stream, chunkSize: 3)
        XCTAssertEqual(updates.reduce(0) { $0 + $1.tokens }, 2)
        XCTAssertEqual(updates.last?.failure, StreamFailure(kind: .overloaded, message: "overloaded_error: Overloaded"))
        XCTAssertFalse(updates.contains { $0.done })
    }

    /// A second stream on the same parser starts from zero (the engine resets it per attempt).
    func testResetForgetsTheLastStream() {
        var parser = ProviderStreamParser(dialect: .anthropic)
        _ = parser.parse(SSEEvent(type: "message_start", data: Array(
            #"{"type":"message_start","message":{"usage":{"input_tokens":5,"cache_read_input_tokens":100}}}"#.utf8)))
        parser.reset()
        let update = parser.parse(SSEEvent(type: "message_delta", data: Array(#"{"type":"message_delta","usage":{"output_tokens":3}}"#.utf8)))
        XCTAssertEqual(update.usage, TokenUsage(inputTokens: nil, outputTokens: 3))
    }

    func testParseMessage() {
        let cases: [(name: String, body: String, expected: StreamUpdate)] = [
            // Documented non-streamed response.
            ("text", #"{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 2095, outputTokens: 503))),
            // Tool use only.
            ("tool use", #"{"type":"message","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"SF"}}],"usage":{"input_tokens":10,"output_tokens":20}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 10, outputTokens: 20))),
            // Cached input.
            ("cached", #"{"type":"message","content":[{"type":"text","text":"x"}],"usage":{"input_tokens":4,"cache_read_input_tokens":96,"cache_creation_input_tokens":0,"output_tokens":1}}"#,
             StreamUpdate(tokens: 1, usage: TokenUsage(inputTokens: 100, outputTokens: 1, cachedInputTokens: 96))),
            // Empty content.
            ("empty", #"{"type":"message","content":[],"usage":{"input_tokens":4,"output_tokens":0}}"#,
             StreamUpdate(usage: TokenUsage(inputTokens: 4, outputTokens: 0))),
            // Error body.
            ("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
             StreamUpdate(failure: StreamFailure(kind: .overloaded, message: "overloaded_error: Overloaded"))),
            // Not JSON.
            ("html", "<html>", StreamUpdate(failure: StreamFailure(kind: .malformed, message: "invalid JSON at byte 0: unexpected character, expected a value; data: <html>"))),
        ]
        for row in cases {
            XCTAssertEqual(AnthropicStreamParser.parseMessage(Array(row.body.utf8)), row.expected, row.name)
            XCTAssertEqual(ProviderStreamParser.parseBody(Array(row.body.utf8), dialect: .anthropic), row.expected, row.name)
        }
    }

    // MARK: - Helpers

    /// The stream of Anthropic's "Basic streaming request" example.
    static let documentedStream = """
        event: message_start
        data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

        event: content_block_start
        data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " How can I help?"}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 0}

        event: message_delta
        data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

        event: message_stop
        data: {"type": "message_stop"}


        """

    /// Decodes `text` in pieces of `chunkSize` bytes and parses every event with one parser.
    static func decode(_ text: String, chunkSize: Int, dialect: APIDialect = .anthropic) -> [StreamUpdate] {
        let bytes = Array(text.utf8)
        var decoder = SSEDecoder()
        var parser = ProviderStreamParser(dialect: dialect)
        var updates: [StreamUpdate] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            decoder.feed(bytes[start..<end]) { updates.append(parser.parse($0)) }
            start = end
        }
        return updates
    }
}
