import Foundation
import LoadCore
import LoadEngine

/// Turns a profile's target, request settings and prompts into what the engine sends.
enum RequestFactory {
    /// - Parameters:
    ///   - mix: the profile's prompts, flattened (one body per prompt, in its order).
    ///   - baseURL: the API root (`.../v1`), already resolved (the embedded mock's address for provider mock).
    ///   - apiKey: the key to send (as a bearer token, or Anthropic's `x-api-key`), or nil.
    ///   - environment: expands `${NAME}` in `target.headers` (the process's environment and `./.env`).
    /// - Throws: `CLIError` (exit 2) when a header names a variable that is not set.
    static func template(profile: Profile, mix: PromptMix, baseURL: String, apiKey: String?, insecure: Bool,
                         environment: [String: String] = (try? environmentWithDotEnv()) ?? ProcessInfo.processInfo.environment) throws
        -> RequestTemplate
    {
        let dialect = profile.target.dialect
        var headers = ["Content-Type: application/json"]
        if profile.request.stream { headers.append("Accept: text/event-stream") }
        switch dialect {
        case .openAI, .groq:
            if let apiKey { headers.append("Authorization: Bearer \(apiKey)") }
        case .anthropic:
            if let apiKey { headers.append("x-api-key: \(apiKey)") }
            headers.append("anthropic-version: \(profile.target.anthropicVersion)")
        }
        let custom = try customHeaders(profile.target.headers, environment: environment)
        headers += custom.lines
        let url = (baseURL.hasSuffix("/") ? baseURL : baseURL + "/") + dialect.requestPath
        var template = RequestTemplate(
            url: url,
            headers: headers,
            bodies: bodies(mix: mix, profile: profile),
            secrets: (apiKey.map { [$0] } ?? []) + custom.secrets)
        template.bodySelector = mix.selector(seed: profile.seed)
        template.connectTimeoutNanos = profile.limits.connectTimeoutNanos
        template.totalTimeoutNanos = profile.limits.timeoutNanos
        template.ttftTimeoutNanos = profile.limits.ttftTimeoutNanos
        template.idleTimeoutNanos = profile.limits.idleTimeoutNanos
        template.insecure = insecure
        template.dialect = dialect
        template.caFile = profile.target.caFile
        template.httpVersion = profile.target.http
        return template
    }

    /// `target.headers` as header lines, `${NAME}` expanded, and the values to redact from error
    /// text: those of headers that look secret and every value taken from a variable.
    static func customHeaders(_ headers: [HeaderField], environment: [String: String]) throws
        -> (lines: [String], secrets: [String])
    {
        var lines: [String] = []
        var secrets: [String] = []
        for header in headers {
            let value: String
            do {
                value = try header.expanded(environment: environment)
            } catch let missing as HeaderField.MissingVariable {
                throw CLIError("\(missing)", exitCode: 2)
            }
            lines.append("\(header.name): \(value)")
            if header.looksSecret { secrets.append(value) }
            secrets += header.variables.compactMap { environment[$0] }
        }
        return (lines, secrets.filter { $0.count >= 4 })
    }

    /// One body per prompt of the mix, in its order, in the target's dialect (``ChatRequestBody``
    /// for OpenAI and Groq, ``AnthropicMessagesBody`` for Anthropic).
    static func bodies(mix: PromptMix, profile: Profile) -> [[UInt8]] {
        let model = profile.target.model
        switch profile.target.dialect {
        case .openAI, .groq:
            return mix.prompts.map { ChatRequestBody.encode(prompt: $0, model: model, request: profile.request) }
        case .anthropic:
            return mix.prompts.map { AnthropicMessagesBody.encode(prompt: $0, model: model, request: profile.request) }
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
