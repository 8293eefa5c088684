/// Incremental Server-Sent Events decoder following the WHATWG HTML "event stream" rules.
///
/// Feed it network chunks as they arrive; it calls back once per dispatched event. Chunk
/// boundaries may fall anywhere, including inside a CRLF pair or inside the leading UTF-8 BOM.
///
/// Rules implemented (WHATWG HTML §9.2.6):
/// - lines end in CRLF, LF or CR; a CR ending one chunk and an LF starting the next are one ending;
/// - one UTF-8 BOM (EF BB BF) at the very start of the stream is dropped;
/// - an empty line dispatches the pending event when its data buffer is non-empty, and always
///   resets the event type;
/// - a line starting with `:` is a comment;
/// - otherwise the field name is the text before the first `:` and the value the text after it,
///   minus one leading space; a line without a colon is a field with an empty value;
/// - `data` appends value + LF (the last LF is dropped at dispatch), `event` sets the type
///   (default "message"), `id` sets the last event ID unless the value contains NUL, `retry` is
///   recorded when it is all ASCII digits, other fields are ignored;
/// - an unterminated event at end of stream is discarded.
///
/// Cost: one pass over the bytes; a line that lies wholly inside one chunk is processed in place,
/// only a line split across chunks is copied into a reusable buffer. `feedBorrowed` allocates
/// nothing per event (it lends the event's bytes to the callback); `feed` copies each event into an
/// `SSEEvent`. Strings are created only for `id` values (and, by `feed`, for event types).
///
/// Limitation: a line is buffered until its ending arrives, with no size cap; callers that must
/// bound memory against a hostile server should bound the response size instead.
public struct SSEDecoder {
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20

    /// Bytes of the current line that arrived in earlier chunks.
    private var partialLine: [UInt8]
    /// The event's data buffer: each `data` value followed by LF.
    private var data: [UInt8]
    /// The `event` field's value of the pending event, when `hasEventType`.
    private var eventType: [UInt8]
    /// The pending event has an `event` field other than "message".
    private var hasEventType = false
    /// The last event ID buffer (persists across events, as the spec says).
    private var lastEventID: String?
    /// The previous chunk ended in CR, so an LF at the start of this one ends nothing.
    private var lastByteWasCR = false
    /// Bytes of the leading BOM matched so far; -1 once the stream start has been handled.
    private var bomBytesMatched = 0

    /// The last valid `retry:` value in milliseconds, if the server sent one.
    public private(set) var retryMillis: Int?

    /// Creates a decoder for one stream.
    /// - Parameter initialCapacity: bytes reserved for the partial-line and data buffers.
    public init(initialCapacity: Int = 512) {
        partialLine = []
        partialLine.reserveCapacity(initialCapacity)
        data = []
        data.reserveCapacity(initialCapacity)
        eventType = []  // allocated by the first `event:` line only (OpenAI streams have none)
    }

