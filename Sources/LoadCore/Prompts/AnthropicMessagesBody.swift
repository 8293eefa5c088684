/// The JSON body of an Anthropic Messages request, written directly like ``ChatRequestBody``
/// (keys sorted, no spaces):
///
///     {"max_tokens":1024,"messages":[{"content":"Say hello","role":"user"}],"model":"claude-haiku-4-5",
///      "stream":true,"system":"Be brief.","temperature":0.7}
///
/// System messages are taken out of the list into `system` (several are joined by a blank line),
/// as the Messages API wants. `max_tokens`, which the API requires, is the prompt's own, else the
/// profile's `request.max_tokens`, else `Profile.anthropicDefaultMaxTokens` (1024). The fields of
/// `request.extra_body` follow, in key order.
public enum AnthropicMessagesBody {
    /// - Parameters:
    ///   - prompt: the messages and the prompt's max_tokens.
    ///   - model: `target.model`.
    ///   - request: the profile's request settings.
    /// - Returns: UTF-8 JSON.
    public static func encode(prompt: Prompt, model: String, request: Profile.RequestSettings) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(prompt.messages.reduce(128) { $0 + $1.content.utf8.count + 40 } + model.utf8.count)
        let maxTokens = prompt.maxTokens ?? request.maxTokens ?? Profile.anthropicDefaultMaxTokens
        out += Array("{\"max_tokens\":\(maxTokens),\"messages\":[".utf8)
        var first = true
        for message in prompt.messages where message.role != .system {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += Array("{\"content\":".utf8)
            ChatRequestBody.appendString(message.content, to: &out)
            out += Array(",\"role\":\"\(message.role.rawValue)\"}".utf8)
        }
        out += Array("],\"model\":".utf8)
        ChatRequestBody.appendString(model, to: &out)
        out += Array(",\"stream\":\(request.stream)".utf8)
        let system = prompt.messages.filter { $0.role == .system }.map(\.content)
        if !system.isEmpty {
            out += Array(",\"system\":".utf8)
            ChatRequestBody.appendString(system.joined(separator: "\n\n"), to: &out)
        }
        if let temperature = request.temperature {
            out += Array(",\"temperature\":\(temperature)".utf8)
        }
        ChatRequestBody.appendExtra(request.extraBody, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
