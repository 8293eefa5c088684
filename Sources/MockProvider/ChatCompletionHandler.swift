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
/// Routes: `POST /v1/chat/completions` (OpenAI), `POST /openai/v1/chat/completions` (Groq: OpenAI
/// plus `x_groq`), `POST /v1/messages` (Anthropic; it requires `max_tokens` and an
/// `anthropic-version` header, as the real API does), `GET /health` (200 `ok`); other paths 404,
/// other methods 405. Errors on a route come in its dialect's format.
/// Pipelined requests are queued and answered in order. `expect: 100-continue` is answered with an
/// interim 100 response when no other response is under way. When the connection closes, the pending
/// scheduled write is cancelled and queued requests are dropped.
///
/// Per-request overrides come from `x-mock-*` headers (see `MockOverrides`). Injected errors and
/// faults (`MockConfig.errorRate`, `MockConfig.faults`) are drawn per request. Rate limits and the
/// capacity queue (`MockAdmission`) come after them; their headers are in the route's family unless
/// `MockRateLimit.headerFamily` forces one, and their refusals in the route's error format.
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

    /// A parsed completion request on its way to generation, through the rate limits and the
    /// capacity queue when they are set.
    private struct PendingCompletion {
        var chat: ChatRequest
        var overrides: MockOverrides
        var dialect: MockDialect
        /// The stream fault drawn for it (nil for a non-streamed request).
        var fault: MockFault?
        /// When its head arrived.
        var arrival: NIODeadline
        var keepAlive: Bool
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
        if let dialect = MockDialect(path: path) {
            guard head.method == .POST else {
                return sendError(
                    status: 405,
                    message: "Method \(head.method) is not allowed for \(path); use POST.",
                    extraHeaders: [("allow", "POST")],
                    keepAlive: keepAlive,
                    dialect: dialect,
                    context: context
                )
            }
            guard !request.bodyTooLarge else {
                return sendError(
                    status: 413,
                    message: "The request body is larger than \(Self.maxBodyBytes) bytes.",
                    keepAlive: false,
                    dialect: dialect,
                    context: context
                )
            }
            return startCompletion(request, dialect: dialect, keepAlive: keepAlive, context: context)
        }
        switch path {
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

    private func startCompletion(
        _ request: ReceivedRequest, dialect: MockDialect, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        let overrides = MockOverrides(headers: request.head.headers)
        let chat: ChatRequest
        do {
            chat = try ChatRequest.parse(request.body)
        } catch let error as ChatRequestError {
            return sendError(status: 400, message: error.message, keepAlive: keepAlive, dialect: dialect, context: context)
        } catch {
            return sendError(
                status: 400, message: "Invalid request body.", keepAlive: keepAlive, dialect: dialect, context: context)
        }
        if dialect == .anthropic, let problem = Self.anthropicProblem(request.head.headers, chat) {
            return sendError(status: 400, message: problem, keepAlive: keepAlive, dialect: dialect, context: context)
        }

        let injectedStatus: Int?
        var fault: MockFault?
        if let status = overrides.status {
            injectedStatus = status == 200 ? nil : status
        } else {
            injectedStatus = loop.drawInjectedError() ? loop.config.errorStatus : nil
            if injectedStatus == nil { fault = overrides.fault ?? loop.drawFault() }
        }
        if let status = injectedStatus ?? (fault?.kind == .http ? fault?.status : nil) {
            return sendError(
                status: status, message: Self.injectedMessage(status), keepAlive: keepAlive, dialect: dialect,
                context: context)
        }
        let completion = PendingCompletion(
            chat: chat, overrides: overrides, dialect: dialect, fault: chat.stream ? fault : nil,
            arrival: request.arrival, keepAlive: keepAlive)
        guard let admission = loop.admission else {
            return generate(completion, startedAt: request.arrival, extraHeaders: [], context: context)
        }
        admit(completion, admission: admission, context: context)
    }

    /// Tokens the completion will produce: the configured (or overridden) count, raised to
    /// `min_tokens`, capped by max_tokens; with `ignore_eos` exactly max_tokens (vLLM's behaviour).
    private func completionTokens(_ chat: ChatRequest, _ overrides: MockOverrides) -> Int {
        let configuredTokens = overrides.outputTokens ?? max(0, loop.config.outputTokens)
        if chat.ignoreEOS, let maxTokens = chat.maxTokens { return maxTokens }
        return min(max(configuredTokens, chat.minTokens ?? 0), chat.maxTokens ?? Int.max)
    }

    /// Plans the completion and starts writing it. `startedAt` is when generation starts: the
    /// request's arrival, or the moment it got a generation slot (the wait is Groq's `queue_time`).
    private func generate(
        _ completion: PendingCompletion, startedAt: NIODeadline, extraHeaders: [(String, String)],
        context: ChannelHandlerContext
    ) {
        let config = loop.config
        let chat = completion.chat
        let overrides = completion.overrides
        let ttftNanos = overrides.ttftNanos ?? loop.drawTTFTNanos()
        let configuredTokens = overrides.outputTokens ?? max(0, config.outputTokens)
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
            interTokenDelayNanos: overrides.interTokenDelayNanos ?? config.interTokenDelayNanos,
            keepAlive: completion.keepAlive,
            dialect: completion.dialect,
            fault: completion.fault,
            queueNanos: Self.nanos(from: completion.arrival, to: .now())
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
        } else if streaming != nil {
            var buffer = context.channel.allocator.buffer(capacity: 512)
            _ = streaming!.writeDue(at: .now(), into: &buffer)
            if streaming!.isFinished {
                let closing = !streaming!.plan.keepAlive
                streaming = nil
                write(buffer, closing: closing, context: context)
            } else if streaming!.mustDisconnect {
                // A disconnect fault: what is written goes out, then the connection closes mid-body.
                streaming = nil
                write(buffer, closing: true, context: context)
            } else {
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
        dialect: MockDialect = .openAI,
        context: ChannelHandlerContext
    ) {
        var buffer = context.channel.allocator.buffer(capacity: 384)
        HTTPResponseBytes.writeError(
            status: status,
            message: message,
            extraHeaders: extraHeaders,
            keepAlive: keepAlive,
            dialect: dialect,
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

    /// What the Anthropic API would reject in a Messages request, as its 400 message.
    private static func anthropicProblem(_ headers: HTTPHeaders, _ chat: ChatRequest) -> String? {
        if headers.first(name: "anthropic-version") == nil {
            return "anthropic-version: header is required"
        }
        if chat.maxTokens == nil {
            return "max_tokens: Field required"
        }
        return nil
    }

    private static func nanos(from start: NIODeadline, to end: NIODeadline) -> UInt64 {
        end > start ? UInt64(clamping: (end - start).nanoseconds) : 0
    }

    // MARK: - Rate limits and capacity (MockAdmission)

    /// Passes the rate limits, then asks for a generation slot: a request over a limit gets 429 with
    /// `retry-after`, one that finds the slot queue full gets the configured refusal status, and one
    /// that must wait for a slot starts generating (its TTFT clock too) when it gets one. Every
    /// response of the completion carries the rate-limit headers.
    private func admit(_ completion: PendingCompletion, admission: MockAdmission, context: ChannelHandlerContext) {
        let keepAlive = completion.keepAlive
        var headers: [(String, String)] = []
        if let limiter = admission.rateLimiter {
            let family = limiter.family(for: completion.dialect)
            let decision = limiter.admit(
                promptTokens: completion.chat.promptTokens,
                completionTokens: completionTokens(completion.chat, completion.overrides),
                family: family, nowNanos: NIODeadline.now().uptimeNanoseconds)
            headers = decision.headers
            guard decision.allowed else {
                var buffer = context.channel.allocator.buffer(capacity: 512)
                MockRateLimitResponse.write429(
                    decision, dialect: completion.dialect, keepAlive: keepAlive,
                    allocator: context.channel.allocator, into: &buffer)
                return write(buffer, closing: !keepAlive, context: context)
            }
        }
        guard let gate = admission.capacity else {
            return generate(completion, startedAt: completion.arrival, extraHeaders: headers, context: context)
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        switch gate.acquire(on: context.eventLoop, onGranted: { handler.value.slotGranted(context: boundContext.value) }) {
        case .granted:
            holdsSlot = true
            generate(completion, startedAt: completion.arrival, extraHeaders: headers, context: context)
        case .queued(let ticket):
            waitingForSlot = (ticket, { [unowned self] in
                self.generate(completion, startedAt: .now(), extraHeaders: headers, context: context)
            })
        case .refused:
            // In the route's dialect: an Anthropic client gets `overloaded_error` for a 529.
            let status = gate.capacity.rejectStatus
            sendError(status: status, message: "The mock provider is at capacity (\(gate.capacity.maxConcurrent) "
                + "completions generating, the queue full); please retry later.", extraHeaders: headers,
                keepAlive: keepAlive, dialect: completion.dialect, context: context)
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
        case 529: return "Overloaded (mock provider: injected error)."
        case 429: return "Rate limit reached for requests (mock provider: injected error)."
        case 500...599: return "The server had an error while processing your request (mock provider: injected error)."
        default: return "Mock provider: injected error with status \(status)."
        }
    }
}
