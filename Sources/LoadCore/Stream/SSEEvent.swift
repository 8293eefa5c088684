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

/// One dispatched Server-Sent Event lent by `SSEDecoder.feedBorrowed`: its bytes stay in the
/// decoder's buffers and are valid only during the callback (no allocation per event).
public struct SSEEventView {
    /// The `event:` field's bytes; nil when the event had none, or it was "message".
    public var type: UnsafeBufferPointer<UInt8>?
    /// The `data:` lines joined with LF.
    public var data: UnsafeBufferPointer<UInt8>
    /// The last `id:` seen, if any.
    public var id: String?

    /// True when the type is "message" (the field absent, or saying so).
    public var isMessage: Bool { type == nil }

    /// True when the event's type is exactly `name` ("message" included).
    public func hasType(_ name: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard let type else { return expected.elementsEqual("message".utf8) }
        return type.elementsEqual(expected)
    }

    /// A copy that outlives the callback.
    public func makeEvent() -> SSEEvent {
        SSEEvent(type: type.map { String(decoding: $0, as: UTF8.self) } ?? "message", data: Array(data), id: id)
    }
}
