#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LoadCore
import NIOCore

/// Response scheduling: a completion's plan, and its writes at their deadlines (a streamed one
/// token by token, a non-streamed one when its last token would be ready).
extension ChatCompletionHandler {
    /// Tokens the completion will produce: the configured (or overridden) count, raised to
    /// `min_tokens`, capped by max_tokens; with `ignore_eos` exactly max_tokens (vLLM's behaviour).
    func completionTokens(_ chat: ChatRequest, _ overrides: MockOverrides) -> Int {
        let configuredTokens = overrides.outputTokens ?? max(0, loop.config.settings.outputTokens)
        if chat.ignoreEOS, let maxTokens = chat.maxTokens { return maxTokens }
        return min(max(configuredTokens, chat.minTokens ?? 0), chat.maxTokens ?? Int.max)
    }

    /// Plans the completion and starts writing it. `startedAt` is when generation starts: the
    /// request's arrival, or the moment it got a generation slot (the wait is Groq's `queue_time`).
    func generate(
        _ completion: PendingCompletion, startedAt: NIODeadline, extraHeaders: [(String, String)],
        context: ChannelHandlerContext
    ) {
        let settings = loop.config.settings
        let chat = completion.chat
        let overrides = completion.overrides
        let ttftNanos = overrides.ttftNanos ?? loop.drawTTFTNanos()
        let configuredTokens = overrides.outputTokens ?? max(0, settings.outputTokens)
        let tokens = completionTokens(chat, overrides)
        var plan = CompletionPlan(
            requestNumber: loop.nextRequestNumber(),
            createdSeconds: time(nil),
            modelLiteral: chat.modelLiteral ?? Self.defaultModelLiteral,
            promptTokens: chat.promptTokens,
            completionTokens: tokens,
            finishReason: tokens < max(configuredTokens, chat.minTokens ?? 0) || (chat.ignoreEOS && tokens == chat.maxTokens)
                ? .length : .stop,
            includeUsage: chat.includeUsage,
            firstTokenDeadline: startedAt + .nanoseconds(Int64(clamping: ttftNanos)),
            interTokenDelayNanos: overrides.interTokenDelayNanos ?? settings.interTokenNanos,
            keepAlive: completion.keepAlive,
            dialect: completion.dialect,
            fault: completion.fault,
            queueNanos: Self.nanos(from: completion.arrival, to: .now())
        )
        plan.extraHeaders = extraHeaders
        plan.stamp = settings.stamp
        if chat.stream {
            startStreaming(plan, context: context)
        } else {
            let deadline = plan.completionTokens > 0 ? plan.tokenDeadline(plan.completionTokens - 1) : plan.firstTokenDeadline
            if deadline <= .now() {
                writeCompletion(plan, context: context)
            } else {
                delayed = plan
                schedule(at: deadline, context: context)
            }
        }
    }

    private func startStreaming(_ plan: CompletionPlan, context: ChannelHandlerContext) {
        var stream = StreamingCompletion(plan: plan)
        var buffer = context.channel.allocator.buffer(capacity: 1024)
        let now = NIODeadline.now()
        stream.writeHead(at: now, into: &buffer)
        _ = stream.writeDue(at: now, into: &buffer)
        if stream.isFinished {
            write(buffer, closing: !plan.keepAlive, context: context)
        } else if stream.mustDisconnect {
            write(buffer, closing: true, context: context)
        } else {
            // A stream stalled forever has no deadline: it stays open until the client leaves.
            streaming = stream
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            if let deadline = stream.nextDeadline { schedule(at: deadline, context: context) }
        }
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        pendingWrite = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.deadlineReached(context: context)
        }
    }

    private func deadlineReached(context: ChannelHandlerContext) {
        pendingWrite = nil
        guard isOpen else { return }
        if let plan = delayed {
            delayed = nil
            writeCompletion(plan, context: context)
        } else if var stream = streaming {
            streaming = nil  // not shared while it is written, so the write does not copy it
            var buffer = context.channel.allocator.buffer(capacity: 512)
            _ = stream.writeDue(at: .now(), into: &buffer)
            if stream.isFinished {
                write(buffer, closing: !stream.plan.keepAlive, context: context)
            } else if stream.mustDisconnect {
                // A disconnect fault: what is written goes out, then the connection closes mid-body.
                write(buffer, closing: true, context: context)
            } else {
                streaming = stream
                if buffer.readableBytes > 0 {
                    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
                }
                // The write can close the connection at once (the client reset it), ending the stream.
                if let deadline = streaming?.nextDeadline {
                    schedule(at: deadline, context: context)
                }
            }
        }
        startQueuedRequests(context: context)
    }

    private func writeCompletion(_ plan: CompletionPlan, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: 320 + plan.completionTokens * 8)
        if plan.dialect == .anthropic {
            AnthropicMessageJSON.write(plan, into: &body)
        } else {
            CompletionJSON.write(plan, into: &body)
        }
        var buffer = context.channel.allocator.buffer(capacity: body.readableBytes + 160)
        let headers = plan.stamp ? plan.extraHeaders + [SendStamp.header()] : plan.extraHeaders
        HTTPResponseBytes.writeResponse(
            status: 200, contentType: "application/json", extraHeaders: headers, body: body,
            keepAlive: plan.keepAlive, into: &buffer)
        write(buffer, closing: !plan.keepAlive, context: context)
    }

    private static func nanos(from start: NIODeadline, to end: NIODeadline) -> UInt64 {
        end > start ? UInt64(clamping: (end - start).nanoseconds) : 0
    }
}
