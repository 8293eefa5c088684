import NIOCore

/// The progress of one streamed completion: which events are out and when the next is due.
///
/// Each call to `writeDue(at:into:)` appends every token that is due by then as one HTTP chunk, so a
/// late wake-up catches up in a single write instead of drifting, and zero delays produce the whole
/// body in the same write as the headers.
struct StreamingCompletion {
    /// The plan being streamed.
    let plan: CompletionPlan
    /// Content tokens written so far.
    private(set) var tokensSent = 0
    /// Whether the final chunk (and `[DONE]`) is written.
    private(set) var isFinished = false

    private let prefix: [UInt8]

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
        isFinished ? nil : plan.tokenDeadline(tokensSent)
    }

    /// Writes the response head and the role-only first event (which is not a token).
    func writeHead(into buffer: inout ByteBuffer) {
        HTTPResponseBytes.writeStreamHead(keepAlive: plan.keepAlive, into: &buffer)
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
        guard !isFinished, now >= plan.firstTokenDeadline else { return false }
        let due = plan.tokensDue(at: now)
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
        return true
    }
}
