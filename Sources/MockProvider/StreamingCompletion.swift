import LoadCore
import NIOCore

/// The progress of one streamed completion: which events are out and when the next is due.
///
/// The first token is due at arrival + TTFT (absolute, so TTFT never drifts). Each later token is
/// due one inter-token delay after the previous token was actually written, as a model generating
/// tokens one after another would send them: a gap is never shorter than the delay, and a server
/// that falls behind stretches the stream instead of bunching tokens. With a zero delay every token
/// goes out in one chunk, in the same write as the headers when the TTFT is zero too.
///
/// The events themselves come from the dialect (`MockStreamEvents`). A stream fault in the plan
/// fires once, right after token `afterTokens` is written (with 0 tokens: at the first token's
/// deadline; a stall with 0 tokens: right after the headers, before any body byte).
struct StreamingCompletion {
    /// The plan being streamed.
    let plan: CompletionPlan
    /// Content tokens written so far.
    private(set) var tokensSent = 0
    /// Whether the response is complete (its last chunk written).
    private(set) var isFinished = false
    /// Set by a disconnect fault: the connection must be closed without ending the response.
    private(set) var mustDisconnect = false

    private let events: DialectStreamEvents
    /// When the last token was written (nil before the first).
    private var lastTokenWrittenAt: NIODeadline?
    private var openingWritten = false
    /// The fault not yet fired.
    private var pendingFault: Profile.MockFault?
    /// The end of a stall under way (`.distantFuture`: forever).
    private var stallUntil: NIODeadline?

    init(plan: CompletionPlan) {
        self.plan = plan
        events = DialectStreamEvents(plan: plan)
        pendingFault = plan.fault
    }

    /// When the next write is due, or nil once finished (or stalled forever). A stall holds the
    /// next write until the later of its end and the token's own deadline.
    var nextDeadline: NIODeadline? {
        guard !isFinished, !mustDisconnect else { return nil }
        let tokenDeadline = lastTokenWrittenAt.map { $0 + .nanoseconds(Int64(clamping: plan.interTokenDelayNanos)) }
            ?? plan.firstTokenDeadline
        guard let stallUntil else { return tokenDeadline }
        return stallUntil == .distantFuture ? nil : max(stallUntil, tokenDeadline)
    }

    /// The token count after which the pending fault fires.
    private var faultPoint: Int? {
        pendingFault.map { min($0.afterTokens, plan.completionTokens) }
    }

    /// Writes the response head and, as its own chunk, the events before the first token (which
    /// are not tokens) — unless a stall after the headers holds them back.
    mutating func writeHead(at now: NIODeadline, into buffer: inout ByteBuffer) {
        let headers = plan.stamp ? plan.extraHeaders + [SendStamp.header()] : plan.extraHeaders
        HTTPResponseBytes.writeStreamHead(keepAlive: plan.keepAlive, extraHeaders: headers, into: &buffer)
        if let fault = pendingFault, fault.kind == .stall, faultPoint == 0 {
            startStall(fault, at: now)
            return
        }
        let chunk = ChunkEncoder.beginChunk(into: &buffer)
        events.writeOpening(into: &buffer)
        openingWritten = true
        endChunk(chunk, into: &buffer)
    }

    /// Appends what is due at `now` as one chunk: the tokens due, a fault when its point is
    /// reached, and after the last token the closing events and the last-chunk marker.
    ///
    /// - Returns: whether anything was due.
    mutating func writeDue(at now: NIODeadline, into buffer: inout ByteBuffer) -> Bool {
        guard let deadline = nextDeadline, now >= deadline else { return false }
        stallUntil = nil
        let chunk = ChunkEncoder.beginChunk(into: &buffer)
        if !openingWritten {
            events.writeOpening(into: &buffer)
            openingWritten = true
        }
        let due = plan.interTokenDelayNanos == 0 ? plan.completionTokens : min(tokensSent + 1, plan.completionTokens)
        while true {
            if tokensSent == faultPoint, let fault = pendingFault {
                pendingFault = nil
                if fire(fault, at: now, into: &buffer) {
                    endChunk(chunk, into: &buffer)
                    if isFinished { buffer.writeStaticString(ChunkEncoder.lastChunk) }
                    lastTokenWrittenAt = now
                    return true
                }
            }
            guard tokensSent < due else { break }
            let stop = min(due, faultPoint.map { $0 > tokensSent ? $0 : due } ?? due)
            for k in tokensSent..<stop {
                events.writeToken(k, into: &buffer)
            }
            tokensSent = stop
        }
        if tokensSent == plan.completionTokens {
            events.writeClosing(into: &buffer)
            isFinished = true
        }
        endChunk(chunk, into: &buffer)
        if isFinished { buffer.writeStaticString(ChunkEncoder.lastChunk) }
        lastTokenWrittenAt = now
        return true
    }

    /// Ends the chunk begun at `chunk`, its events stamped with their send time first when the
    /// plan asks for it.
    private func endChunk(_ chunk: Int, into buffer: inout ByteBuffer) {
        if plan.stamp {
            SendStamp.stampEvents(in: &buffer, from: chunk + ChunkEncoder.placeholderLength, nanos: SendStamp.nowNanos())
        }
        ChunkEncoder.endChunk(startedAt: chunk, into: &buffer)
    }

    /// Acts out a fault. - Returns: true when this write must end here.
    private mutating func fire(_ fault: Profile.MockFault, at now: NIODeadline, into buffer: inout ByteBuffer) -> Bool {
        switch fault.kind {
        case .errorEvent, .overloadedEvent:
            events.writeError(overloaded: fault.kind == .overloadedEvent, into: &buffer)
            isFinished = true
            return true
        case .disconnect:
            mustDisconnect = true
            return true
        case .stall:
            startStall(fault, at: now)
            return true
        case .malformed:
            events.writeMalformed(into: &buffer)
            return false
        case .http:
            return false
        }
    }

    private mutating func startStall(_ fault: Profile.MockFault, at now: NIODeadline) {
        pendingFault = nil
        stallUntil = fault.stallNanos.map { now + .nanoseconds(Int64(clamping: $0)) } ?? .distantFuture
    }
}
