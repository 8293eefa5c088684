import Yams

extension ProfileParser {
    /// Request settings the target's dialect does not accept.
    mutating func checkRequest(_ request: Profile.RequestSettings, node: Node?, against target: Profile.Target) {
        if target.dialect == .anthropic, let temperature = request.temperature, temperature > 1 {
            let field = (node.flatMap { n -> Node? in
                guard case .mapping(let mapping) = n else { return nil }
                return mapping.first { scalarText($0.key) == "temperature" }?.value
            }) ?? node
            report(field, "request.temperature", "the Anthropic Messages API takes a temperature from 0 to 1, got \(temperature)")
        }
    }
}
