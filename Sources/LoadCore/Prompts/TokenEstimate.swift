/// A rough token count for text when no tokenizer is at hand.
public enum TokenEstimate {
    /// About four characters per token, the usual rule of thumb for English text with GPT- and
    /// Llama-style BPE tokenizers (code and other languages take more tokens per character).
    /// - Returns: characters / 4, rounded, at least 1.
    public static func tokens(characters: Int) -> Int {
        max(1, (characters + 2) / 4)
    }
}
