#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoadCore
import NIOCore
import XCTest

@testable import MockProvider

/// `stamp`: the send time on every event and on the response head, and nothing without it.
final class SendStampTests: XCTestCase {
    func testEveryDataObjectGetsTheFieldLast() {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        buffer.writeString("head")
        let start = buffer.writerIndex
        buffer.writeString("event: x\ndata: {\"a\":1}\n\ndata: {}\n\ndata: [DONE]\n\n")
        SendStamp.stampEvents(in: &buffer, from: start, nanos: 42)
        XCTAssertEqual(buffer.readString(length: buffer.readableBytes),
                       "headevent: x\ndata: {\"a\":1,\"x_mock_sent_ns\":42}\n\ndata: {\"x_mock_sent_ns\":42}\n\ndata: [DONE]\n\n")
    }

    /// Over loopback, in both dialects: a stamp on the head and on each event, never decreasing,
    /// none after the client read the event (the same clock on one host).
    func testStampsArePresentMonotonicAndNotAfterReceipt() throws {
        let (_, port) = try startMockServer {
            $0.stamp = true
            $0.interTokenNanos = 2_000_000
            $0.outputTokens = 5
        }
        let openAI = LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true, includeUsage: true))
        let anthropic = LoopbackClient.requestBytes(
            path: "/v1/messages", headers: ["anthropic-version": "2023-06-01"],
            body: #"{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        for request in [openAI, anthropic] {
            let response = try LoopbackClient.exchange(port: port, request)
            XCTAssertEqual(response.status, 200)
            let headerStamp = try XCTUnwrap(response.header("x-mock-sent-ns").flatMap { UInt64($0) })
            XCTAssertLessThanOrEqual(headerStamp, try XCTUnwrap(response.events.first).arrivalNanos)
            var previous = headerStamp
            var stamped = 0
            for event in response.events where event.data != "[DONE]" {
                // An Anthropic event comes with its `event:` line: its data is the last line.
                let lastLine = event.data.split(separator: "\n").last.map(String.init) ?? ""
                let data = lastLine.hasPrefix("data: ") ? String(lastLine.dropFirst(6)) : lastLine
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
                let stamp = try XCTUnwrap((object["x_mock_sent_ns"] as? NSNumber)?.uint64Value, event.data)
                XCTAssertGreaterThanOrEqual(stamp, previous, "stamps never go backwards")
                XCTAssertLessThanOrEqual(stamp, event.arrivalNanos, "sent before it was received")
                previous = stamp
                stamped += 1
            }
            XCTAssertGreaterThanOrEqual(stamped, 6, "every event with a JSON object is stamped")
        }
    }

    func testNoStampsWithoutTheSetting() throws {
        let (_, port) = try startMockServer { $0.outputTokens = 2 }
        let response = try LoopbackClient.exchange(
            port: port, LoopbackClient.requestBytes(body: LoopbackClient.chatBody(stream: true)))
        XCTAssertNil(response.header("x-mock-sent-ns"))
        XCTAssertFalse(response.bodyText.contains("x_mock_sent_ns"))
    }

    /// `target.mock.stamp` is read, written to the resolved profile, and read back the same.
    func testTheProfileSettingRoundTrips() throws {
        let yaml = "target: {provider: mock, mock: {stamp: true}}\nload: {mode: closed, users: 1, requests: 1}\n"
        let profile = try Profile.parse(yaml: yaml, file: "p.yaml")
        XCTAssertEqual(profile.target.mock?.stamp, true)
        XCTAssertTrue(profile.resolvedYAML().contains("stamp: true"))
        XCTAssertEqual(try Profile.parse(yaml: profile.resolvedYAML(), file: "p.yaml"), profile)
        XCTAssertThrowsError(try Profile.parse(yaml: yaml.replacingOccurrences(of: "stamp: true", with: "stamp: 3"), file: "p.yaml"))
    }
}
