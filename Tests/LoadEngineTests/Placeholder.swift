import XCTest
final class LoadEngineTestsPlaceholder: XCTestCase { func testNothing() {} }
