extension Profile {
    /// `request:` — parameters of every chat-completion request.
    public struct RequestSettings: Sendable, Equatable {
        /// `max_tokens` sent to the API (nil: not sent).
        public var maxTokens: Int?
        /// `temperature`, 0...2 (nil: not sent).
        public var temperature: Double?
        /// Stream the response (SSE); default true. TTFT and inter-token latency need streaming.
        public var stream: Bool
        /// `min_tokens` (vLLM and other OpenAI-compatible servers): the server generates at least
        /// this many tokens before it may stop; nil: not sent.
        public var minTokens: Int?
        /// `extra_body`: fields merged into every body, in key order, after loadgen's own.
        public var extraBody: [ExtraBodyField] = []

        public init(maxTokens: Int? = nil, temperature: Double? = nil, stream: Bool = true, minTokens: Int? = nil) {
            self.maxTokens = maxTokens
            self.temperature = temperature
            self.stream = stream
            self.minTokens = minTokens
        }
    }
}
