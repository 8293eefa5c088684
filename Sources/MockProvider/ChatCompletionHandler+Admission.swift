import LoadCore
import NIOCore

/// Admission: the rate limits and the capacity queue (`MockAdmission`) a completion passes
/// before it is generated.
extension ChatCompletionHandler {
    /// Passes the rate limits, then asks for a generation slot: a request over a limit gets 429 with
    /// `retry-after`, one that finds the slot queue full gets the configured refusal status, and one
    /// that must wait for a slot starts generating (its TTFT clock too) when it gets one. Every
    /// response of the completion carries the rate-limit headers.
    func admit(_ completion: PendingCompletion, admission: MockAdmission, context: ChannelHandlerContext) {
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
            sendError(status: status, message: "The mock provider is at capacity (\(gate.capacity.streams) "
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
    func leaveCapacityGate() {
        guard let gate = loop.admission?.capacity else { return }
        if holdsSlot {
            holdsSlot = false
            gate.release()
        }
        if let waiting = waitingForSlot {
            waitingForSlot = nil
            // When it was already granted, slotGranted finds nothing waiting and releases the slot.
            _ = gate.cancel(ticket: waiting.ticket)
        }
    }
}
