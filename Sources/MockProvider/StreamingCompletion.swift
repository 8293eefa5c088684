import NIOCore

/// The progress of one streamed completion: which events are out and when the next is due.
///
/// The first token is due at arrival + TTFT (absolute, so TTFT never drifts). Each later token is
/// due one inter-token delay after the previous token was actually written, as a model generating
/// tokens one after another would send them: a gap is never shorter than the delay, and a server
/// that falls behind stretches the stream instead of bunching tokens. With a zero delay every token
/// goes out in one chunk, in the same write as the headers when the TTFT is zero too.
struct StreamingCompletion {
    /// The plan being streamed.
    let plan: CompletionPlan
    /// Content tokens written so far.
    private(set) var tokensSent = 0
    /// Whether the final chunk (and `[DONE]`) is written.
    private(set) var isFinished = false

    private let prefix: [UInt8]
    /// When the last token was written (nil before the first).
    private var lastTokenWrittenAt: NIODeadline?

    init(plan: CompletionPlan) {
        self.plan = plan
        self.prefix = SSEChunks.eventPrefix(
            requestNumber: plan.requestNumber,
            createdSeconds: plan.createdSeconds,
            modelLiteral: plan.modelLiteral
        )
    }

    /// When the next write is due, or nil once finished.
    var nextDeadline: NIODeadline? {
        guard !isFinished else { return nil }
        guard let lastTokenWrittenAt else { return plan.firstTokenDeadline }
        return lastTokenWrittenAt + .nanoseconds(Int64(clamping: plan.interTokenDelayNanos))
    }

    /// Writes the response head and the role-only first event (which is not a token).
    func writeHead(into buffer: inout ByteBuffer) {
        HTTPResponseBytes.writeStreamHead(keepAlive: plan.keepAlive, extraHeaders: plan.extraHeaders, into: &buffer)
        ChunkEncoder.writeChunkHeader(length: prefix.count + SSEChunks.roleSuffix.count, into: &buffer)
        buffer.writeBytes(prefix)
        buffer.writeBytes(SSEChunks.roleSuffix)
        ChunkEncoder.writeChunkEnd(into: &buffer)
    }

    /// Appends the tokens due at `now` as one chunk; after the last token also the finish event, the
    /// usage event when asked for, `[DONE]` and the last-chunk marker.
    ///
    /// - Returns: whether anything was written.
    mutating func writeDue(at now: NIODeadline, into buffer: inout ByteBuffer) -> Bool {
        guard !isFinished, let deadline = nextDeadline, now >= deadline else { return false }
        let due = plan.interTokenDelayNanos == 0 ? plan.completionTokens : min(tokensSent + 1, plan.completionTokens)
        let finishing = due == plan.completionTokens
        let finishSuffix = plan.finishReason == .stop ? SSEChunks.stopSuffix : SSEChunks.lengthSuffix
        let usageSuffix =
            finishing && plan.includeUsage
            ? SSEChunks.usageSuffix(promptTokens: plan.promptTokens, completionTokens: plan.completionTokens) : []

        var length = 0
        for k in tokensSent..<due {
            length += prefix.count + SSEChunks.tokenSuffix(k).count
        }
        if finishing {
            length += prefix.count + finishSuffix.count + SSEChunks.done.count
            if plan.includeUsage { length += prefix.count + usageSuffix.count }
        }
        guard length > 0 else { return false }

        buffer.reserveCapacity(minimumWritableBytes: length + 24)
        ChunkEncoder.writeChunkHeader(length: length, into: &buffer)
        for k in tokensSent..<due {
            buffer.writeBytes(prefix)
            buffer.writeBytes(SSEChunks.tokenSuffix(k))
        }
        if finishing {
            buffer.writeBytes(prefix)
            buffer.writeBytes(finishSuffix)
            if plan.includeUsage {
                buffer.writeBytes(prefix)
                buffer.writeBytes(usageSuffix)
            }
            buffer.writeBytes(SSEChunks.done)
        }
        ChunkEncoder.writeChunkEnd(into: &buffer)
        if finishing {
            buffer.writeStaticString(ChunkEncoder.lastChunk)
        }
        tokensSent = due
        isFinished = finishing
        lastTokenWrittenAt = now
        return true
    }
}
