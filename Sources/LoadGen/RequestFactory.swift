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
        let mix = PromptMix(sets: profile.prompts)
        var template = RequestTemplate(
            url: url,
            headers: headers,
            bodies: bodies(mix: mix, profile: profile),
            secrets: apiKey.map { [$0] } ?? [])
        template.bodySelector = mix.selector(seed: profile.seed)
        template.connectTimeoutNanos = profile.limits.connectTimeoutNanos
        template.totalTimeoutNanos = profile.limits.timeoutNanos
        template.ttftTimeoutNanos = profile.limits.ttftTimeoutNanos
        template.idleTimeoutNanos = profile.limits.idleTimeoutNanos
        template.insecure = insecure
        template.caFile = profile.target.caFile
        template.httpVersion = profile.target.http
        return template
    }

    /// One body per prompt of the mix, in its order (``ChatRequestBody``).
    static func bodies(mix: PromptMix, profile: Profile) -> [[UInt8]] {
        mix.prompts.map { ChatRequestBody.encode(prompt: $0, model: profile.target.model, request: profile.request) }
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
