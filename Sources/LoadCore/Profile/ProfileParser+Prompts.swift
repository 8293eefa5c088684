import Foundation
import Yams

/// `prompts:` in a profile, and the prompt-set files and folders it names. Problems inside a
/// prompt-set file are reported against that file, with its own lines and columns.
extension ProfileParser {
    private static let promptsExpected = "a prompt-set file or folder (e.g. prompts: ../prompts/), "
        + "{synthetic: {count: 100, input_tokens: {mean: 512, stddev: 128}}}, or a list of those and of "
        + "inline prompts like [{role: user, content: \"Say hello\"}]"
    private static let messagesExpected = "a list of messages like [{role: user, content: \"Say hello\"}]"

    // MARK: - The profile's prompts:

    /// `prompts:` — one source (a path, `{path: ..., weight: ...}` or `{synthetic: {...}}`), or a
    /// list of sources and inline prompts. Inline prompts form one set, named `inline`, placed
    /// where the first of them stands. A string is a path or a prompt's text as
    /// ``PromptPath/isPath(_:profileFile:)`` decides.
    mutating func parsePrompts(_ node: Node, seed: UInt64) -> [PromptSet] {
        var sets: [(set: PromptSet, node: Node)] = []
        var inline: [Prompt] = []
        var inlinePosition: (index: Int, node: Node)?
        switch node {
        case .sequence(let list):
            if list.isEmpty {
                report(node, "prompts", "expected at least one prompt or prompt set; or remove prompts: for the default prompt")
            }
            for (i, item) in list.enumerated() {
                let path = "prompts[\(i)]"
                if case .scalar = item, let text = scalarText(item), !text.isEmpty,
                   PromptPath.isPath(text, profileFile: file) {
                    sets += loadPromptPath(item, text, path, weight: nil)
                } else if isPromptSource(item) {
                    sets += parsePromptSource(item, path, seed: seed)
                } else {
                    if inlinePosition == nil { inlinePosition = (sets.count, item) }
                    if let prompt = parsePromptEntry(item, path, textIsMessage: true, setMaxTokens: nil) {
                        inline.append(prompt)
                    }
                }
            }
        case .mapping:
            sets += parsePromptSource(node, "prompts", seed: seed)
        default:
            // `--prompts PATH` (a value without a position in any text) is always a path.
            if let text = scalarText(node), !text.isEmpty, node.mark == nil || PromptPath.isPath(text, profileFile: file) {
                sets += loadPromptPath(node, text, "prompts", weight: nil)
            } else if let text = scalarText(node), !text.isEmpty {
                inlinePosition = (0, node)
                if let prompt = parsePromptEntry(node, "prompts", textIsMessage: true, setMaxTokens: nil) {
                    inline.append(prompt)
                }
            } else {
                report(node, "prompts", "expected \(Self.promptsExpected), got \(describe(node))")
            }
        }
        if let inlinePosition, !inline.isEmpty {
            let set = PromptSet(name: PromptSet.inlineName, source: .inline, prompts: inline)
            sets.insert((set, inlinePosition.node), at: inlinePosition.index)
        }
        var seen: [String: PromptSet.Source] = [:]
        for (set, setNode) in sets {
            if let other = seen[set.name] {
                report(setNode, "prompts", "two prompt sets are named \"\(set.name)\" (\(Self.describe(other)) and "
                    + "\(Self.describe(set.source))); set names must differ: give one of them another name:")
            }
            seen[set.name] = set.source
        }
        return sets.isEmpty ? Profile.defaultPrompts : sets.map(\.set)
    }

    /// A mapping with `path:` or `synthetic:` (as opposed to an inline prompt).
    private func isPromptSource(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.keys.contains { ["path", "synthetic"].contains(scalarText($0)) }
    }

