import Yams

/// `{synthetic: {...}}` in a profile's `prompts:`: parameters of a generated prompt set.
extension ProfileParser {
    /// `{name: ..., count: N, input_tokens: N | {mean: M, stddev: S}, max_tokens: N}`.
    mutating func parseSynthetic(_ node: Node, _ path: String, seed: UInt64, weight: Double?) -> PromptSet? {
        guard let fields = mapping(node, path, known: ["name", "count", "input_tokens", "max_tokens"],
                                   hints: ["weight": "a set's weight goes next to synthetic:, e.g. {synthetic: {...}, weight: 2}",
                                           "seed": "synthetic prompts follow the profile's seed:"]) else {
            return nil
        }
        var valid = true
        var spec = SyntheticPromptSpec(meanInputTokens: 1)
        if let n = fields["name"] {
            if let text = setName(n, "\(path).name") { spec.name = text } else { valid = false }
        }
        if let n = fields["count"] {
            let maxCount = SyntheticPromptSpec.maxCount
            if let text = scalarText(n)?.replacingOccurrences(of: "_", with: ""), let value = Int(text), (1...maxCount).contains(value) {
                spec.count = value
            } else {
                report(n, "\(path).count", "expected a whole number of prompts from 1 to \(maxCount), got \(describe(n))")
                valid = false
            }
        }
        if let n = fields["max_tokens"] {
            if let value = integer(n, "\(path).max_tokens", minimum: 1) { spec.maxTokens = value } else { valid = false }
        }
        let tokensPath = "\(path).input_tokens"
        let tokensExpected = "a number of tokens like 512, or {mean: 512, stddev: 128}"
        switch fields["input_tokens"] {
        case nil:
            report(node, tokensPath, "missing required field; the prompt length, \(tokensExpected)")
            valid = false
        case let n? where scalarText(n) != nil:
            if let value = number(n), value >= 1 {
                spec.meanInputTokens = value
            } else {
                report(n, tokensPath, "expected \(tokensExpected) (at least 1), got \(describe(n))")
                valid = false
            }
        case let n?:
            guard let parts = mapping(n, tokensPath, known: ["mean", "stddev"]) else { return nil }
            if let m = parts["mean"] {
                if let value = number(m), value >= 1 {
                    spec.meanInputTokens = value
                } else {
                    report(m, "\(tokensPath).mean", "expected a mean length of at least 1 token, got \(describe(m))")
                    valid = false
                }
            } else {
                report(n, "\(tokensPath).mean", "missing required field; the mean length in tokens, e.g. mean: 512")
                valid = false
            }
            if let s = parts["stddev"] {
                if let value = number(s), value >= 0 {
                    spec.stddevInputTokens = value
                } else {
                    report(s, "\(tokensPath).stddev", "expected a standard deviation of 0 tokens or more, got \(describe(s))")
                    valid = false
                }
            }
        }
        guard valid else { return nil }
        // The mean and one standard deviation bound the text made (each length is also capped at
        // mean + 6 stddev), so a huge stddev is refused here rather than overflowing a length.
        let total = Double(spec.count) * (spec.meanInputTokens + spec.stddevInputTokens)
        if total > SyntheticPromptSpec.maxTotalTokens {
            let shown = total < 1e15 ? String(Int(total)) : String(format: "%.3g", total)
            report(node, path, "count × (input_tokens mean + stddev) is \(shown) tokens; at most "
                + "\(Int(SyntheticPromptSpec.maxTotalTokens)) in all: lower count, the mean or the stddev")
            return nil
        }
        return PromptSet(name: spec.name, source: .synthetic(spec), weight: weight, maxTokens: spec.maxTokens,
                         prompts: SyntheticPrompts.make(spec, seed: seed))
    }

}
