/// A failure of the engine itself (not of a request: failed requests are recorded, not thrown).
public struct EngineError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Wraps a libuv return code, keeping libuv's own text.
    static func uv(_ call: String, _ code: Int32) -> EngineError {
        EngineError("\(call) failed: \(UVLoop.errorText(code))")
    }
}