    /// Feeds the next chunk of bytes from the network; calls `onEvent` for every event it completes.
    /// - Parameters:
    ///   - bytes: the chunk; it is not retained.
    ///   - onEvent: called synchronously, in stream order, once per dispatched event.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, onEvent: (SSEEvent) -> Void) {
        feedBorrowed(bytes) { onEvent($0.makeEvent()) }
    }

    /// Feeds the next chunk of bytes; lends every event it completes to `onEvent` without copying it.
    /// - Parameters:
    ///   - bytes: the chunk; it is not retained.
    ///   - onEvent: called synchronously, in stream order, once per dispatched event; the view's
    ///     buffers are valid only during the call.
    public mutating func feedBorrowed(_ bytes: UnsafeRawBufferPointer, onEvent: (SSEEventView) -> Void) {
        guard let raw = bytes.baseAddress, bytes.count > 0 else { return }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        var start = 0

        if bomBytesMatched >= 0 {
            start = skipBOM(base, count)
            if bomBytesMatched >= 0 { return }  // the whole chunk was a BOM prefix: need more bytes
        }
        if lastByteWasCR {
            lastByteWasCR = false
            if start < count && base[start] == Self.lf { start += 1 }
        }

        while start < count {
            // Scan for the next CR or LF: eight bytes at a time, then byte by byte.
            var end = start
            while count - end >= 8 {
                let ends = Self.lineEnds(UInt64(littleEndian: UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self)))
                if ends != 0 {
                    end += ends.trailingZeroBitCount >> 3
                    break
                }
                end += 8
            }
            while end < count {
                let byte = base[end]
                if byte == Self.lf || byte == Self.cr { break }
                end += 1
            }
            if end == count {
                partialLine.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
                return
            }
            if partialLine.isEmpty {
                processLine(UnsafeBufferPointer(start: base + start, count: end - start), onEvent: onEvent)
            } else {
                partialLine.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                processPartialLine(onEvent: onEvent)
            }
            if base[end] == Self.cr {
                if end + 1 < count {
                    if base[end + 1] == Self.lf { end += 1 }
                } else {
                    lastByteWasCR = true
                }
            }
            start = end + 1
        }
    }

    /// Convenience for tests and tools: feeds any byte sequence as one chunk.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes, onEvent: (SSEEvent) -> Void) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), onEvent: onEvent)
        }
        if done == nil {
            let array = Array(bytes)
            array.withUnsafeBytes { feed($0, onEvent: onEvent) }
        }
    }

    /// Ends the stream and resets the decoder so it can decode another stream.
    ///
    /// An unterminated event is discarded, as the spec requires.
    /// - Returns: true when an unterminated event was pending and has been dropped: data lines not
    ///   yet followed by an empty line, or an unfinished line that is not a comment.
    @discardableResult
    public mutating func finish() -> Bool {
        let droppedLine = !partialLine.isEmpty && partialLine[0] != Self.colon
        let dropped = droppedLine || !data.isEmpty
        partialLine.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
        eventType.removeAll(keepingCapacity: true)
        hasEventType = false
        lastEventID = nil
        lastByteWasCR = false
        bomBytesMatched = 0
        retryMillis = nil
        return dropped
    }

    // MARK: - Lines

    /// Matches the leading BOM; returns the index of the first byte after what it consumed.
    /// Leaves `bomBytesMatched` at -1 once decided, or >= 0 when the chunk ended inside a BOM prefix.
    private mutating func skipBOM(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let bom: (UInt8, UInt8, UInt8) = (0xEF, 0xBB, 0xBF)
        var index = 0
        while index < count && bomBytesMatched < 3 {
            let expected = bomBytesMatched == 0 ? bom.0 : (bomBytesMatched == 1 ? bom.1 : bom.2)
            guard base[index] == expected else {
                // Not a BOM after all: the bytes matched so far are ordinary line content.
                if bomBytesMatched >= 1 { partialLine.append(bom.0) }
                if bomBytesMatched >= 2 { partialLine.append(bom.1) }
                bomBytesMatched = -1
                return index
            }
            bomBytesMatched += 1
            index += 1
        }
        if bomBytesMatched == 3 { bomBytesMatched = -1 }
        return index
    }

    /// Processes the line accumulated in `partialLine`, then empties it (keeping its capacity).
    private mutating func processPartialLine(onEvent: (SSEEventView) -> Void) {
        var line: [UInt8] = []
        swap(&line, &partialLine)
        line.withUnsafeBufferPointer { processLine($0, onEvent: onEvent) }
        line.removeAll(keepingCapacity: true)
        swap(&line, &partialLine)
    }

    /// Interprets one complete line (without its line ending).
    private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, onEvent: (SSEEventView) -> Void) {
        let count = line.count
        if count == 0 {
            dispatch(onEvent: onEvent)
            return
        }
        if line[0] == Self.colon { return }  // comment

        var nameEnd = 0
        while nameEnd < count && line[nameEnd] != Self.colon { nameEnd += 1 }
        var valueStart = nameEnd + 1
        if valueStart < count && line[valueStart] == Self.space { valueStart += 1 }
        let value = valueStart < count
            ? UnsafeBufferPointer(rebasing: line[valueStart..<count])
            : UnsafeBufferPointer(start: line.baseAddress, count: 0)

        switch nameEnd {
        case 4 where line[0] == 0x64 && line[1] == 0x61 && line[2] == 0x74 && line[3] == 0x61:  // data
            data.append(contentsOf: value)
            data.append(Self.lf)
        case 5 where line[0] == 0x65 && line[1] == 0x76 && line[2] == 0x65 && line[3] == 0x6E
            && line[4] == 0x74:  // event
            eventType.removeAll(keepingCapacity: true)
            hasEventType = !Self.isMessage(value)
            if hasEventType { eventType.append(contentsOf: value) }
        case 2 where line[0] == 0x69 && line[1] == 0x64:  // id
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case 5 where line[0] == 0x72 && line[1] == 0x65 && line[2] == 0x74 && line[3] == 0x72
            && line[4] == 0x79:  // retry
            recordRetry(value)
        default:
            break  // unknown field: ignored
        }
    }

    /// Dispatches the pending event (if it has data) and resets the per-event state.
    private mutating func dispatch(onEvent: (SSEEventView) -> Void) {
        defer { hasEventType = false }
        guard !data.isEmpty else { return }
        let id = lastEventID
        let typed = hasEventType
        data.withUnsafeBufferPointer { payload in
            eventType.withUnsafeBufferPointer { type in
                // The data without its last LF.
                onEvent(SSEEventView(type: typed ? type : nil, data: UnsafeBufferPointer(rebasing: payload.dropLast()), id: id))
            }
        }
        data.removeAll(keepingCapacity: true)
    }

    private mutating func recordRetry(_ value: UnsafeBufferPointer<UInt8>) {
        guard !value.isEmpty, value.count <= 18 else { return }
        var millis = 0
        for byte in value {
            guard byte >= 0x30 && byte <= 0x39 else { return }
            millis = millis * 10 + Int(byte - 0x30)
        }
        retryMillis = millis
    }

    /// The high bit of each of the word's bytes (in memory order from the lowest) that is CR or LF,
    /// and perhaps of later ones: the lowest set bit is exact (the zero-byte bit trick).
    @inline(__always)
    private static func lineEnds(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let lf = word ^ (ones &* 0x0A)
        let cr = word ^ (ones &* 0x0D)
        return ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & (ones &* 0x80)
    }

    private static func isMessage(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        value.count == 7 && value[0] == 0x6D && value[1] == 0x65 && value[2] == 0x73 && value[3] == 0x73
            && value[4] == 0x61 && value[5] == 0x67 && value[6] == 0x65
    }
}
