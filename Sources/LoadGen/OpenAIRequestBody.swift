import Foundation
import LoadCore

/// Chat Completions request bodies (OpenAI, Groq and OpenAI-compatible servers).
enum OpenAIRequestBody {
    /// `{"model", "messages", "stream", "stream_options": {"include_usage": true}, "max_tokens",
    /// "temperature"}`: streaming requests ask for usage in a last chunk; `max_tokens` and
    /// `temperature` only when the profile sets them.
    static func body(messages: [ChatMessage], profile: Profile) throws -> [UInt8] {
        var json: [String: Any] = [
            "model": profile.target.model,
            "messages": messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "stream": profile.request.stream,
        ]
        if profile.request.stream { json["stream_options"] = ["include_usage": true] }
        if let maxTokens = profile.request.maxTokens { json["max_tokens"] = maxTokens }
        if let temperature = profile.request.temperature { json["temperature"] = temperature }
        return Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
    }

    /// `Authorization: Bearer KEY` when there is a key.
    static func headers(apiKey: String?) -> [String] {
        apiKey.map { ["Authorization: Bearer \($0)"] } ?? []
    }
}
