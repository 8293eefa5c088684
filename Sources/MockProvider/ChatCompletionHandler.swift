import LoadCore
import NIOCore
import NIOHTTP1

/// Serves one connection: receives requests, routes them (`MockRequestRouting`), admits
/// completions through the rate limits and capacity queue (`+Admission`) and writes them on
/// schedule (`+Scheduling`). It writes raw HTTP/1.1 bytes (there is no response encoder in the
/// pipeline).
///
/// Pipelined requests are queued and answered in order. `expect: 100-continue` is answered with an
/// interim 100 response when no other response is under way. When the connection closes, the pending
/// scheduled write is cancelled and queued requests are dropped.
///
/// Per-request overrides come from `x-mock-*` headers (see `MockOverrides`). Rate-limit headers are
/// in the route's family unless `Profile.MockRateLimitSettings.headers` forces one, and refusals
/// in the route's error format.
final class ChatCompletionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    /// The model echoed when the request names none.
    static let defaultModelLiteral = Array("mock-model".utf8)

    let loop: MockLoopContext
    private var receiving: ReceivedRequest?
    private var queued = CircularBuffer<ReceivedRequest>()
    /// A streamed completion in progress.
    var streaming: StreamingCompletion?
    /// A non-streamed completion waiting for its deadline.
    var delayed: CompletionPlan?
    var pendingWrite: Scheduled<Void>?
    private(set) var isOpen = true
    /// Set after a response that closes the connection: later requests are ignored.
    private var isClosing = false
    /// A completion waiting for a generation slot (`MockCapacityGate`): its ticket, and what starts it.
    var waitingForSlot: (ticket: UInt64, start: () -> Void)?
    /// True while this connection's completion holds a generation slot.
    var holdsSlot = false

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
            if (receiving?.body?.readableBytes ?? 0) + chunk.readableBytes > MockRequestRouting.maxBodyBytes {
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

    // MARK: - Answering

    /// Answers queued requests in order while no response is under way.
    func startQueuedRequests(context: ChannelHandlerContext) {
        while isOpen, !isClosing, !isResponding, let request = queued.popFirst() {
            respond(to: request, context: context)
        }
    }

    private func respond(to request: ReceivedRequest, context: ChannelHandlerContext) {
        let keepAlive = request.head.isKeepAlive && !request.bodyTooLarge
        switch MockRequestRouting.decide(request, keepAlive: keepAlive, loop: loop) {
        case .health(let includeBody):
            var body = context.channel.allocator.buffer(capacity: 2)
            if includeBody { body.writeStaticString("ok") }
            var buffer = context.channel.allocator.buffer(capacity: 128)
            HTTPResponseBytes.writeResponse(
                status: 200, contentType: "text/plain", body: body, keepAlive: keepAlive, into: &buffer)
            write(buffer, closing: !keepAlive, context: context)
        case let .error(status, message, extraHeaders, dialect):
            // keepAlive is false after an oversized body (not read to its end): the connection closes.
            sendError(status: status, message: message, extraHeaders: extraHeaders,
                      keepAlive: keepAlive, dialect: dialect, context: context)
        case .completion(let completion):
            guard let admission = loop.admission else {
                return generate(completion, startedAt: completion.arrival, extraHeaders: [], context: context)
            }
            admit(completion, admission: admission, context: context)
        }
    }

    // MARK: - Writing

    func sendError(
        status: Int,
        message: String,
        extraHeaders: [(String, String)] = [],
        keepAlive: Bool,
        dialect: APIDialect = .openAI,
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
    func write(_ buffer: ByteBuffer, closing: Bool, context: ChannelHandlerContext) {
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
}
