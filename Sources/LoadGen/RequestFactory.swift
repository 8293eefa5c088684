import Foundation
import LoadCore
import LoadEngine

/// Turns a profile's target, request settings and prompts into what the engine sends.
enum RequestFactory {
    /// - Parameters:
    ///   - baseURL: the API root (`.../v1`), already resolved (the embedded mock's address for provider mock).
    ///   - apiKey: the key to send as a bearer token, or nil.
    static func template(profile: Profile, baseURL: String, apiKey: String?, insecure: Bool) throws -> RequestTemplate {
        var headers = ["Content-Type: application/json"]
        if profile.request.stream { headers.append("Accept: text/event-stream") }
        if let apiKey { headers.append("Authorization: Bearer \(apiKey)") }
        let url = baseURL.hasSuffix("/") ? baseURL + "chat/completions" : baseURL + "/chat/completions"
        var template = RequestTemplate(
            url: url,
            headers: headers,
            bodies: try profile.prompts.map { try body(messages: $0, profile: profile) },
            secrets: apiKey.map { [$0] } ?? [])
        template.connectTimeoutNanos = profile.limits.connectTimeoutNanos
        template.totalTimeoutNanos = profile.limits.timeoutNanos
        template.ttftTimeoutNanos = profile.limits.ttftTimeoutNanos
        template.idleTimeoutNanos = profile.limits.idleTimeoutNanos
        template.insecure = insecure
        template.caFile = profile.target.caFile
        template.httpVersion = profile.target.http
        return template
    }

    /// A chat-completions request body. Streaming requests ask for usage in the last chunk.
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

    /// The API key named by the profile, from the environment. Nil when the profile names none.
    /// - Throws: when the profile names a variable that is unset or empty (the message names the variable).
    static func apiKey(for target: Profile.Target, environment: [String: String]) throws -> String? {
        guard target.provider != .mock, let variable = target.apiKeyEnv else { return nil }
        guard let key = environment[variable], !key.isEmpty else {
            throw CLIError(
                "the profile's API key variable \(variable) is not set; export it, put it in ./.env, or drop api_key_env",
                exitCode: 2)
        }
        return key
    }
}
