/// One dispatched Server-Sent Event.
public struct SSEEvent: Equatable, Sendable {
    /// The `event:` field, or "message" when the event had none.
    public var type: String
    /// The `data:` lines joined with LF, as raw bytes (UTF-8 for every provider we speak).
    public var data: [UInt8]
    /// The last `id:` seen, if any.
    public var id: String?

    public init(type: String = "message", data: [UInt8], id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }
}
