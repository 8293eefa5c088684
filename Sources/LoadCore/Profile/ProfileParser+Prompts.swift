import Foundation
import Yams

/// `prompts:` in a profile, and the prompt-set files and folders it names. Problems inside a
/// prompt-set file are reported against that file, with its own lines and columns.
extension ProfileParser {
    private static let promptsExpected = "a prompt-set file or folder (e.g. prompts: ../prompts/), "
        + "{synthetic: {count: 100, input_tokens: {mean: 512, stddev: 128}}}, or a list of those and of "
        + "inline prompts like [{role: user, content: \"Say hello\"}]"
    static let messagesExpected = "a list of messages like [{role: user, content: \"Say hello\"}]"

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
