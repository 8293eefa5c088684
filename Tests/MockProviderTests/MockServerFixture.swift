import XCTest

@testable import MockProvider

extension XCTestCase {
    /// Starts a mock server on a free loopback port and shuts it down when the test ends.
    func startMockServer(_ configure: (inout MockConfig) -> Void = { _ in }) throws -> (server: MockServer, port: Int) {
        var config = MockConfig()
        config.threads = 2
        configure(&config)
        let server = MockServer(config: config)
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
