import XCTest
final class LoadCoreTestsPlaceholder: XCTestCase { func testNothing() {} }
