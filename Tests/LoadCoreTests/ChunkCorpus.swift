@testable import LoadCore

/// A seeded generator of chat-completion chunk documents for differential tests: valid chunks in
/// every shape the stream parser distinguishes (key order, whitespace, escapes, Unicode, unknown
/// nested fields, numbers in all forms, duplicate keys, odd types), and broken ones made by
/// mutating and truncating valid chunks.
struct ChunkCorpus {
    private var random: TestRandom

    init(seed: UInt64) {
        random = TestRandom(seed: seed)
    }

    /// `count` valid chunks, each followed by one mutated copy of itself.
    mutating func documents(count: Int) -> [[UInt8]] {
        var documents: [[UInt8]] = []
        documents.reserveCapacity(count * 2)
        for _ in 0..<count {
            let valid = Array(chunk().utf8)
            documents.append(valid)
            documents.append(mutate(valid))
        }
        return documents
    }

    // MARK: - Valid documents

    /// A chunk object (occasionally a bare non-object value).
    mutating func chunk() -> String {
        if random.chance(0.02) { return ws() + value(depth: 2) + ws() }
        var members: [(String, String)] = [
            ("id", quoted("chatcmpl-mock-\(random.below(1000))")),
            ("object", quoted("chat.completion.chunk")),
            ("created", number()),
            ("model", quoted(pick(["mock-small", "gpt-4o-mini", "llama-3.1-8b-instant"]))),
        ]
        if random.chance(0.3) { members.append(("system_fingerprint", quoted("fp_44709d6fcb"))) }
        if random.chance(0.92) { members.append(("choices", choices())) }
        if random.chance(0.3) { members.append(("usage", usage())) }
        if random.chance(0.05) { members.append(("error", pick(["null", errorValue()]))) }
        if random.chance(0.05) { members.append(("x_groq", groq())) }
        if random.chance(0.2) { members.append((unknownKey(), value(depth: 3))) }
        if random.chance(0.03) { members.append(("deep", deepNesting())) }
        // Duplicate keys: the first must win on both paths.
        if random.chance(0.05) { members.append(("choices", choices())) }
        if random.chance(0.05) { members.append(("usage", usage())) }
        return ws() + object(random.shuffled(members)) + ws()
    }