    /// `{path: FILE_OR_FOLDER, weight: W}` or `{synthetic: {...}, weight: W}`.
    mutating func parsePromptSource(_ node: Node, _ path: String, seed: UInt64) -> [(set: PromptSet, node: Node)] {
        guard let fields = mapping(node, path, known: ["path", "synthetic", "weight"], hints: [
            "messages": "inline prompts go in a list: prompts: [{messages: [...]}]",
            "file": "give a prompt-set file as path: FILE (or as a plain string)",
            "folder": "give a folder of prompt sets as path: FOLDER (or as a plain string)",
        ]) else {
            return []
        }
        var weight: Double?
        if let n = fields["weight"] { weight = positiveNumber(n, "\(path).weight", what: "the set's share of requests") }
        switch (fields["path"], fields["synthetic"]) {
        case let (pathNode?, nil):
            guard let text = scalarText(pathNode), !text.isEmpty else {
                report(pathNode, "\(path).path", "expected the path of a prompt-set file or folder, got \(describe(pathNode))")
                return []
            }
            return loadPromptPath(pathNode, text, "\(path).path", weight: weight)
        case let (nil, syntheticNode?):
            guard let set = parseSynthetic(syntheticNode, "\(path).synthetic", seed: seed, weight: weight) else { return [] }
            return [(set, node)]
        case (_?, _?):
            report(node, path, "give either path: or synthetic:, not both (use a list for several sources)")
            return []
        case (nil, nil):
            report(node, path, "missing path: (a prompt-set file or folder) or synthetic: {count: ..., input_tokens: ...}")
            return []
        }
    }

    // MARK: - Files and folders

