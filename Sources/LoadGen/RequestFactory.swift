import Foundation
import LoadCore
import LoadEngine

/// Turns a profile's target, request settings and prompts into what the engine sends.
enum RequestFactory {
    /// - Parameters:
    ///   - baseURL: the API root (`.../v1`), already resolved (the embedded mock's address for provider mock).
    ///   - apiKey: the key to send (as a bearer token, or Anthropic's `x-api-key`), or nil.
    static func template(profile: Profile, baseURL: String, apiKey: String?, insecure: Bool) throws -> RequestTemplate {
        let dialect = profile.target.dialect
        var headers = ["Content-Type: application/json"]
        if profile.request.stream { headers.append("Accept: text/event-stream") }
        switch dialect {
        case .openAI, .groq: headers += OpenAIRequestBody.headers(apiKey: apiKey)
        case .anthropic: headers += AnthropicRequestBody.headers(apiKey: apiKey, version: profile.target.anthropicVersion)
        }
        let url = (baseURL.hasSuffix("/") ? baseURL : baseURL + "/") + dialect.requestPath
        var template = RequestTemplate(
            url: url,
            headers: headers,
            bodies: try profile.prompts.map { try body(messages: $0, profile: profile) },
            secrets: apiKey.map { [$0] } ?? [])
        template.connectTimeoutNanos = profile.limits.connectTimeoutNanos
        template.totalTimeoutNanos = profile.limits.timeoutNanos
        template.insecure = insecure
        template.dialect = dialect
        return template
    }

    /// A request body in the target's dialect (`OpenAIRequestBody`, `AnthropicRequestBody`).
    static func body(messages: [ChatMessage], profile: Profile) throws -> [UInt8] {
        switch profile.target.dialect {
        case .openAI, .groq: return try OpenAIRequestBody.body(messages: messages, profile: profile)
        case .anthropic: return try AnthropicRequestBody.body(messages: messages, profile: profile)
        }
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
