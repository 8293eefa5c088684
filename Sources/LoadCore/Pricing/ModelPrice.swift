/// The price of one model: US dollars per million tokens.
public struct ModelPrice: Sendable, Equatable {
    /// A provider name as profiles write it (`openai`, `anthropic`, `groq`, `openai-compatible`, `mock`).
    public var provider: String
    /// The model name as sent in requests, or `*` for every model of the provider without its own entry.
    public var model: String
    /// USD per million input tokens (not read from a cache).
    public var inputPerMillion: Double
    /// USD per million output tokens.
    public var outputPerMillion: Double
    /// USD per million input tokens read from the provider's prompt cache (nil: the input price).
    public var cachedInputPerMillion: Double?

    public init(provider: String, model: String, inputPerMillion: Double, outputPerMillion: Double,
                cachedInputPerMillion: Double? = nil) {
        self.provider = provider
        self.model = model
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
    }

    /// The cost of some tokens in US dollars:
    /// `((input − cached) × input price + cached × cached price + output × output price) / 10⁶`.
    /// - Parameters:
    ///   - inputTokens: every input token, cached ones included.
    ///   - cachedInputTokens: the cached part of `inputTokens` (clamped to it).
    ///   - outputTokens: output tokens.
    public func costUSD(inputTokens: Int, cachedInputTokens: Int, outputTokens: Int) -> Double {
        let input = max(0, inputTokens)
        let cached = min(max(0, cachedInputTokens), input)
        let dollars = Double(input - cached) * inputPerMillion
            + Double(cached) * (cachedInputPerMillion ?? inputPerMillion)
            + Double(max(0, outputTokens)) * outputPerMillion
        return dollars / 1_000_000
    }
}
