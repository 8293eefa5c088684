import Foundation
import Yams

/// `request:` (max_tokens, temperature, stream, min_tokens, extra_body) and `target.headers`.
extension ProfileParser {
    mutating func parseRequest(_ node: Node) -> Profile.RequestSettings {
        var request = Profile.RequestSettings()
        guard let fields = mapping(node, "request", known: ["max_tokens", "temperature", "stream", "min_tokens", "extra_body"],
                                   hints: ["headers": "headers belong under target:, e.g. target: {headers: {X-Org: acme}}",
                                           "extra_headers": "custom headers go under target.headers"]) else {
            return request
        }
        if let n = fields["max_tokens"] { request.maxTokens = integer(n, "request.max_tokens", minimum: 1) }
        if let n = fields["temperature"] {
            if let value = number(n), (0...2).contains(value) {
                request.temperature = value
            } else {
                report(n, "request.temperature", "expected a number from 0 to 2, got \(describe(n))")
            }
        }
        if let n = fields["stream"] {
            switch scalarText(n)?.lowercased() {
            case "true", "yes", "on": request.stream = true
            case "false", "no", "off": request.stream = false
            default: report(n, "request.stream", "expected true or false, got \(describe(n))")
            }
        }
        if let n = fields["min_tokens"], let value = integer(n, "request.min_tokens", minimum: 0) {
            if let maxTokens = request.maxTokens, value > maxTokens {
                report(n, "request.min_tokens", "\(value) is more than request.max_tokens (\(maxTokens)); "
                    + "min_tokens must not exceed max_tokens")
            }
            request.minTokens = value
        }
        if let n = fields["extra_body"] { request.extraBody = parseExtraBody(n) }
        return request
    }

    /// `request.extra_body`: a mapping whose values are written into every body as JSON.
    mutating func parseExtraBody(_ node: Node) -> [ExtraBodyField] {
        guard case .mapping(let mapping) = node else {
            report(node, "request.extra_body", "expected a mapping of body fields like {ignore_eos: true, top_p: 0.9}, "
                + "got \(describe(node))")
            return []
        }
        var extra: [ExtraBodyField] = []
        for (keyNode, value) in mapping {
            guard let key = scalarText(keyNode), !key.isEmpty else {
                report(keyNode, "request.extra_body", "expected a text key, got \(describe(keyNode))")
                continue
            }
            let path = "request.extra_body.\(key)"
            if let owner = ExtraBodyField.reservedKeys[key] {
                report(keyNode, path, "loadgen sets \(key) itself; use \(owner) instead")
                continue
            }
            if let json = json(value, path) { extra.append(ExtraBodyField(key: key, json: json)) }
        }
        return extra.sorted { $0.key < $1.key }
    }

    /// A YAML value as compact JSON: mappings (sorted keys), lists, strings, numbers, booleans,
    /// null. Nil (reported) for what JSON cannot hold: infinities, NaN, aliases, non-text keys.
    mutating func json(_ node: Node, _ path: String) -> String? {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "null" }
            let resolved = Tag.Name(rawValue: node.tag.description)
            switch resolved {
            case .bool:
                return ["true", "yes", "on"].contains(scalar.string.lowercased()) ? "true" : "false"
            case .int:
                if let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) { return String(value) }
            case .float:
                if let value = number(node) {
                    return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
                }
                report(node, path, "expected a finite number (JSON has no infinity or NaN), got \(describe(node))")
                return nil
            default:
                break
            }
            var out: [UInt8] = []
            ChatRequestBody.appendString(scalar.string, to: &out)
            return String(decoding: out, as: UTF8.self)
        case .sequence(let list):
            var items: [String] = []
            for (index, item) in list.enumerated() {
                guard let text = json(item, "\(path)[\(index)]") else { return nil }
                items.append(text)
            }
            return "[" + items.joined(separator: ",") + "]"
        case .mapping(let mapping):
            var members: [(String, String)] = []
            for (keyNode, value) in mapping {
                guard let key = scalarText(keyNode) else {
                    report(keyNode, path, "expected a text key, got \(describe(keyNode))")
                    return nil
                }
                guard let text = json(value, "\(path).\(key)") else { return nil }
                var quoted: [UInt8] = []
                ChatRequestBody.appendString(key, to: &quoted)
                members.append((String(decoding: quoted, as: UTF8.self), text))
            }
            return "{" + members.sorted { $0.0 < $1.0 }.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
        case .alias:
            report(node, path, "expected a value, got an alias")
            return nil
        }
    }

    /// `target.headers`: a mapping of header names to values, sent with every request.
    mutating func parseHeaders(_ node: Node, target: Profile.Target) -> [HeaderField] {
        guard case .mapping(let mapping) = node else {
            report(node, "target.headers", "expected a mapping of header names to values like "
                + "{OpenAI-Organization: org-123, X-Gateway-Key: \"${GATEWAY_KEY}\"}, got \(describe(node))")
            return []
        }
        var headers: [HeaderField] = []
        var seen: [String: String] = [:]
        for (nameNode, valueNode) in mapping {
            guard let name = scalarText(nameNode) else {
                report(nameNode, "target.headers", "expected a header name, got \(describe(nameNode))")
                continue
            }
            let path = "target.headers.\(name)"
            let tokenCharacters = "!#$%&'*+-.^_`|~"
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || tokenCharacters.contains($0)) })
            else {
                report(nameNode, path, "expected a header name of letters, digits and - (like X-Org-Id), got \(describe(nameNode))")
                continue
            }
            let lowered = name.lowercased()
            if let problem = Self.reservedHeaderProblem(lowered, target: target) {
                report(nameNode, path, problem)
                continue
            }
            if let first = seen[lowered] {
                report(nameNode, path, "\(name) is given twice (as \(first) before; header names ignore case); keep one")
                continue
            }
            seen[lowered] = name
            guard case .scalar = valueNode, let value = scalarText(valueNode) else {
                report(valueNode, path, "expected the header's value as text, got \(describe(valueNode))")
                continue
            }
            if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                report(valueNode, path, "a header value cannot hold a line break")
                continue
            }
            let header = HeaderField(name: name, value: value)
            do {
                _ = try HeaderField.parts(of: value)
            } catch let error as HeaderField.BadReference {
                report(valueNode, path, "\(error.message); write ${NAME} to use an environment variable")
                continue
            } catch {
                continue
            }
            if header.looksSecret && header.variables.isEmpty {
                // The value itself is not echoed: it may be a credential.
                report(valueNode, path, "\(name) looks like it carries a credential: put the value in an environment "
                    + "variable and write \"${NAME}\" here (e.g. \"Bearer ${GATEWAY_TOKEN}\"); it is never printed")
                continue
            }
            headers.append(header)
        }
        return headers
    }

    /// Why a header name cannot be set in `target.headers` (loadgen sets it), or nil.
    static func reservedHeaderProblem(_ lowered: String, target: Profile.Target) -> String? {
        switch lowered {
        case "content-type", "content-length", "host", "transfer-encoding", "connection", "accept", "expect", "te",
             "upgrade":
            return "loadgen (or HTTP itself) sets \(lowered); remove it"
        case "anthropic-version":
            return "use target.anthropic_version for the anthropic-version header"
        case "authorization", "x-api-key":
            if let variable = target.apiKeyEnv {
                return "loadgen sends the API key from \(variable) (target.api_key_env) in this header already; remove it"
            }
            return nil
        default:
            return lowered.hasPrefix(":") ? "pseudo-headers cannot be set" : nil
        }
    }
}
