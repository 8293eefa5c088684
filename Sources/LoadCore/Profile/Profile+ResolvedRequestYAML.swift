extension Profile {
    /// `target.headers` for `profile.resolved.yaml`: values as written (`${NAME}` unexpanded; a
    /// header that looks secret always takes its value from a variable, so no credential is written).
    func headerLines() -> [String] {
        guard !target.headers.isEmpty else { return [] }
        return ["  headers:"] + target.headers.map { "    \(Self.quote($0.name)): \(Self.quote($0.value))" }
    }

    /// `request.min_tokens` and `request.extra_body` (its JSON is valid YAML flow) when given.
    func extraRequestLines() -> [String] {
        var lines: [String] = []
        if let minTokens = request.minTokens { lines.append("  min_tokens: \(minTokens)") }
        if !request.extraBody.isEmpty {
            let fields = request.extraBody.map { "\(Self.quote($0.key)): \($0.json)" }
            lines.append("  extra_body: {" + fields.joined(separator: ", ") + "}")
        }
        return lines
    }
}
