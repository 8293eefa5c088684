import Foundation
import LoadCore

/// Anthropic Messages request bodies.
enum AnthropicRequestBody {
    /// `{"model", "max_tokens", "system", "messages", "stream", "temperature"}`. System messages are
    /// taken out of the list into `system` (several are joined by a blank line), as the Messages
    /// API wants; `max_tokens` is required by the API, so it defaults to
    /// `Profile.anthropicDefaultMaxTokens` (1024) when the profile sets none. (Profiles for this
    /// dialect keep `temperature` within Anthropic's 0...1.)
    static func body(messages: [ChatMessage], profile: Profile) throws -> [UInt8] {
        let system = messages.filter { $0.role == .system }.map(\.content)
        var json: [String: Any] = [
            "model": profile.target.model,
            "max_tokens": profile.effectiveMaxTokens ?? Profile.anthropicDefaultMaxTokens,
            "messages": messages.filter { $0.role != .system }.map { ["role": $0.role.rawValue, "content": $0.content] },
            "stream": profile.request.stream,
        ]
        if !system.isEmpty { json["system"] = system.joined(separator: "\n\n") }
        if let temperature = profile.request.temperature { json["temperature"] = temperature }
        return Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
    }

    /// `x-api-key: KEY` (when there is a key) and `anthropic-version`.
    static func headers(apiKey: String?, version: String) -> [String] {
        (apiKey.map { ["x-api-key: \($0)"] } ?? []) + ["anthropic-version: \(version)"]
    }
}
