import Foundation
import Yams

/// The parser's building blocks: typed values (levels, durations, numbers, strings), node helpers
/// (mappings with known keys, sequences) and problem reporting with file, line and column.
extension ProfileParser {
    // MARK: - Values

    /// Rate (open) or users (closed): a positive number, or a ramp "a..b" with a ≥ 0 and b > 0.
    mutating func level(_ node: Node, _ path: String, mode: LoadMode) -> Stage.Level? {
        let expected = mode == .open
            ? "expected a positive number or a ramp like \"1..50\""
            : "expected a positive whole number of users or a ramp like \"1..64\""
        guard var text = scalarText(node)?.trimmingCharacters(in: .whitespaces) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if mode == .open, text.hasSuffix("/s") { text = String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        func value(_ part: String) -> Double? {
            guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v.isFinite else { return nil }
            if mode == .closed, v.rounded() != v { return nil }
            return v
        }
        let parts = text.components(separatedBy: "..")
        if parts.count == 2 {
            guard let from = value(parts[0]), let to = value(parts[1]), from >= 0, to > 0 else {
                report(node, path, "\(expected) (the start may be 0, the end must be positive), got \(describe(node))")
                return nil
            }
            return bounded(.ramp(from: from, to: to), node, path, mode: mode)
        }
        guard parts.count == 1, let v = value(text), v > 0 else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        return bounded(.constant(v), node, path, mode: mode)
    }

    /// The level, or nil (reported) when it is beyond ``ProfileBounds``.
    private mutating func bounded(_ level: Stage.Level, _ node: Node, _ path: String, mode: LoadMode) -> Stage.Level? {
        guard let problem = ProfileBounds.levelProblem(level, mode: mode) else { return level }
        report(node, path, problem)
        return nil
    }

    /// A stage duration, bounded by ``ProfileBounds/maxStageNanos``.
    mutating func stageDuration(_ node: Node, _ path: String) -> UInt64? {
        guard let nanos = duration(node, path) else { return nil }
        if let problem = ProfileBounds.stageDurationProblem(nanos) {
            report(node, path, problem)
            return nil
        }
        return nanos
    }

    /// A whole number from `minimum` to `bound`; beyond the bound, the problem names it.
    mutating func boundedInteger(_ node: Node, _ path: String, minimum: Int, bound: Int, what: String) -> Int? {
        guard let value = integer(node, path, minimum: minimum) else { return nil }
        if let problem = ProfileBounds.countProblem(value, bound: bound, what: what) {
            report(node, path, problem)
            return nil
        }
        return value
    }

    mutating func duration(_ node: Node, _ path: String, allowZero: Bool = false) -> UInt64? {
        let expected = "expected a duration with a unit like 500ms, 30s, 2m or 1h"
        guard let text = scalarText(node) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if Double(text) != nil {
            report(node, path, "\(expected), got the plain number \(text); add a unit, e.g. \(text)s or \(text)ms")
            return nil
        }
        guard let nanos = DurationFormat.parseNanos(text) else {
            report(node, path, "\(expected), got \(describe(node))")
            return nil
        }
        if nanos == 0 && !allowZero {
            report(node, path, "expected a positive duration, got \(describe(node))")
            return nil
        }
        return nanos
    }

    mutating func delaySpec(_ node: Node, _ path: String) -> DelaySpec? {
        let expected = "expected a duration like 200ms, or {uniform: [100ms, 300ms]}, {normal: {mean: 200ms, stddev: 20ms}} or {exponential: 200ms}"
        if scalarText(node) != nil {
            return duration(node, path, allowZero: true).map { .fixed(nanos: $0) }
        }
        guard let fields = mapping(node, path, known: ["uniform", "normal", "exponential"]) else { return nil }
        guard fields.count == 1, let (kind, value) = fields.first else {
            report(node, path, "\(expected); give exactly one distribution")
            return nil
        }
        switch kind {
        case "uniform":
            guard let bounds = sequence(value, "\(path).uniform", expected: "[min, max] like [100ms, 300ms]") else { return nil }
            guard bounds.count == 2 else {
                report(value, "\(path).uniform", "expected [min, max] like [100ms, 300ms], got \(bounds.count) values")
                return nil
            }
            guard let low = duration(bounds[0], "\(path).uniform[0]", allowZero: true),
                  let high = duration(bounds[1], "\(path).uniform[1]", allowZero: true) else { return nil }
            guard low <= high else {
                report(value, "\(path).uniform", "expected min <= max, got [\(DurationFormat.format(nanos: low)), \(DurationFormat.format(nanos: high))]")
                return nil
            }
            return .uniform(minNanos: low, maxNanos: high)
        case "normal":
            guard let parts = mapping(value, "\(path).normal", known: ["mean", "stddev"]) else { return nil }
            guard let meanNode = parts["mean"], let stddevNode = parts["stddev"] else {
                report(value, "\(path).normal", "expected both mean and stddev, like {mean: 200ms, stddev: 20ms}")
                return nil
            }
            guard let mean = duration(meanNode, "\(path).normal.mean", allowZero: true),
                  let stddev = duration(stddevNode, "\(path).normal.stddev", allowZero: true) else { return nil }
            return .normal(meanNanos: mean, stddevNanos: stddev)
        default:
            return duration(value, "\(path).exponential").map { .exponential(meanNanos: $0) }
        }
    }

    mutating func integer(_ node: Node, _ path: String, minimum: Int) -> Int? {
        if let text = scalarText(node)?.replacingOccurrences(of: "_", with: ""), let value = Int(text), value >= minimum {
            return value
        }
        let what = minimum == 1 ? "a positive whole number" : "a whole number >= \(minimum)"
        report(node, path, "expected \(what), got \(describe(node))")
        return nil
    }

    func number(_ node: Node) -> Double? {
        guard let text = scalarText(node), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        guard let text = scalarText(node) else {
            report(node, path, "expected text, got \(describe(node))")
            return nil
        }
        return text
    }

    // MARK: - Nodes

    /// The text of a non-null scalar.
    func scalarText(_ node: Node) -> String? {
        guard let scalar = node.scalar, !isNull(node) else { return nil }
        return scalar.string
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            let escaped = scalar.string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
    }

    mutating func sequence(_ node: Node, _ path: String, expected: String) -> [Node]? {
        guard case .sequence(let list) = node else {
            report(node, path, "expected \(expected), got \(describe(node))")
            return nil
        }
        return Array(list)
    }

    /// The entries of a mapping by key, after checking the keys: unknown ones are reported with the
    /// nearest known key as a suggestion, or with a dedicated hint.
    mutating func mapping(_ node: Node, _ path: String, known: [String],
                                  hints: [String: String] = [:]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping with keys \(known.joined(separator: ", ")), got \(describe(node))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = scalarText(keyNode) else {
                report(keyNode, path, "expected a text key, got \(describe(keyNode))")
                continue
            }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if known.contains(key) {
                fields[key] = value
            } else if let hint = hints[key] {
                report(keyNode, keyPath, hint)
            } else {
                var message = "unknown key \"\(key)\""
                let suggestion = KeySuggestion.nearest(to: key, in: known)
                if let suggestion { message += "; did you mean \"\(suggestion)\"?" }
                if keyNode.mark == nil { unknownOverrideKeys[keyPath] = suggestion }
                message += " Valid keys: \(known.joined(separator: ", "))"
                report(keyNode, keyPath, message)
            }
        }
        return fields
    }

    // MARK: - Problems

    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        problems.append(ProfileProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                       fieldPath: path, message: message))
    }

    mutating func reportSyntax(_ error: YamlError) {
        func add(_ mark: Mark?, _ message: String) {
            problems.append(ProfileProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, fieldPath: "",
                                           message: "YAML syntax error: \(message)"))
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            add(mark, problem + (context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""))
        case let .duplicatedKeysInMapping(duplicates, context):
            add(context.mark, "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.sorted().joined(separator: ", ")) in a mapping")
        case let .reader(problem, _, _, _):
            add(nil, problem)
        default:
            add(nil, "\(error)")
        }
    }
}
