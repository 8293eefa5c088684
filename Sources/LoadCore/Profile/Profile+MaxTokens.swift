extension Profile {
    /// The `max_tokens` sent to Anthropic when the profile sets none: the Messages API requires one.
    public static let anthropicDefaultMaxTokens = 1024

    /// The `max_tokens` each request carries: `request.max_tokens`, else 1024 for the Anthropic
    /// dialect (which requires it), else nil (not sent; the server decides).
    public var effectiveMaxTokens: Int? {
        request.maxTokens ?? (target.dialect == .anthropic ? Self.anthropicDefaultMaxTokens : nil)
    }
}