    private mutating func choices() -> String {
        if random.chance(0.05) { return pick(["null", "{}", #""choices""#, "3"]) }
        let count = random.chance(0.15) ? 0 : (random.chance(0.85) ? 1 : 2 + random.below(2))
        return array((0..<count).map { index in choice(index: index) })
    }

    private mutating func choice(index: Int) -> String {
        if random.chance(0.04) { return pick(["null", "1", "[]", #""x""#]) }
        var members: [(String, String)] = [("index", String(index))]
        if random.chance(0.9) { members.append(("delta", delta())) }
        if random.chance(0.05) { members.append(("delta", delta())) }
        if random.chance(0.05) { members.append(("message", delta())) }
        members.append(("finish_reason", pick(["null", quoted("stop"), quoted("length"), quoted("tool_calls")])))
        if random.chance(0.3) { members.append(("logprobs", random.chance(0.8) ? "null" : value(depth: 2))) }
        return object(random.shuffled(members))
    }

    private mutating func delta() -> String {
        if random.chance(0.05) { return pick(["null", "[]", #""content""#, "0", "[{\"content\":\"x\"}]"]) }
        var members: [(String, String)] = []
        if random.chance(0.3) { members.append(("role", quoted("assistant"))) }
        for key in ["content", "reasoning_content", "reasoning", "refusal"] where random.chance(0.35) {
            members.append((key, textValue()))
        }
        if random.chance(0.15) { members.append(("tool_calls", toolCalls())) }
        if random.chance(0.1) { members.append((unknownKey(), value(depth: 2))) }
        // A duplicate of a token key, with a different value.
        if random.chance(0.08) {
            members.append((pick(["content", "reasoning_content", "reasoning", "refusal"]), textValue()))
        }
        if random.chance(0.04) { members.append(("tool_calls", toolCalls())) }
        return object(random.shuffled(members))
    }

    private mutating func textValue() -> String {
        switch random.below(10) {
        case 0: return "null"
        case 1: return quoted("")
        case 2: return pick(["0", "[]", "{}", "true", #"["a"]"#])
        default: return quoted(text())
        }
    }

    private mutating func toolCalls() -> String {
        switch random.below(6) {
        case 0: return "[]"
        case 1: return pick(["null", #""call""#, "{}", "[ ]"])
        default:
            let call = object([
                ("index", "0"), ("id", quoted("call_abc")), ("type", quoted("function")),
                ("function", object([("name", quoted("get_weather")), ("arguments", quoted(#"{\"loc"#))])),
            ])
            return array(random.chance(0.8) ? [call] : [call, "{}"])
        }
    }

    private mutating func usage() -> String {
        if random.chance(0.2) { return pick(["null", "0", #""usage""#, "[]"]) }
        var members: [(String, String)] = []
        if random.chance(0.9) { members.append(("prompt_tokens", countValue())) }
        if random.chance(0.9) { members.append(("completion_tokens", countValue())) }
        if random.chance(0.7) { members.append(("total_tokens", countValue())) }
        if random.chance(0.2) { members.append(("completion_tokens_details", object([("reasoning_tokens", "0")]))) }
        if random.chance(0.05) { members.append(("prompt_tokens", countValue())) }
        return object(random.shuffled(members))
    }

    private mutating func countValue() -> String {
        random.chance(0.75) ? String(random.below(100_000)) : (random.chance(0.8) ? number() : textValue())
    }

    private mutating func groq() -> String {
        var members: [(String, String)] = [("id", quoted("req_01"))]
        if random.chance(0.6) { members.append(("usage", usage())) }
        if random.chance(0.3) { members.append(("error", pick(["null", errorValue()]))) }
        return random.chance(0.05) ? "null" : object(random.shuffled(members))
    }

    private mutating func errorValue() -> String {
        if random.chance(0.2) { return quoted(pick(["rate limited", "Overloaded"])) }
        return object([
            ("message", quoted(text())), ("type", quoted(pick(["server_error", "overloaded_error"]))),
            ("code", pick(["null", "500", quoted("model_overloaded")])),
        ])
    }

    /// Arrays nested around the depth limit (the chunk object itself is one level).
    private mutating func deepNesting() -> String {
        let depth = JSONParser.maxDepth - 2 + random.below(4)
        return String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    /// Any value, nested up to `depth` more levels.
    private mutating func value(depth: Int) -> String {
        switch random.below(depth > 0 ? 8 : 6) {
        case 0: return "null"
        case 1: return pick(["true", "false"])
        case 2, 3: return number()
        case 4, 5: return quoted(text())
        case 6: return array((0..<random.below(4)).map { _ in value(depth: depth - 1) })
        default: return object((0..<random.below(4)).map { _ in (unknownKey(), value(depth: depth - 1)) })
        }
    }

    private mutating func unknownKey() -> String {
        pick(["x", "meta", "service_tier", "obfuscation", "a b", "é", "content", "choices", "delta", "usage", ""])
    }

    /// JSON number literals in every form `JSONParser` distinguishes.
    private mutating func number() -> String {
        pick([
            "0", "-0", "7", "-42", "1764000000", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "12.0", "1.5", "-0.25", "0.0", "1e3", "2E-2", "-1.5e+2", "12e0", "1E+2",
            "1e-400", "1e308", "1e309", "1e400", "-1e400", "0e999", "17.5e299",
        ])
    }

    /// String contents as they appear between the quotes (escapes written out).
    private mutating func text() -> String {
        pick([
            "tok ", " ", "Hello", "a", #"\n"#, #"\""#, #"\\"#, #"\/"#, #"\u00e9"#, #"\ud83d\ude00"#,
            "héllo ✓ 😀", "中文", #"\t\r\b\f"#, #"\u0000"#, #"x\u0041y"#, "{\\\"a\\\":1}", "[DONE]",
        ])
    }

    // MARK: - Writing

    private mutating func object(_ members: [(String, String)]) -> String {
        if members.isEmpty { return "{" + ws() + "}" }
        let body = members.map { key, value in ws() + quoted(escapeKeySometimes(key)) + ws() + ":" + ws() + value + ws() }
        return "{" + body.joined(separator: ",") + "}"
    }

    private mutating func array(_ elements: [String]) -> String {
        if elements.isEmpty { return "[" + ws() + "]" }
        return "[" + elements.map { ws() + $0 + ws() }.joined(separator: ",") + "]"
    }

    /// A key, now and then with its first letter written as a `\u` escape (same decoded key).
    private mutating func escapeKeySometimes(_ key: String) -> String {
        guard random.chance(0.03), let first = key.unicodeScalars.first, first.isASCII else { return key }
        let hex = String(first.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex + String(key.unicodeScalars.dropFirst())
    }

    private func quoted(_ text: String) -> String { "\"" + text + "\"" }

    private mutating func ws() -> String {
        random.chance(0.8) ? "" : pick([" ", "\n", "\t", "\r\n  ", "  "])
    }

    private mutating func pick<T>(_ options: [T]) -> T { options[random.below(options.count)] }

    // MARK: - Broken documents

    /// One to three random edits: a byte replaced, inserted or deleted, a truncation, or a slice
    /// repeated. Replacement bytes favour JSON syntax and bytes that break UTF-8.
    mutating func mutate(_ document: [UInt8]) -> [UInt8] {
        var bytes = document
        for _ in 0..<(1 + random.below(3)) {
            let interesting: [UInt8] = Array(#"{}[],:"\ 0123456789.eE+-tfnu"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
            let byte = random.chance(0.8) ? pick(interesting) : UInt8(truncatingIfNeeded: random.below(256))
            let position = random.below(bytes.count + 1)
            switch random.below(5) {
            case 0 where position < bytes.count: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where position < bytes.count: bytes.remove(at: position)
            case 3: bytes.removeSubrange(position..<bytes.count)
            default:
                let end = min(bytes.count, position + random.below(8))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            }
        }
        return bytes
    }
}

extension TestRandom {
    /// A value in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1.0p-53 < p }

    mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var result = elements
        for i in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(i, below(i + 1)) }
        return result
    }
}
