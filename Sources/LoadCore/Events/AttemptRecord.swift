/// Everything measured about one HTTP attempt. Times are monotonic nanoseconds since the run's
/// origin (the engine's clock at start), so records from one run compare directly.
public struct AttemptRecord: Sendable, Equatable {
    /// The request this attempt belongs to, numbered from 0 in order of intended start.
    public var requestID: UInt64
    /// 1 for the first attempt of a request.
    public var attemptNumber: Int = 1
    /// The closed-loop user that sent it, or nil in open loop.
    public var userID: Int?
    /// When the schedule wanted the request to start.
    public var intendedStartNanos: UInt64
    /// When the engine actually handed the request to libcurl.
    public var startNanos: UInt64
    /// The index of the profile stage the intended start falls in (nil when unknown).
    public var stage: Int?
    /// The prompt sent: its index in the run's prompt list (every set's prompts in set order; the
    /// header's `prompt_sets` give each set's range). Nil when unknown.
    public var prompt: Int?
    /// DNS resolution done, from libcurl's timers (nil when not resolved for this attempt).
    public var dnsNanos: UInt64?
    /// TCP connect done, from libcurl's timers (nil when not reached or reused before).
    public var connectNanos: UInt64?
    /// TLS handshake done (nil for plain HTTP).
    public var tlsNanos: UInt64?
    /// The complete response header block arrived.
    public var headersNanos: UInt64?
    /// The first response body byte arrived.
    public var firstByteNanos: UInt64?
    /// The first content token was decoded (TTFT = firstTokenNanos - startNanos).
    public var firstTokenNanos: UInt64?
    /// The attempt ended (success or failure).
    public var endNanos: UInt64
    /// HTTP status, or 0 when no response arrived.
    public var status: Int = 0
    /// Nil on success.
    public var errorClass: ErrorClass?
    /// Human-readable detail for a failure (never contains credentials).
    public var errorMessage: String?
    /// Content tokens seen in the stream (one per token-bearing delta).
    public var countedOutputTokens: Int = 0
    /// Output tokens as reported by the provider's usage, when it reported them.
    public var usageOutputTokens: Int?
    /// Input tokens as reported by the provider's usage.
    public var usageInputTokens: Int?
    /// Input tokens served from the provider's prompt cache, as reported in usage.
    public var usageCachedInputTokens: Int?
    /// Time the request waited in the provider's queue, as the provider reported it (Groq `x_groq.usage.queue_time`).
    public var providerQueueNanos: UInt64?
    /// Cost of this attempt in US dollars, from usage (or counted tokens) and the models catalog; nil
    /// when the model has no price.
    public var costUSD: Double?
    /// Rate-limit headers of the response, when it had any.
    public var rateLimit: RateLimitSnapshot?
    /// True when the engine will retry this request after this attempt (so it is not the request's last).
    public var willRetry = false
    /// Why the run cancelled this attempt (class `cancelled`): a second interrupt, the end of the
    /// drain grace period after an early stop (with that stop's reason), or a cancellation asked for
    /// (e.g. the disk is full). Nil otherwise.
    public var cancelReason: String?
    /// Arrival of each token, in microseconds after `startNanos` (bounded by the engine).
    public var tokenOffsetsMicros: [UInt32] = []
    /// Per token of a stream that carried the mock's send stamps (`x_mock_sent_ns`): how long after
    /// the mock wrote the token's event the engine timestamped it, in microseconds (the
    /// `measurement_delay` metric). Empty without stamps; bounded like ``tokenOffsetsMicros``.
    public var measurementDelaysMicros: [UInt32] = []

    public init(requestID: UInt64, intendedStartNanos: UInt64, startNanos: UInt64, endNanos: UInt64) {
        self.requestID = requestID
        self.intendedStartNanos = intendedStartNanos
        self.startNanos = startNanos
        self.endNanos = endNanos
    }

    /// True when the attempt finished with a 2xx status and no error.
    public var succeeded: Bool { errorClass == nil && (200..<300).contains(status) }

    /// Output tokens: the provider's count when reported, else the counted deltas.
    public var outputTokens: Int { usageOutputTokens ?? countedOutputTokens }

    /// True when the output token count was counted from deltas because the provider reported no usage.
    public var outputTokensEstimated: Bool { usageOutputTokens == nil }
}
