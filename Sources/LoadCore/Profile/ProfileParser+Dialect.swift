import Yams

/// Checks of `request:` that depend on the target: what its API accepts.
extension ProfileParser {
    mutating func checkRequest(_ request: Profile.RequestSettings, node: Node?, against target: Profile.Target) {
        func field(_ key: String) -> Node? {
            (node.flatMap { n -> Node? in
                guard case .mapping(let mapping) = n else { return nil }
                return mapping.first { scalarText($0.key) == key }?.value
            }) ?? node
        }
        if target.dialect == .anthropic, let temperature = request.temperature, temperature > 1 {
            report(field("temperature"), "request.temperature", "the Anthropic Messages API takes a temperature from 0 to 1, got \(temperature)")
        }
        if request.minTokens != nil, !(target.provider == .openaiCompatible || (target.provider == .mock && target.dialect == .openAI)) {
            report(field("min_tokens"), "request.min_tokens", "min_tokens is a vLLM (OpenAI-compatible server) parameter; "
                + "provider \(target.provider.rawValue) does not take it (use provider openai-compatible, or the mock's openai dialect)")
        }
    }
}
