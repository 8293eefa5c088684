import Foundation

/// Prompt datasets in the formats other LLM benchmarks use, read into prompts with their output
/// lengths as `max_tokens`:
///
/// - **ShareGPT** (`.json`, a list of `{conversations: [{from: human|gpt, value: TEXT}, ...]}`, as
///   vLLM's `--dataset-name sharegpt` reads it): the first human turn is the prompt; the gpt turn
///   after it sets `max_tokens` to its length in estimated tokens (``TokenEstimate``).
///   Conversations without a human turn followed by a gpt turn are skipped.
/// - **Rows** (`.jsonl`, one object per line, or a `.json` list of them): the prompt text from
///   ``promptFields`` (the first present), the output length from ``outputFields``; a row without
///   text but with an input length (``inputFields``) gets a synthetic prompt of that many tokens.
///   A `.jsonl` line with `conversations` is read as a ShareGPT entry.
public enum PromptDataset {
    /// Field names taken as the prompt text, in order of preference.
    public static let promptFields = ["prompt", "text", "input", "question", "instruction"]
    /// Field names taken as the output length in tokens (the request's `max_tokens`).
    public static let outputFields = ["output_tokens", "max_tokens", "output_length", "output_len", "completion_tokens",
                                      "max_new_tokens"]
    /// Field names taken as the input length in tokens, for rows without text.
    public static let inputFields = ["input_tokens", "input_length", "input_len", "prompt_tokens"]

    /// A problem in a dataset file: its 1-based line (0 when unknown) and the entry's field.
    public struct Problem: Error, Equatable {
        public var line: Int
        public var field: String
        public var message: String
    }

    /// Whether a path names a dataset (by its extension) rather than a prompt-set YAML file.
    public static func isDataset(path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonl")
    }

    /// Reads a dataset's bytes.
    /// - Parameters:
    ///   - seed: seeds the synthetic text of rows that give only an input length.
    ///   - name: keys that synthetic text (the set's name).
    /// - Returns: the prompts in file order, or every problem found.
    public static func parse(_ data: Data, path: String, name: String, seed: UInt64) -> Result<[Prompt], ProblemList> {
        var reader = Reader(name: name, seed: seed)
        if path.lowercased().hasSuffix(".jsonl") {
            reader.readLines(data)
        } else {
            reader.readList(data)
        }
        if reader.problems.isEmpty && reader.prompts.isEmpty {
            reader.problems.append(Problem(line: 1, field: "", message: reader.skipped > 0
                ? "none of the \(reader.skipped) conversations has a human turn followed by a gpt turn"
                : "the dataset has no entries"))
        }
        return reader.problems.isEmpty ? .success(reader.prompts) : .failure(ProblemList(problems: reader.problems))
    }

    /// The problems of one dataset.
    public struct ProblemList: Error, Equatable {
        public var problems: [Problem]
    }

    private struct Reader {
        let name: String
        var random: SplitMix64
        var prompts: [Prompt] = []
        var problems: [Problem] = []
        var skipped = 0

        init(name: String, seed: UInt64) {
            self.name = name
            random = SplitMix64(seed: seed ^ SyntheticPrompts.fnv1a(name))
        }

        mutating func readLines(_ data: Data) {
            var lineNumber = 0
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                guard !trimmed.isEmpty, trimmed.first != UInt8(ascii: "#") else { continue }
                guard let object = try? JSONParser.parse(Array(line)), object.isObject else {
                    problems.append(Problem(line: lineNumber, field: "", message: "expected one JSON object per line"))
                    continue
                }
                read(object, line: lineNumber, field: "")
                if problems.count >= 20 { return }
            }
        }

