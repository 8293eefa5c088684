import XCTest
final class MockProviderTestsPlaceholder: XCTestCase { func testNothing() {} }
