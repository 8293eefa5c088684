import XCTest

@testable import LoadCore

/// Borrowed events (`SSEDecoder.feedBorrowed`, the engine's path) decode and parse exactly as
/// copied ones (`feed` and `SSEEvent`).
final class SSEEventViewTests: XCTestCase {
    /// Calls `body` with a view lending `event`'s bytes.
    private func withView<Result>(_ event: SSEEvent, _ body: (SSEEventView) -> Result) -> Result {
        let type = Array(event.type.utf8)
        return event.data.withUnsafeBufferPointer { data in
            type.withUnsafeBufferPointer { typeBytes in
                body(SSEEventView(type: event.type == "message" ? nil : typeBytes, data: data, id: event.id))
            }
        }
    }

    func testViewsCarryTheEventsFields() {
        let stream = "event: content_block_delta\ndata: {\"a\":1}\ndata: 2\n\nevent: message\nid: 7\ndata: x\n\n"
            + "event:\ndata: y\n\nevent: ping\n: comment\n\ndata: z\n\n"
        var decoder = SSEDecoder()
        var seen: [(type: String, isMessage: Bool, delta: Bool, ping: Bool, message: Bool, data: String, id: String?)] = []
        Array(stream.utf8).withUnsafeBytes { bytes in
            decoder.feedBorrowed(bytes) { view in
                let event = view.makeEvent()
                seen.append((event.type, view.isMessage, view.hasType("content_block_delta"), view.hasType("ping"),
                             view.hasType("message"), String(decoding: view.data, as: UTF8.self), view.id))
            }
        }
        XCTAssertEqual(seen.map(\.type), ["content_block_delta", "message", "", "message"])
        XCTAssertEqual(seen.map(\.isMessage), [false, true, false, true])
        XCTAssertEqual(seen.map(\.delta), [true, false, false, false])
        XCTAssertEqual(seen.map(\.ping), [false, false, false, false])  // the ping event has no data: never dispatched
        XCTAssertEqual(seen.map(\.message), [false, true, false, true])
        XCTAssertEqual(seen.map(\.data), ["{\"a\":1}\n2", "x", "y", "z"])
        XCTAssertEqual(seen.map(\.id), [nil, "7", "7", "7"])
    }

    func testBorrowedAndCopiedDecodingAgreeOnEverySplit() {
        let stream = Array((AnthropicStreamParserTests.documentedStream + "\r\nid: 3\r\nevent: error\r\ndata: {}\r\n\r\n").utf8)
        for split in 1..<40 {
            var copied = SSEDecoder()
            var borrowed = SSEDecoder()
            var a: [SSEEvent] = []
            var b: [SSEEvent] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + split)
                stream[start..<end].withUnsafeBytes { chunk in
                    copied.feed(chunk) { a.append($0) }
                    borrowed.feedBorrowed(chunk) { b.append($0.makeEvent()) }
                }
                start = end
            }
            XCTAssertEqual(a, b, "split \(split)")
            XCTAssertFalse(a.isEmpty)
        }
    }

    func testOpenAIParsesViewsAsEvents() {
        var corpus = ChunkCorpus(seed: 15)
        var events = corpus.documents(count: 300).map { SSEEvent(data: $0) }
        events += OpenAIStreamParserTests.chunkCases.map { SSEEvent(data: Array($0.data.utf8)) }
        events += [SSEEvent(data: Array("[DONE]".utf8)), SSEEvent(type: "error", data: Array(#"{"error":"x"}"#.utf8)),
                   SSEEvent(type: "ping", data: Array("{}".utf8))]
        for event in events {
            var copied = ProviderStreamParser(dialect: .openAI)
            var borrowed = ProviderStreamParser(dialect: .openAI)
            XCTAssertEqual(withView(event) { borrowed.parse($0) }, copied.parse(event), String(decoding: event.data, as: UTF8.self))
        }
    }

    func testAnthropicParsesViewsAsEvents() {
        var copied = ProviderStreamParser(dialect: .anthropic)
        var borrowed = ProviderStreamParser(dialect: .anthropic)
        for row in AnthropicStreamParserTests.eventCases {
            let event = SSEEvent(type: row.type, data: Array(row.data.utf8))
            XCTAssertEqual(withView(event) { borrowed.parse($0) }, copied.parse(event), row.name)
        }
    }

    /// The decoder scans lines eight bytes at a time: a line end at every offset of a long line,
    /// and every kind of line end, still splits where it should.
    func testLineEndsAtEveryOffset() {
        for length in 0..<40 {
            for ending in ["\n", "\r", "\r\n"] {
                let value = String(repeating: "x", count: length)
                let stream = "data: \(value)\(ending)data: y\(ending)\(ending)"
                var decoder = SSEDecoder()
                var events: [SSEEvent] = []
                decoder.feed(Array(stream.utf8)) { events.append($0) }
                XCTAssertEqual(events.map { String(decoding: $0.data, as: UTF8.self) }, ["\(value)\ny"], "\(length) \(ending.debugDescription)")
            }
        }
    }

    /// JSON strings are scanned eight bytes at a time: a quote, an escape, a control byte or a
    /// non-ASCII byte at every offset is still seen.
    func testJSONStringSpecialBytesAtEveryOffset() {
        for length in 0..<24 {
            let plain = String(repeating: "a", count: length)
            for (inner, valid, escaped) in [("", true, false), ("\\n", true, true), ("é", true, false), ("\u{01}", false, false)] {
                let document = Array("{\"k\":\"\(plain)\(inner)\(plain)\"}".utf8)
                let result: (Bool, Bool)? = document.withUnsafeBufferPointer { buffer in
                    var cursor = JSONCursor(buffer)
                    do throws(JSONCursor.Rejection) {
                        _ = try cursor.enterObject()
                        _ = try cursor.readKey()
                        let string = try cursor.readString()
                        return (string.end - string.start == document.count - 8, string.hasEscapes)
                    } catch {
                        return nil
                    }
                }
                XCTAssertEqual(result != nil, valid, "\(length) \(inner.debugDescription)")
                if let result { XCTAssertEqual(result.0, true); XCTAssertEqual(result.1, escaped) }
            }
        }
    }
}
