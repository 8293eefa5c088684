import LoadCore
import XCTest

@testable import MockProvider

extension XCTestCase {
    /// Starts a mock server on a free loopback port and shuts it down when the test ends. The
    /// settings start from `MockConfig.immediate` (no delays, 16 tokens).
    func startMockServer(
        threads: Int = 2, seed: UInt64 = 1, _ configure: (inout Profile.MockSettings) -> Void = { _ in }
    ) throws -> (server: MockServer, port: Int) {
        var settings = MockConfig.immediate
        configure(&settings)
        let server = MockServer(config: MockConfig(settings: settings, seed: seed, threads: threads))
        let port = try server.start()
        addTeardownBlock { server.shutdown() }
        return (server, port)
    }

    /// Parses an SSE event's data as a JSON object.
    func eventJSON(_ event: LoopbackResponse.TimedEvent, file: StaticString = #filePath, line: UInt = #line) throws
        -> [String: Any]
    {
        let object = try JSONSerialization.jsonObject(with: Data(event.data.utf8))
        return try XCTUnwrap(object as? [String: Any], "event is not a JSON object: \(event.data)", file: file, line: line)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `choices[0]` of a completion or chunk.
    var firstChoice: [String: Any]? {
        (self["choices"] as? [[String: Any]])?.first
    }
}
