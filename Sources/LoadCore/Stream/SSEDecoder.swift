// STUB: to be replaced by the real WHATWG decoder.
/// Incremental Server-Sent Events decoder (WHATWG rules).
public struct SSEDecoder {
    public init() {}

    /// Feeds the next chunk of bytes from the network; calls `onEvent` for every event it completes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, onEvent: (SSEEvent) -> Void) {}

    /// Convenience for tests and tools.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes, onEvent: (SSEEvent) -> Void) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { feed($0, onEvent: onEvent) }
    }

    /// Ends the stream. Returns true when an unterminated event was pending and has been dropped.
    @discardableResult
    public mutating func finish() -> Bool { false }
}
