import LoadCore

/// The body of one response as it arrives: an SSE stream goes through the decoder and the
/// dialect's parser event by event; anything else (a non-streamed answer, an error body) is kept
/// whole, up to `maxBodyBytes`.
///
/// A 2xx body is read as a stream when its `Content-Type` says `text/event-stream`, or, without a
/// `Content-Type`, when it starts like one (`data:` or `event:` after any blank space).
/// Reused across attempts: `reset()` keeps the buffers.
final class ResponseBodyReader {
    enum Kind: Equatable {
        /// No body byte yet, or too few to tell an event stream without a `Content-Type`.
        case undecided
        case eventStream
        case plain
    }

    /// Bodies kept for non-streamed successes and for error responses (the error text).
    static let maxBodyBytes = 1 << 20
    /// The most bytes held back to tell an event stream without a `Content-Type` from a plain body.
    static let maxSniffBytes = 256
    /// A single SSE event larger than this is a broken server, not a completion.
    static let maxEventBytes = 1 << 20

    private(set) var kind = Kind.undecided
    /// The kept body (not for event streams).
    private(set) var body: [UInt8] = []
    private(set) var sawDone = false
    /// The first failure the stream reported (an error event, malformed data).
    private(set) var failure: StreamFailure?
    private var decoder = SSEDecoder()
    private var parser: ProviderStreamParser
    /// Stream bytes received since the last complete SSE event; bounds the decoder's buffers.
    private var bytesSinceLastEvent = 0
    /// The response said its events carry the mock's send stamps (`x-mock-sent-ns`): read them.
    private var readsSendStamps = false

    init(dialect: APIDialect) {
        parser = ProviderStreamParser(dialect: dialect)
    }

    var isEventStream: Bool { kind == .eventStream }

    /// Forgets the previous response.
    func reset() {
        kind = .undecided
        body.removeAll(keepingCapacity: false)
        sawDone = false
        failure = nil
        bytesSinceLastEvent = 0
        readsSendStamps = false
        _ = decoder.finish()  // resets it for a new stream, keeping its buffers
        parser.reset()
    }

    /// Takes the next body bytes.
    /// - Parameters:
    ///   - headers: the response's headers (complete: libcurl hands the body over after them).
    ///   - onUpdate: called with what each stream event brought.
    /// - Returns: nil, or why the transfer must stop (the server broke the protocol).
    func receive(_ bytes: UnsafeRawBufferPointer, headers: ResponseHeaderScan, onUpdate: (StreamUpdate) -> Void) -> String? {
        if kind == .undecided {
            kind = Self.kind(headers: headers, start: body, next: bytes)
            guard kind != .undecided else {
                body.append(contentsOf: bytes)
                return nil
            }
            readsSendStamps = headers.hasSendStamps
            if kind == .eventStream && !body.isEmpty {
                // The bytes held back while telling the stream apart.
                let held = body
                body.removeAll(keepingCapacity: false)
                if let stop = held.withUnsafeBytes({ feed($0, onUpdate: onUpdate) }) { return stop }
            }
        }
        if kind == .eventStream {
            return feed(bytes, onUpdate: onUpdate)
        }
        if body.count < Self.maxBodyBytes {
            body.append(contentsOf: bytes.prefix(Self.maxBodyBytes - body.count))
        }
        return nil
    }

    /// Ends the body: a stream still undecided is plain text.
    /// - Returns: true when the stream ended inside an event (its partial event is dropped).
    func finish() -> Bool {
        if kind == .undecided { kind = .plain }
        return decoder.finish()
    }

    // MARK: - Pieces

    /// Takes the next bytes of a body known to be an event stream (`isEventStream`): what `receive`
    /// does then, without looking at the headers again.
    func feed(_ bytes: UnsafeRawBufferPointer, onUpdate: (StreamUpdate) -> Void) -> String? {
        bytesSinceLastEvent += bytes.count
        // Events are lent, not copied: nothing is allocated per event.
        decoder.feedBorrowed(bytes) { event in
            self.bytesSinceLastEvent = 0
            var update = self.parser.parse(event)
            if self.readsSendStamps { update.sentStampNanos = SendStampField.nanos(in: event.data) }
            self.absorb(update, onUpdate: onUpdate)
        }
        if bytesSinceLastEvent > Self.maxEventBytes {
            return "an SSE event exceeded \(Self.maxEventBytes) bytes without ending"
        }
        return nil
    }

    private func absorb(_ update: StreamUpdate, onUpdate: (StreamUpdate) -> Void) {
        if update.done { sawDone = true }
        if failure == nil, let reported = update.failure { failure = reported }
        onUpdate(update)
    }

    /// What a body is, from its headers and, without a `Content-Type`, its first bytes.
    static func kind(headers: ResponseHeaderScan, start: [UInt8], next: UnsafeRawBufferPointer) -> Kind {
        guard headers.isSuccess else { return .plain }
        switch headers.contentType {
        case .eventStream: return .eventStream
        case .other: return .plain
        case .absent:
            let seen = start + next
            let kind = sniff(seen)
            // Only blank space so far: a body this long that still says nothing is not a stream.
            return kind == .undecided && seen.count > maxSniffBytes ? .plain : kind
        }
    }

    /// `data:` or `event:` after any blank space: an event stream; another byte there: plain; too
    /// few bytes to tell: undecided.
    static func sniff(_ bytes: [UInt8]) -> Kind {
        guard let first = bytes.firstIndex(where: { ![32, 9, 10, 13].contains($0) }) else { return .undecided }
        let rest = bytes[first...]
        for marker in ["data:", "event:"].map({ Array($0.utf8) }) {
            if rest.starts(with: marker) { return .eventStream }
            if marker.starts(with: rest) { return .undecided }
        }
        return .plain
    }
}
