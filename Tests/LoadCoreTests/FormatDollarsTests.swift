import XCTest

@testable import LoadCore

/// The report's dollar amounts: fixed decimals from a cent up, three significant digits below,
/// never in exponent notation (the mock's prices make per-request costs of a few millionths).
final class FormatDollarsTests: XCTestCase {
    func testDollars() {
        let cases: [(Double, String)] = [
            (0, "$0"),
            (0.0476, "$0.0476"),               // from a cent up: four decimals
            (12.5, "$12.5000"),
            (0.0016, "$0.0016"),               // below a cent: three significant digits, zeros dropped
            (0.000165277, "$0.000165"),
            (0.0001, "$0.0001"),
            (0.000032, "$0.000032"),           // %.3g would print 3.2e-05
            (0.00000123456, "$0.00000123"),
            (0.009999, "$0.01"),               // rounds up to a cent
        ]
        for (value, text) in cases {
            XCTAssertEqual(Format.dollars(value), text, "\(value)")
        }
    }
}
