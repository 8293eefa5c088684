import Foundation
import Yams

/// Prompt datasets (`.json` ShareGPT or rows, `.jsonl` rows) named in `prompts:`, read by
/// ``PromptDataset``; their problems are reported against the dataset file.
extension ProfileParser {
    /// The dataset at `path` as one prompt set named after the file, or nil (problems reported).
    mutating func loadDataset(_ path: String, _ node: Node, _ fieldPath: String) -> PromptSet? {
        guard let data = FileManager.default.contents(atPath: path) else {
            report(node, fieldPath, "cannot read the dataset \(path)")
            return nil
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        switch PromptDataset.parse(data, path: path, name: name, seed: datasetSeed) {
        case .success(let prompts):
            return PromptSet(name: name, source: .file(path: PromptPath.absolute(path)), prompts: prompts)
        case .failure(let list):
            for problem in list.problems {
                problems.append(ProfileProblem(file: path, line: problem.line, column: 0, fieldPath: problem.field,
                                               message: problem.message))
            }
            return nil
        }
    }

    /// The prompts of a trace with token lengths: one per arrival, in order (request i takes prompt
    /// i, round-robin over equal weights), each of synthetic words of the row's input length, with
    /// its output length as `max_tokens`. Nil when `prompts:` is given too (reported: the trace
    /// makes the prompts) or the lengths are too many tokens to hold.
    mutating func tracePrompts(_ trace: (path: String, rows: [TraceFile.Lengths]), promptsNode: Node?, seed: UInt64)
        -> [PromptSet]?
    {
        if let promptsNode {
            report(promptsNode, "prompts", "the trace \(trace.path) gives each arrival's input and output tokens, so it "
                + "makes the prompts; remove prompts: (or use a trace of arrival times only)")
            return nil
        }
        let total = trace.rows.reduce(0.0) { $0 + Double($1.inputTokens) }
        guard total <= TraceFile.maxTotalInputTokens else {
            problems.append(ProfileProblem(file: trace.path, line: 0, column: 0, fieldPath: "",
                                           message: "the trace's input lengths add up to \(Int(total)) tokens; at most "
                                               + "\(Int(TraceFile.maxTotalInputTokens)) are held in memory: replay a part of it"))
            return nil
        }
        let name = "trace"
        var random = SplitMix64(seed: seed ^ SyntheticPrompts.fnv1a(name))
        let prompts = trace.rows.map {
            SyntheticPrompts.prompt(words: $0.inputTokens, maxTokens: $0.outputTokens, random: &random)
        }
        return [PromptSet(name: name, source: .trace(path: trace.path), prompts: prompts)]
    }
}
