/// One field of `request.extra_body`, merged into every request body (vLLM's `ignore_eos`,
/// `top_p`, `seed`, a gateway's routing hints...). The value is kept as compact JSON text, written
/// into the body as is.
public struct ExtraBodyField: Sendable, Equatable {
    /// The top-level key, e.g. `ignore_eos`.
    public var key: String
    /// The value as JSON, e.g. `true`, `0.9`, `{"a":[1,2]}`.
    public var json: String

    public init(key: String, json: String) {
        self.key = key
        self.json = json
    }

    /// Keys loadgen sets itself, with the field that controls each: `extra_body` may not set them.
    public static let reservedKeys: [String: String] = [
        "model": "target.model",
        "messages": "prompts:",
        "system": "a system message in prompts:",
        "stream": "request.stream",
        "stream_options": "request.stream (loadgen asks for usage in the last chunk)",
        "max_tokens": "request.max_tokens (or a prompt's max_tokens)",
        "max_completion_tokens": "request.max_tokens (or a prompt's max_tokens)",
        "temperature": "request.temperature",
        "min_tokens": "request.min_tokens",
    ]
}