        mutating func readList(_ data: Data) {
            let bytes = [UInt8](data)
            let list: [JSONValue]
            do throws(JSONParseError) {
                guard let parsed = try JSONParser.parse(bytes).arrayValue else {
                    problems.append(Problem(line: 1, field: "", message: "expected a JSON list of entries"))
                    return
                }
                list = parsed
            } catch {
                let line = 1 + bytes.prefix(error.offset).lazy.filter { $0 == UInt8(ascii: "\n") }.count
                problems.append(Problem(line: line, field: "", message: "not valid JSON: \(error.reason)"))
                return
            }
            let lines = JSONLines.entryLines(data, count: list.count)
            for (index, entry) in list.enumerated() {
                let line = index < lines.count ? lines[index] : 0
                guard entry.isObject else {
                    problems.append(Problem(line: line, field: "[\(index)]", message: "expected an object"))
                    continue
                }
                read(entry, line: line, field: "[\(index)]")
                if problems.count >= 20 { return }
            }
        }

        mutating func read(_ object: JSONValue, line: Int, field: String) {
            let prefix = field.isEmpty ? "" : field + "."
            if let conversation = object["conversations"] {
                readShareGPT(conversation, line: line, field: prefix + "conversations")
                return
            }
            let text = PromptDataset.promptFields.lazy.compactMap { object[$0]?.stringValue }.first
            let outputKey = PromptDataset.outputFields.first { object[$0] != nil }
            var maxTokens: Int?
            if let outputKey {
                guard let value = Self.count(object[outputKey]), value >= 1 else {
                    problems.append(Problem(line: line, field: prefix + outputKey,
                                            message: "expected a positive whole number of tokens"))
                    return
                }
                maxTokens = value
            }
            if let text {
                guard text.contains(where: { !$0.isWhitespace }) else {
                    problems.append(Problem(line: line, field: prefix + "prompt", message: "the prompt text is empty"))
                    return
                }
                prompts.append(Prompt(messages: [ChatMessage(role: .user, content: text)], maxTokens: maxTokens))
            } else if let inputKey = PromptDataset.inputFields.first(where: { object[$0] != nil }) {
                guard let tokens = Self.count(object[inputKey]), tokens >= 1 else {
                    problems.append(Problem(line: line, field: prefix + inputKey,
                                            message: "expected a positive whole number of tokens"))
                    return
                }
                prompts.append(SyntheticPrompts.prompt(words: tokens, maxTokens: maxTokens, random: &random))
            } else {
                problems.append(Problem(line: line, field: field, message: "expected the prompt text in one of "
                    + PromptDataset.promptFields.joined(separator: ", ") + " (or an input length in "
                    + PromptDataset.inputFields.joined(separator: ", ") + "), or ShareGPT conversations"))
            }
        }

        mutating func readShareGPT(_ value: JSONValue, line: Int, field: String) {
            guard let turns = value.arrayValue else {
                problems.append(Problem(line: line, field: field, message: "expected a list of {from, value} turns"))
                return
            }
            var prompt: String?
            for (index, turn) in turns.enumerated() {
                guard let from = turn["from"]?.stringValue, let text = turn["value"]?.stringValue else {
                    problems.append(Problem(line: line, field: "\(field)[\(index)]",
                                            message: "expected a turn like {from: human, value: \"...\"}"))
                    return
                }
                if prompt == nil {
                    if from == "human", text.contains(where: { !$0.isWhitespace }) { prompt = text }
                } else if from == "gpt" {
                    let tokens = TokenEstimate.tokens(characters: text.unicodeScalars.count)
                    prompts.append(Prompt(messages: [ChatMessage(role: .user, content: prompt!)], maxTokens: tokens))
                    return
                }
            }
            skipped += 1
        }

        /// A whole number (12.0 counts, 12.5 and `true` do not).
        static func count(_ value: JSONValue?) -> Int? {
            guard let double = value?.doubleValue, double.isFinite, double.rounded() == double, abs(double) < 1e12 else {
                return nil
            }
            return Int(double)
        }
    }
}

/// The line on which each entry of a top-level JSON list starts, found by one pass over the bytes
/// that skips strings and counts nesting.
enum JSONLines {
    static func entryLines(_ data: Data, count: Int) -> [Int] {
        var lines: [Int] = []
        lines.reserveCapacity(count)
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingEntry = false
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            if expectingEntry && !isSpace && byte != UInt8(ascii: "]") {
                lines.append(line)
                expectingEntry = false
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 && byte == UInt8(ascii: "[") { expectingEntry = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expectingEntry = true }
            default: break
            }
        }
        return lines
    }
}
