import LoadCore
import XCTest

/// Reading the mock's `x_mock_sent_ns` stamp from an event's data.
final class SendStampFieldTests: XCTestCase {
    private func nanos(_ text: String) -> UInt64? { SendStampField.nanos(in: Array(text.utf8)) }

    func testReadsTheLastMember() {
        XCTAssertEqual(nanos(#"{"id":"x","choices":[],"x_mock_sent_ns":81273845337120}"#), 81_273_845_337_120)
        XCTAssertEqual(nanos(#"{"x_mock_sent_ns":7}"#), 7)
        XCTAssertEqual(nanos("{\"a\":1,\"x_mock_sent_ns\":12}\r\n "), 12, "blank space after the brace")
    }

    func testAnythingElseIsNoStamp() {
        XCTAssertNil(nanos(#"{"id":"x","choices":[]}"#))
        XCTAssertNil(nanos("[DONE]"))
        XCTAssertNil(nanos(""))
        XCTAssertNil(nanos(#"{"y_mock_sent_ns":12}"#))
        XCTAssertNil(nanos(#"{"x_mock_sent_ns":}"#))
        XCTAssertNil(nanos(#"{"x_mock_sent_ns":99999999999999999999}"#), "overflow")
        XCTAssertNil(nanos(#"{"x_mock_sent_ns":12,"z":1}"#), "not the last member")
    }
}
