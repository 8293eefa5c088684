import XCTest

@testable import LoadCore

final class SSEDecoderTests: XCTestCase {
    // MARK: - Helpers

    /// Decodes `chunks` in order, then finishes; returns the events and finish()'s result.
    private func decode(_ chunks: [[UInt8]]) -> (events: [SSEEvent], dropped: Bool) {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { decoder.feed($0, onEvent: { events.append($0) }) }
        }
        let dropped = decoder.finish()
        return (events, dropped)
    }

    private func decode(_ text: String) -> (events: [SSEEvent], dropped: Bool) {
        decode([Array(text.utf8)])
    }

    private func event(_ data: String, type: String = "message", id: String? = nil) -> SSEEvent {
        SSEEvent(type: type, data: Array(data.utf8), id: id)
    }

    // MARK: - WHATWG rules

    func testWHATWGCases() {
        let cases: [(name: String, input: String, events: [SSEEvent], dropped: Bool)] = [
            // LF line endings, the common case.
            ("LF", "data: a\n\ndata: b\n\n", [event("a"), event("b")], false),
            // CRLF line endings.
            ("CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", [event("a"), event("b")], false),
            // CR-only line endings (old Mac style) are legal.
            ("CR", "data: a\r\rdata: b\r\r", [event("a"), event("b")], false),
            // Mixed endings in one stream: CRLF, then CR, then LF.
            ("mixed", "data: a\r\n\rdata: b\n\r\ndata: c\r\r", [event("a"), event("b"), event("c")], false),
            // Comment lines are ignored wherever they appear.
            ("comments", ": hello\ndata: a\n: in between\n\n:\n\n", [event("a")], false),
            // Multi-line data joins with LF; the final LF is stripped.
            ("multi-line data", "data: one\ndata: two\ndata: three\n\n", [event("one\ntwo\nthree")], false),
            // No space after the colon: the value starts right away.
            ("no space", "data:x\n\n", [event("x")], false),
            // Two spaces: only one is removed.
            ("two spaces", "data:  x\n\n", [event(" x")], false),
            // Only the first colon separates name and value.
            ("colon in value", "data: a: b\n\n", [event("a: b")], false),
            // A field with no colon has an empty value: `data` alone adds an empty line.
            ("field without colon", "data\ndata\n\n", [event("\n")], false),
            // One bare `data` line leaves "\n" in the buffer: non-empty, so an event with empty data dispatches.
            ("single bare data", "data\n\n", [event("")], false),
            // Empty data lines count: "data:" adds an LF.
            ("empty data lines", "data:\ndata: x\ndata:\n\n", [event("\nx\n")], false),
            // The event type applies to one event, then resets to "message".
            ("event type reset", "event: delta\ndata: a\n\ndata: b\n\n", [event("a", type: "delta"), event("b")], false),
            // A blank line with no data resets the type without dispatching.
            ("type reset without data", "event: ping\n\ndata: b\n\n", [event("b")], false),
            // An explicit "message" type is the default type.
            ("explicit message type", "event: message\ndata: a\n\n", [event("a")], false),
            // The last event id sticks to later events.
            ("id persists", "id: 7\ndata: a\n\ndata: b\n\n", [event("a", id: "7"), event("b", id: "7")], false),
            // An id containing NUL is ignored.
            ("id with NUL", "id: 1\n\nid: 2\u{0}x\ndata: a\n\n", [event("a", id: "1")], false),
            // An empty id resets the last event id to empty.
            ("empty id", "id: 1\nid\ndata: a\n\n", [event("a", id: "")], false),
            // Unknown fields and retry are ignored for the event itself.
            ("unknown and retry", "foo: bar\nretry: 3000\ndata: a\n\n", [event("a")], false),
            // Field names are case-sensitive: "Data" is unknown.
            ("case-sensitive names", "Data: a\ndata: b\n\n", [event("b")], false),
            // A leading BOM is stripped.
            ("BOM", "\u{FEFF}data: a\n\n", [event("a")], false),
            // A BOM later in the stream is content, not stripped: it makes the field name unknown.
            ("second BOM kept", "\u{FEFF}data: a\n\n\u{FEFF}data: b\n\n", [event("a")], false),
            // A BOM inside a value is kept.
            ("BOM in value", "data: \u{FEFF}a\n\n", [event("\u{FEFF}a")], false),
            // An unterminated last event is dropped and reported.
            ("unterminated event", "data: a\n\ndata: b\n", [event("a")], true),
            // An unfinished last line is dropped and reported.
            ("unfinished line", "data: a\n\ndata: b", [event("a")], true),
            // An unfinished comment at the end is not an event.
            ("unfinished comment", "data: a\n\n: keep", [event("a")], false),
            // A pending event type alone is nothing to drop.
            ("pending type only", "data: a\n\nevent: x\n", [event("a")], false),
            // Empty stream.
            ("empty", "", [], false),
            // UTF-8 content passes through as bytes.
            ("UTF-8 data", "data: héllo ✓\n\n", [event("héllo ✓")], false),
        ]
        for row in cases {
            let result = decode(row.input)
            XCTAssertEqual(result.events, row.events, row.name)
            XCTAssertEqual(result.dropped, row.dropped, "\(row.name): finish()")
        }
    }

    func testRetryIsRecorded() {
        var decoder = SSEDecoder()
        decoder.feed(Array("retry: 1500\n\nretry: x1\n".utf8)) { _ in XCTFail("no events expected") }
        XCTAssertEqual(decoder.retryMillis, 1500)  // the invalid second value is ignored
    }

    func testBOMSplitAcrossChunks() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = Array("data: a\n\n".utf8)
        // BOM fed one byte per chunk, then the body.
        let split = decode([[bom[0]], [bom[1]], [bom[2]], body])
        XCTAssertEqual(split.events, [event("a")])
        // A BOM prefix that turns out not to be a BOM is line content ("\u{EF}\u{BB}data" is an unknown field).
        let notBOM = decode([[0xEF], [0xBB], Array("data: a\n\ndata: b\n\n".utf8)])
        XCTAssertEqual(notBOM.events, [event("b")])
    }

    func testCRAtChunkEndThenLFIsOneLineEnding() {
        // "data: a\r" | "\ndata: b\r\n\r\n": if CR and LF were two endings, the LF would be an empty line
        // and dispatch "a" alone; as one ending, "a" and "b" form one event.
        let result = decode([Array("data: a\r".utf8), Array("\ndata: b\r\n\r\n".utf8)])
        XCTAssertEqual(result.events, [event("a\nb")])
        // CR at a chunk end followed by a non-LF byte: the CR alone ended the line.
        let crOnly = decode([Array("data: a\r".utf8), Array("data: b\r\r".utf8)])
        XCTAssertEqual(crOnly.events, [event("a\nb")])
    }

    func testDecoderIsReusableAfterFinish() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed(Array("id: 1\nevent: x\ndata: partial".utf8)) { events.append($0) }
        XCTAssertTrue(decoder.finish())
        decoder.feed(Array("\u{FEFF}data: fresh\n\n".utf8)) { events.append($0) }
        XCTAssertFalse(decoder.finish())
        XCTAssertEqual(events, [event("fresh")])  // no stale id, type or BOM state
    }

    func testGenericSequenceFeed() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed("data: a\n\n".utf8) { events.append($0) }  // not contiguous: goes through Array
        decoder.feed(Array("data: b\n\n".utf8)[...]) { events.append($0) }  // ArraySlice: contiguous
        XCTAssertEqual(events, [event("a"), event("b")])
    }

    // MARK: - Chunking invariance

    /// Realistic streams; each must decode the same however it is split.
    private var realisticStreams: [(name: String, bytes: [UInt8])] {
        let chunk = #"{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
        let role = #"{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#
        let usage = #"{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2}}"#
        return [
            // OpenAI stream with CRLF endings.
            ("openai CRLF", Array("data: \(role)\r\n\r\ndata: \(chunk)\r\n\r\ndata: \(chunk)\r\n\r\ndata: \(usage)\r\n\r\ndata: [DONE]\r\n\r\n".utf8)),
            // The same with CR-only endings.
            ("openai CR", Array("data: \(role)\r\rdata: \(chunk)\r\rdata: \(usage)\r\rdata: [DONE]\r\r".utf8)),
            // BOM, comments, event types and ids (Anthropic-like).
            ("BOM and comments", Array("\u{FEFF}: keep-alive\r\nevent: message_start\nid: 1\ndata: {\"type\":\"message_start\"}\n\n: ping\r\nevent: ping\ndata: {}\r\n\r\nid: 2\ndata: {\"type\":\"content_block_delta\"}\n\n".utf8)),
            // Multi-line data, mixed endings, field without colon, trailing unterminated event.
            ("multi-line", Array("data: line one\r\ndata:line two\rdata\ndata:  indented\n\nevent: done\rdata: x\r\n\r\ndata: tail".utf8)),
        ]
    }

    func testEveryTwoChunkSplitYieldsSameEvents() {
        for stream in realisticStreams {
            let whole = decode([stream.bytes])
            XCTAssertFalse(whole.events.isEmpty, stream.name)
            for offset in 0...stream.bytes.count {
                let split = decode([Array(stream.bytes[..<offset]), Array(stream.bytes[offset...])])
                XCTAssertEqual(split.events, whole.events, "\(stream.name) split at \(offset)")
                XCTAssertEqual(split.dropped, whole.dropped, "\(stream.name) split at \(offset): finish()")
            }
        }
    }

    func testRandomMultiChunkSplitsYieldSameEvents() {
        var random = TestRandom(seed: 0x5EED)
        for stream in realisticStreams {
            let whole = decode([stream.bytes])
            // One-byte chunks: the harshest split.
            XCTAssertEqual(decode(stream.bytes.map { [$0] }).events, whole.events, "\(stream.name) byte by byte")
            for trial in 0..<500 {
                var chunks: [[UInt8]] = []
                var start = 0
                // Chunk sizes 0...16 (an empty chunk must be harmless too), sometimes bigger.
                while start < stream.bytes.count {
                    let size = random.next() % 8 == 0 ? Int(random.next() % 64) : Int(random.next() % 17)
                    let end = min(stream.bytes.count, start + size)
                    chunks.append(Array(stream.bytes[start..<end]))
                    start = end
                }
                let split = decode(chunks)
                XCTAssertEqual(split.events, whole.events, "\(stream.name) trial \(trial)")
                XCTAssertEqual(split.dropped, whole.dropped, "\(stream.name) trial \(trial): finish()")
            }
        }
    }

    func testRealisticStreamsDecodeToExpectedEvents() {
        let streams = realisticStreams
        // CRLF OpenAI stream: 5 events, the last one is [DONE].
        let openAI = decode([streams[0].bytes])
        XCTAssertEqual(openAI.events.count, 5)
        XCTAssertEqual(openAI.events.last, event("[DONE]"))
        XCTAssertFalse(openAI.dropped)
        // BOM stream: three events with types and ids as sent.
        let bom = decode([streams[2].bytes])
        XCTAssertEqual(bom.events, [
            event(#"{"type":"message_start"}"#, type: "message_start", id: "1"),
            event("{}", type: "ping", id: "1"),
            event(#"{"type":"content_block_delta"}"#, id: "2"),
        ])
        // Multi-line stream: joined data, the unterminated tail is dropped.
        let multi = decode([streams[3].bytes])
        XCTAssertEqual(multi.events, [event("line one\nline two\n\n indented"), event("x", type: "done")])
        XCTAssertTrue(multi.dropped)
    }
}

/// SplitMix64, for reproducible random chunkings.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
