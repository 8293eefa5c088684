#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1

/// Serves one connection: routes requests, answers chat completions (streamed or not) on schedule
/// and injects errors. It writes raw HTTP/1.1 bytes (there is no response encoder in the pipeline).
///
/// Routes: `POST /v1/chat/completions`, `GET /health` (200 `ok`); other paths 404, other methods 405.
/// Pipelined requests are queued and answered in order. `expect: 100-continue` is answered with an
/// interim 100 response when no other response is under way. When the connection closes, the pending
/// scheduled write is cancelled and queued requests are dropped.
///
/// Per-request overrides come from `x-mock-*` headers (see `MockOverrides`).
final class ChatCompletionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    /// Larger request bodies get 413 and the connection is closed.
    static let maxBodyBytes = 8 << 20

    /// The model echoed when the request names none.
    static let defaultModelLiteral = Array("mock-model".utf8)

    private struct ReceivedRequest {
        var head: HTTPRequestHead
        var body: ByteBuffer?
        var bodyTooLarge = false
        /// When the head arrived: the origin of TTFT.
        var arrival: NIODeadline
    }

    private let loop: MockLoopContext
    private var receiving: ReceivedRequest?
    private var queued = CircularBuffer<ReceivedRequest>()
    /// A streamed completion in progress.
    private var streaming: StreamingCompletion?
    /// A non-streamed completion waiting for its deadline.
    private var delayed: CompletionPlan?
    private var pendingWrite: Scheduled<Void>?
    private var isOpen = true
    /// Set after a response that closes the connection: later requests are ignored.
    private var isClosing = false
    /// A completion waiting for a generation slot (`MockCapacityGate`): its ticket, and what starts it.
    private var waitingForSlot: (ticket: UInt64, start: () -> Void)?
    /// True while this connection's completion holds a generation slot.
    private var holdsSlot = false

    init(loop: MockLoopContext) {
        self.loop = loop
    }

    private var isResponding: Bool { streaming != nil || delayed != nil || waitingForSlot != nil }

    // MARK: - Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiving = ReceivedRequest(head: head, arrival: .now())
            // curl sends `expect: 100-continue` before bodies over 1 KB and waits up to a second for
            // this interim response. It can only go out between responses, never inside one.
            if !isResponding, queued.isEmpty, !isClosing,
                head.headers.first(name: "expect")?.lowercased() == "100-continue"
            {
                var buffer = context.channel.allocator.buffer(capacity: 25)
                buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            }
        case .body(var chunk):
            guard receiving != nil, receiving?.bodyTooLarge == false else { return }
            if (receiving?.body?.readableBytes ?? 0) + chunk.readableBytes > Self.maxBodyBytes {
                receiving?.bodyTooLarge = true
                receiving?.body = nil
            } else if receiving?.body == nil {
                receiving?.body = chunk
            } else {
                receiving?.body?.writeBuffer(&chunk)
            }
        case .end:
            guard let request = receiving else { return }
            receiving = nil
            queued.append(request)
            startQueuedRequests(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        pendingWrite?.cancel()
        pendingWrite = nil
        streaming = nil
        delayed = nil
        queued.removeAll()
        leaveCapacityGate()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Malformed HTTP gets a 400 when no response is under way; any other error (e.g. a reset)
        // just closes. Errors are not passed on: there is nothing further up to log them.
        if error is HTTPParserError, isOpen, !isClosing, !isResponding {
            sendError(status: 400, message: "Malformed HTTP request.", keepAlive: false, context: context)
        } else if isOpen {
            context.close(promise: nil)
        }
    }

    // MARK: - Routing

    private func startQueuedRequests(context: ChannelHandlerContext) {
        while isOpen, !isClosing, !isResponding, let request = queued.popFirst() {
            respond(to: request, context: context)
        }
    }

    private func respond(to request: ReceivedRequest, context: ChannelHandlerContext) {
        let head = request.head
        let keepAlive = head.isKeepAlive && !request.bodyTooLarge
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/v1/chat/completions":
            guard head.method == .POST else {
                return sendError(
                    status: 405,
                    message: "Method \(head.method) is not allowed for /v1/chat/completions; use POST.",
                    extraHeaders: [("allow", "POST")],
                    keepAlive: keepAlive,
                    context: context
                )
            }
            guard !request.bodyTooLarge else {
                return sendError(
                    status: 413,
                    message: "The request body is larger than \(Self.maxBodyBytes) bytes.",
                    keepAlive: false,
                    context: context
                )
            }
            startCompletion(request, keepAlive: keepAlive, context: context)
        case "/health":
            guard head.method == .GET || head.method == .HEAD else {
                return sendError(
                    status: 405,
                    message: "Method \(head.method) is not allowed for /health; use GET.",
                    extraHeaders: [("allow", "GET, HEAD")],
                    keepAlive: keepAlive,
                    context: context
                )
            }
            var body = context.channel.allocator.buffer(capacity: 2)
            if head.method == .GET { body.writeStaticString("ok") }
            var buffer = context.channel.allocator.buffer(capacity: 128)
            HTTPResponseBytes.writeResponse(
                status: 200, contentType: "text/plain", body: body, keepAlive: keepAlive, into: &buffer)
            write(buffer, closing: !keepAlive, context: context)
        default:
            sendError(
                status: 404,
                message: "Unknown request URL: \(head.method) \(path). Please check the URL for typos.",
                keepAlive: keepAlive,
                context: context
            )
        }
    }

    // MARK: - Completions

    private func startCompletion(_ request: ReceivedRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        let overrides = MockOverrides(headers: request.head.headers)
        let chat: ChatRequest
        do {
            chat = try ChatRequest.parse(request.body)
        } catch let error as ChatRequestError {
            return sendError(status: 400, message: error.message, keepAlive: keepAlive, context: context)
        } catch {
            return sendError(status: 400, message: "Invalid request body.", keepAlive: keepAlive, context: context)
        }

        let injectedStatus: Int?
        if let status = overrides.status {
            injectedStatus = status == 200 ? nil : status
        } else {
            injectedStatus = loop.drawInjectedError() ? loop.config.errorStatus : nil
        }
        if let status = injectedStatus {
            return sendError(status: status, message: Self.injectedMessage(status), keepAlive: keepAlive, context: context)
        }
        guard let admission = loop.admission else {
            return generate(chat, overrides: overrides, startedAt: request.arrival, extraHeaders: [], keepAlive: keepAlive,
                            context: context)
        }
        admit(chat, overrides: overrides, arrival: request.arrival, admission: admission, keepAlive: keepAlive,
              context: context)
    }

    /// Tokens the completion will produce: the configured (or overridden) count, capped by max_tokens.
    private func completionTokens(_ chat: ChatRequest, _ overrides: MockOverrides) -> Int {
        let configuredTokens = overrides.outputTokens ?? max(0, loop.config.outputTokens)
        return min(configuredTokens, chat.maxTokens ?? Int.max)
    }

    /// Plans the completion and starts writing it. `startedAt` is when generation starts: the
    /// request's arrival, or the moment it got a generation slot.
    private func generate(
        _ chat: ChatRequest, overrides: MockOverrides, startedAt: NIODeadline, extraHeaders: [(String, String)],
        keepAlive: Bool, context: ChannelHandlerContext
    ) {
        let config = loop.config
        let ttftNanos = overrides.ttftNanos ?? loop.drawTTFTNanos()
        let configuredTokens = overrides.outputTokens ?? max(0, config.outputTokens)
        let tokens = completionTokens(chat, overrides)
        var plan = CompletionPlan(
            requestNumber: loop.nextRequestNumber(),
            createdSeconds: time(nil),
            modelLiteral: chat.modelLiteral ?? Self.defaultModelLiteral,
            promptTokens: chat.promptTokens,
            completionTokens: tokens,
            finishReason: tokens < configuredTokens ? .length : .stop,
            includeUsage: chat.includeUsage,
            firstTokenDeadline: startedAt + .nanoseconds(Int64(clamping: ttftNanos)),
            interTokenDelayNanos: overrides.interTokenDelayNanos ?? config.interTokenDelayNanos,
            keepAlive: keepAlive
        )
        plan.extraHeaders = extraHeaders
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
        stream.writeHead(into: &buffer)
        _ = stream.writeDue(at: .now(), into: &buffer)
        if stream.isFinished {
            write(buffer, closing: !plan.keepAlive, context: context)
        } else if let deadline = stream.nextDeadline {
            streaming = stream
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            schedule(at: deadline, context: context)
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
        } else if streaming != nil {
            var buffer = context.channel.allocator.buffer(capacity: 512)
            _ = streaming!.writeDue(at: .now(), into: &buffer)
            if streaming!.isFinished {
                let closing = !streaming!.plan.keepAlive
                streaming = nil
                write(buffer, closing: closing, context: context)
            } else {
                if buffer.readableBytes > 0 {
                    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
                }
                if let deadline = streaming!.nextDeadline {
                    schedule(at: deadline, context: context)
                }
            }
        }
        startQueuedRequests(context: context)
    }

    private func writeCompletion(_ plan: CompletionPlan, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: 320 + plan.completionTokens * 8)
        CompletionJSON.write(plan, into: &body)
        var buffer = context.channel.allocator.buffer(capacity: body.readableBytes + 160)
        HTTPResponseBytes.writeResponse(
            status: 200, contentType: "application/json", extraHeaders: plan.extraHeaders, body: body,
            keepAlive: plan.keepAlive, into: &buffer)
        write(buffer, closing: !plan.keepAlive, context: context)
    }

    // MARK: - Writing

    private func sendError(
        status: Int,
        message: String,
        extraHeaders: [(String, String)] = [],
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var buffer = context.channel.allocator.buffer(capacity: 384)
        HTTPResponseBytes.writeError(
            status: status,
            message: message,
            extraHeaders: extraHeaders,
            keepAlive: keepAlive,
            allocator: context.channel.allocator,
            into: &buffer
        )
        write(buffer, closing: !keepAlive, context: context)
    }

    /// Writes and flushes the end of a response; `closing` closes the connection once it is written.
    /// A generation slot held for the response is given back.
    private func write(_ buffer: ByteBuffer, closing: Bool, context: ChannelHandlerContext) {
        leaveCapacityGate()
        guard closing else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            return
        }
        isClosing = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    // MARK: - Rate limits and capacity (MockAdmission)

    /// Passes the rate limits, then asks for a generation slot: a request over a limit gets 429 with
    /// `retry-after`, one that finds the slot queue full gets the configured refusal status, and one
    /// that must wait for a slot starts generating (its TTFT clock too) when it gets one. Every
    /// response of the completion carries the rate-limit headers.
    private func admit(
        _ chat: ChatRequest, overrides: MockOverrides, arrival: NIODeadline, admission: MockAdmission, keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers: [(String, String)] = []
        if let limiter = admission.rateLimiter {
            let decision = limiter.admit(
                promptTokens: chat.promptTokens, completionTokens: completionTokens(chat, overrides),
                nowNanos: NIODeadline.now().uptimeNanoseconds)
            headers = decision.headers
            guard decision.allowed else {
                var buffer = context.channel.allocator.buffer(capacity: 512)
                MockRateLimitResponse.write429(
                    decision, family: limiter.config.headerFamily, keepAlive: keepAlive,
                    allocator: context.channel.allocator, into: &buffer)
                return write(buffer, closing: !keepAlive, context: context)
            }
        }
        guard let gate = admission.capacity else {
            return generate(chat, overrides: overrides, startedAt: arrival, extraHeaders: headers, keepAlive: keepAlive,
                            context: context)
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        switch gate.acquire(on: context.eventLoop, onGranted: { handler.value.slotGranted(context: boundContext.value) }) {
        case .granted:
            holdsSlot = true
            generate(chat, overrides: overrides, startedAt: arrival, extraHeaders: headers, keepAlive: keepAlive,
                     context: context)
        case .queued(let ticket):
            waitingForSlot = (ticket, { [unowned self] in
                self.generate(chat, overrides: overrides, startedAt: .now(), extraHeaders: headers, keepAlive: keepAlive,
                              context: context)
            })
        case .refused:
            let status = gate.capacity.rejectStatus
            sendError(status: status, message: "The mock provider is at capacity (\(gate.capacity.maxConcurrent) "
                + "completions generating, the queue full); please retry later.", extraHeaders: headers,
                keepAlive: keepAlive, context: context)
        }
    }

    /// A slot came free for the completion waiting on this connection (on this channel's loop).
    private func slotGranted(context: ChannelHandlerContext) {
        guard isOpen, let waiting = waitingForSlot else {
            // The request went away after the slot was handed over: hand it on.
            loop.admission?.capacity?.release()
            return
        }
        waitingForSlot = nil
        holdsSlot = true
        waiting.start()
        startQueuedRequests(context: context)
    }

    /// Gives back a held slot, or leaves the slot queue (when the connection closes).
    private func leaveCapacityGate() {
        guard let gate = loop.admission?.capacity else { return }
        if holdsSlot {
            holdsSlot = false
            gate.release()
        }
        if let waiting = waitingForSlot {
            waitingForSlot = nil
            if !gate.cancel(ticket: waiting.ticket) {
                // Already granted: slotGranted will find nothing waiting and release it.
            }
        }
    }

    private static func injectedMessage(_ status: Int) -> String {
        switch status {
        case 429: return "Rate limit reached for requests (mock provider: injected error)."
        case 500...599: return "The server had an error while processing your request (mock provider: injected error)."
        default: return "Mock provider: injected error with status \(status)."
        }
    }
}
