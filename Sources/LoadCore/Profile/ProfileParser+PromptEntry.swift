import Yams

/// One prompt of a prompt set or of a profile's `prompts:` list: text, a list of messages, or a
/// mapping with `messages`, `weight`, `max_tokens` and `name`.
extension ProfileParser {
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

}
