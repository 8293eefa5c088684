import Foundation
import LoadCore

/// The prompt sets as `loadgen validate` prints them: one row per set with its source, size,
/// share of requests, input lengths (the mean per request, weighted like the choice of prompts)
/// and max_tokens.
enum PromptDescription {
    static func lines(for profile: Profile, mix: PromptMix, bodyBytes: Int) -> [String] {
        let selection = mix.selector(seed: profile.seed).isRoundRobin
            ? "taken in turn (round-robin)" : "chosen by weight, seeded (seed \(profile.seed))"
        var lines = ["  prompts: \(profile.prompts.count) set(s), \(mix.prompts.count) prompt(s), \(selection); "
                     + "request bodies \(formatBytes(bodyBytes)) in all"]
        var rows = [["set", "source", "prompts", "share", "input chars min/mean/max", "≈ tokens min/mean/max", "max_tokens"]]
        for (index, set) in profile.prompts.enumerated() {
            let characters = set.prompts.map(\.inputCharacters)
            let tokens = characters.map { TokenEstimate.tokens(characters: $0) }
            let weights = Array(mix.weights[mix.setRanges[index]])
            rows.append([
                set.name, source(set), "\(set.prompts.count)",
                String(format: "%.1f %%", mix.share(ofSet: index) * 100),
                spread(characters, weights), spread(tokens, weights),
                maxTokens(set, default: profile.request.maxTokens),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            lines.append(("    " + cells.joined(separator: "  ")).trimmingTrailingSpaces())
        }
        return lines
    }

    private static func source(_ set: PromptSet) -> String {
        switch set.source {
        case .inline: return "the profile"
        case .file(let path):
            let current = FileManager.default.currentDirectoryPath + "/"
            return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
        case .synthetic(let spec):
            let length = spec.stddevInputTokens == 0
                ? "\(number(spec.meanInputTokens)) tokens"
                : "normal(\(number(spec.meanInputTokens)), \(number(spec.stddevInputTokens))) tokens"
            return "synthetic, \(length)"
        case .trace(let path):
            return "the trace's lengths, \(path)"
        }
    }

    /// "min / mean / max", the mean weighted by how often each prompt is sent (the mean per request).
    private static func spread(_ values: [Int], _ weights: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "-" }
        let mean = zip(values, weights).reduce(0) { $0 + Double($1.0) * $1.1 } / weights.reduce(0, +)
        return "\(low) / \(String(format: "%.0f", mean)) / \(high)"
    }

    /// The max_tokens the set's requests send: the prompts' own, else the profile's.
    private static func maxTokens(_ set: PromptSet, default profileValue: Int?) -> String {
        let values = set.prompts.map { $0.maxTokens ?? profileValue }
        let given = values.compactMap { $0 }
        let missing = given.count < values.count ? "not sent" : nil
        guard let low = given.min(), let high = given.max() else { return "not sent" }
        let range = low == high ? "\(low)" : "\(low)–\(high)"
        return missing.map { "\(range), else \($0)" } ?? range
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func formatBytes(_ bytes: Int) -> String {
        bytes < 10_000 ? "\(bytes) bytes" : String(format: "%.1f %@", Double(bytes) / (bytes < 10_000_000 ? 1e3 : 1e6),
                                                   bytes < 10_000_000 ? "kB" : "MB")
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
