extension Profile {
    /// `request:` — parameters of every chat-completion request.
    public struct RequestSettings: Sendable, Equatable {
        /// `max_tokens` sent to the API (nil: not sent).
        public var maxTokens: Int?
        /// `temperature`, 0...2 (nil: not sent).
        public var temperature: Double?
        /// Stream the response (SSE); default true. TTFT and inter-token latency need streaming.
        public var stream: Bool

        public init(maxTokens: Int? = nil, temperature: Double? = nil, stream: Bool = true) {
            self.maxTokens = maxTokens
            self.temperature = temperature
            self.stream = stream
        }
    }
}
