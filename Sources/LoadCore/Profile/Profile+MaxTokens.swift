extension Profile {
    /// The `max_tokens` sent to Anthropic when neither the prompt nor the profile sets one: the
    /// Messages API requires it.
    public static let anthropicDefaultMaxTokens = 1024

    /// The largest `max_tokens` any request of this profile carries: each prompt's own, else
    /// `request.max_tokens`, else 1024 for the Anthropic dialect; nil when no request carries one
    /// (OpenAI without a limit: the server decides).
    public var largestMaxTokens: Int? {
        let fallback = request.maxTokens ?? (target.dialect == .anthropic ? Self.anthropicDefaultMaxTokens : nil)
        var largest: Int?
        for set in prompts {
            for prompt in set.prompts {
                if let value = prompt.maxTokens ?? fallback { largest = max(largest ?? value, value) }
            }
        }
        return largest
    }
}