    /// A prompt-set file, or every `*.yaml`/`*.yml` file of a folder in name order. `relative` is
    /// relative to the profile's folder; `weight` replaces each set's own.
    mutating func loadPromptPath(_ node: Node, _ relative: String, _ fieldPath: String,
                                         weight: Double?) -> [(set: PromptSet, node: Node)] {
        let resolved = PromptPath.resolve(relative, profileFile: file)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            let origin = relative.hasPrefix("/") ? "" : " (\"\(relative)\" is taken relative to the profile's folder)"
            let hint = node.mark == nil ? "" : "; to send this text as a prompt instead, write it as {messages: \(describe(node))}"
            report(node, fieldPath, "no prompt-set file or folder at \(resolved)\(origin)\(hint)")
            return []
        }
        var files = [resolved]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: resolved)) ?? []
            files = names.filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
                    && FileManager.default.fileExists(atPath: resolved + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted().map { resolved + "/" + $0 }
            if files.isEmpty {
                report(node, fieldPath, "the folder \(resolved) has no prompt sets (*.yaml or *.yml files)")
                return []
            }
        }
        var sets: [(set: PromptSet, node: Node)] = []
        for path in files {
            if PromptDataset.isDataset(path: path) {
                if var set = loadDataset(path, node, fieldPath) {
                    if let weight { set.weight = weight }
                    sets.append((set, node))
                }
                continue
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                report(node, fieldPath, "cannot read the prompt-set file \(path)")
                continue
            }
            var parser = ProfileParser(file: path)
            if var set = parser.parsePromptSet(yaml: text, absolutePath: PromptPath.absolute(path)) {
                if let weight { set.weight = weight }
                sets.append((set, node))
            }
            problems += parser.problems
        }
        return sets
    }

    /// A prompt-set file: `{name: ..., weight: ..., max_tokens: ..., prompts: [...]}`, or just the
    /// list of prompts. Problems are reported against this parser's file (the set file).
    mutating func parsePromptSet(yaml: String, absolutePath: String) -> PromptSet? {
        let root: Node
        do {
            // The basic resolver tags every scalar as text (the parser reads scalars as text anyway):
            // the default one runs a dozen regular expressions per scalar, a third of the time for
            // 10,000 prompts.
            guard let node = try Yams.compose(yaml: yaml, .basic) else {
                report(nil, "", "the prompt set is empty; it needs prompts: with a list of prompts")
                return nil
            }
            root = node
        } catch let error as YamlError {
            reportSyntax(error)
            return nil
        } catch {
            report(nil, "", "cannot parse YAML: \(error)")
            return nil
        }
        var name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var weight: Double?
        var maxTokens: Int?
        let listNode: Node
        switch root {
        case .sequence:
            listNode = root
        case .mapping:
            guard let fields = mapping(root, "", known: ["name", "weight", "max_tokens", "prompts"],
                                       hints: ["messages": "a prompt set lists its prompts under prompts:"]) else {
                return nil
            }
            if let n = fields["name"], let text = setName(n, "name") { name = text }
            if let n = fields["weight"] { weight = positiveNumber(n, "weight", what: "the set's share of requests") }
            if let n = fields["max_tokens"] { maxTokens = integer(n, "max_tokens", minimum: 1) }
            guard let n = fields["prompts"] else {
                report(root, "prompts", "missing required field; a list of prompts, e.g. prompts: [\"Say hello\"]")
                return nil
            }
            listNode = n
        default:
            report(root, "", "expected a mapping with prompts: (and optionally name:, weight:, max_tokens:) "
                + "or a list of prompts, got \(describe(root))")
            return nil
        }
        guard let list = sequence(listNode, "prompts", expected: "a list of prompts") else { return nil }
        if list.isEmpty {
            report(listNode, "prompts", "expected at least one prompt, e.g. - \"Say hello\"")
            return nil
        }
        var prompts: [Prompt] = []
        prompts.reserveCapacity(list.count)
        var names: Set<String> = []
        for (i, entry) in list.enumerated() {
            guard let prompt = parsePromptEntry(entry, "prompts[\(i)]", textIsMessage: true, setMaxTokens: maxTokens) else {
                continue
            }
            if let promptName = prompt.name, !names.insert(promptName).inserted {
                report(entry, "prompts[\(i)].name", "\"\(promptName)\" names another prompt of this set too; names must differ")
            }
            prompts.append(prompt)
        }
        guard !prompts.isEmpty else { return nil }
        return PromptSet(name: name, source: .file(path: absolutePath), weight: weight, maxTokens: maxTokens, prompts: prompts)
    }

    // MARK: - Prompts

    /// One prompt: a list of messages, `{messages: ..., weight: ..., max_tokens: ..., name: ...}`, or
    /// (in a set file, where `textIsMessage`) a plain string, one user message.
    mutating func parsePromptEntry(_ node: Node, _ path: String, textIsMessage: Bool, setMaxTokens: Int?) -> Prompt? {
        switch node {
        case .sequence:
            guard let messages = parseMessages(node, path) else { return nil }
            return Prompt(messages: messages, maxTokens: setMaxTokens)
        case .mapping:
            guard let fields = mapping(node, path, known: ["messages", "weight", "max_tokens", "name"], hints: [
                "id": "a prompt's label is spelled name:",
                "role": "a prompt is a list of messages: put this message in a list, [{role: ..., content: ...}], or under messages:",
                "content": "a prompt is a list of messages: put this message in a list, [{role: ..., content: ...}], or under messages:",
                "file": "give a prompt-set file as path: FILE (or as a plain string)",
            ]) else {
                return nil
            }
            var prompt = Prompt(messages: [], maxTokens: setMaxTokens)
            if let n = fields["name"], let text = string(n, "\(path).name") {
                if text.isEmpty { report(n, "\(path).name", "expected a name, got an empty string") }
                prompt.name = text
            }
            if let n = fields["weight"], let value = positiveNumber(n, "\(path).weight", what: "the prompt's share within its set") {
                prompt.weight = value
            }
            if let n = fields["max_tokens"], let value = integer(n, "\(path).max_tokens", minimum: 1) { prompt.maxTokens = value }
            guard let messagesNode = fields["messages"] else {
                report(node, "\(path).messages", "missing required field; \(Self.messagesExpected), or one user message as text")
                return nil
            }
            if case .scalar = messagesNode, let text = scalarText(messagesNode) {
                guard nonEmpty(text, messagesNode, "\(path).messages") else { return nil }
                prompt.messages = [ChatMessage(role: .user, content: text)]
            } else {
                guard let messages = parseMessages(messagesNode, "\(path).messages") else { return nil }
                prompt.messages = messages
            }
            return prompt
        default:
            if textIsMessage, let text = scalarText(node) {
                guard nonEmpty(text, node, path) else { return nil }
                return Prompt(messages: [ChatMessage(role: .user, content: text)], maxTokens: setMaxTokens)
            }
            let expected = textIsMessage
                ? "a prompt: text (one user message), \(Self.messagesExpected), or {messages: ..., weight: ..., max_tokens: ...}"
                : "a prompt-set path or an inline prompt (\(Self.messagesExpected), or {messages: ..., weight: ...})"
            report(node, path, "expected \(expected), got \(describe(node))")
            return nil
        }
    }

    /// `[{role: system|user|assistant, content: TEXT}, ...]`, at least one, no empty content.
    mutating func parseMessages(_ node: Node, _ path: String) -> [ChatMessage]? {
        guard let list = sequence(node, path, expected: Self.messagesExpected) else { return nil }
        if list.isEmpty {
            report(node, path, "expected at least one message, like [{role: user, content: \"Say hello\"}]")
            return nil
        }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(list.count)
        var valid = true
        for (j, messageNode) in list.enumerated() {
            let messagePath = "\(path)[\(j)]"
            guard let fields = mapping(messageNode, messagePath, known: ["role", "content"]) else {
                valid = false
                continue
            }
            var role = ChatMessage.Role.user
            if let r = fields["role"] {
                if let text = scalarText(r), let value = ChatMessage.Role(rawValue: text) {
                    role = value
                } else {
                    report(r, messagePath + ".role", "expected \(Self.roles), got \(describe(r))")
                    valid = false
                }
            } else {
                report(messageNode, messagePath + ".role", "missing required field; expected \(Self.roles)")
                valid = false
            }
            var content = ""
            if let c = fields["content"] {
                if let text = scalarText(c) {
                    content = text
                    valid = nonEmpty(text, c, messagePath + ".content") && valid
                } else {
                    report(c, messagePath + ".content", "expected text, got \(describe(c))")
                    valid = false
                }
            } else {
                report(messageNode, messagePath + ".content", "missing required field; the message text")
                valid = false
            }
            messages.append(ChatMessage(role: role, content: content))
        }
        return valid ? messages : nil
    }

    private static let roles = ChatMessage.Role.allCases.map(\.rawValue).joined(separator: " | ")

    /// Reports text that is empty or only white space.
    mutating func nonEmpty(_ text: String, _ node: Node, _ path: String) -> Bool {
        if text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) { return true }
        report(node, path, "expected the message text, got \(text.isEmpty ? "an empty string" : "only white space")")
        return false
    }

    // MARK: - Synthetic prompts

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
        let total = Double(spec.count) * spec.meanInputTokens
        if total > SyntheticPromptSpec.maxTotalTokens {
            report(node, path, "count × input_tokens mean is \(Int(total)) tokens; at most "
                + "\(Int(SyntheticPromptSpec.maxTotalTokens)) in all: lower count or the mean")
            return nil
        }
        return PromptSet(name: spec.name, source: .synthetic(spec), weight: weight, maxTokens: spec.maxTokens,
                         prompts: SyntheticPrompts.make(spec, seed: seed))
    }

    // MARK: - Values

    /// A positive, finite number.
    mutating func positiveNumber(_ node: Node, _ path: String, what: String) -> Double? {
        if let value = number(node), value > 0 { return value }
        report(node, path, "expected a positive number (\(what), relative to the others), got \(describe(node))")
        return nil
    }

    /// A set name: letters, digits, `-`, `_`, `.`.
    mutating func setName(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            report(node, path, "expected a set name of letters, digits, \"-\", \"_\" or \".\", got \(describe(node))")
            return nil
        }
        return text
    }

    private static func describe(_ source: PromptSet.Source) -> String {
        switch source {
        case .inline: return "inline prompts"
        case .file(let path): return path
        case .synthetic: return "synthetic"
        case .trace(let path): return path
        }
    }
}
