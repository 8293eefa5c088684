import Foundation
import XCTest

/// `loadgen mock --fault`: bad values are refused with the reason.
final class MockFaultFlagTests: XCTestCase {
    func testBadFaultValuesSayWhatIsWrong() throws {
        // Table: --fault value → fragment of the error.
        let cases: [(String, String)] = [
            ("boom", "the kind comes first"),
            ("http", "needs status="),
            ("http,status=200", "from 400 to 599"),
            ("disconnect,aftr=3", "unknown key \"aftr\""),
            ("malformed,rate=2", "from 0 to 1"),
            ("stall,stall=soon", "a duration like 5s"),
            ("error_event,status=500", "http faults only"),
        ]
        for (value, fragment) in cases {
            let result = try BinaryRunner.run(["mock", "--port", "0", "--fault", value])
            XCTAssertNotEqual(result.status, 0, value)
            XCTAssertTrue(result.stderr.contains(fragment), "\(value): \(result.stderr)")
        }
        let tooMuch = try BinaryRunner.run(["mock", "--port", "0", "--fault", "disconnect,rate=0.6", "--fault", "malformed,rate=0.6"])
        XCTAssertNotEqual(tooMuch.status, 0)
        XCTAssertTrue(tooMuch.stderr.contains("add up to 1 or less"), tooMuch.stderr)
    }
}
