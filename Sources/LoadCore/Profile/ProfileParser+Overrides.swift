import Yams

/// Applies command-line overrides (``ProfileOverride``) to the YAML node tree before it is
/// validated, and marks the problems they cause as coming from the command line.
extension ProfileParser {
    /// Returns `root` with every override applied in order; problems (a path through a scalar, an
    /// index past the end of a list, a value that is not YAML) are reported against the override.
    mutating func applying(_ overrides: [ProfileOverride], to root: Node?) -> Node {
        var document = root ?? Node.mapping(Node.Mapping([]))
        for override in overrides {
            let value: Node?
            switch override.value {
            case .remove:
                value = nil
            case .string(let text):
                value = Node.scalar(Node.Scalar(text, .implicit, .doubleQuoted))
            case .yaml(let text):
                do {
                    value = try Yams.compose(yaml: text) ?? Node.scalar(Node.Scalar("", .implicit, .plain))
                } catch {
                    reportOverride(override, "the value is not valid YAML (\(error)); quote it for the shell, "
                        + "e.g. --set 'target.model=\"my: model\"'")
                    continue
                }
            }
            if let problem = Self.set(value, at: override.path[...], in: &document, walked: []) {
                reportOverride(override, problem)
            }
        }
        return document
    }

    /// Rewrites the problems located in overridden values: no file position (the value is not in
    /// the file), and the override that supplied it.
    /// - Parameter first: the index of the first problem found after the overrides were applied.
    mutating func attributeProblems(from first: Int, to overrides: [ProfileOverride]) {
        guard !overrides.isEmpty, first < problems.count else { return }
        // Problems inside another file (a prompt-set file named by --prompts) keep their own position.
        for index in first..<problems.count where problems[index].file == file {
            let fieldPath = problems[index].fieldPath
            if let suggestion = unknownOverrideKeys[fieldPath],
               let override = overrides.last(where: { $0.passes(throughKeyPath: fieldPath) }) {
                attributeUnknownKey(at: index, to: override, suggestion: suggestion)
                continue
            }
            // The last override of a path is the one in effect.
            guard let override = overrides.last(where: { $0.covers(fieldPath: fieldPath) }) else {
                continue
            }
            var attributed = problems[index]
            attributed.line = 0
            attributed.column = 0
            attributed.message += " (the value came from \(override.source))"
            problems[index] = attributed
        }
    }

    /// Rewrites an unknown-key problem whose key an override created (`--set laod.rate=5`): no
    /// file position, the override named, and the corrected key path when a known key is near.
    private mutating func attributeUnknownKey(at index: Int, to override: ProfileOverride, suggestion: String?) {
        var attributed = problems[index]
        attributed.line = 0
        attributed.column = 0
        attributed.message += " (the key came from \(override.source)"
        if let suggestion {
            let wrong = attributed.fieldPath
            let parent = wrong.split(separator: ".").dropLast().joined(separator: ".")
            let corrected = (parent.isEmpty ? "" : parent + ".") + suggestion + override.keyPath.dropFirst(wrong.count)
            let written = "--set " + override.keyPath
            attributed.message += override.source.hasPrefix(written)
                ? "; did you mean --set \(corrected)\(override.source.dropFirst(written.count))?"
                : "; did you mean \(corrected)?"
        }
        attributed.message += ")"
        problems[index] = attributed
    }

    mutating func reportOverride(_ override: ProfileOverride, _ message: String) {
        problems.append(ProfileProblem(file: file, line: 0, column: 0, fieldPath: override.keyPath,
                                       message: "\(override.source): \(message)"))
    }

    /// Sets `value` at `path` below `node`, creating missing mapping keys (and mappings in place of
    /// nulls). Returns a problem, or nil.
    /// A nil value removes the last key or list entry of the path (nothing to do when it is absent).
    private static func set(_ value: Node?, at path: ArraySlice<ProfileOverride.Component>, in node: inout Node,
                            walked: [ProfileOverride.Component]) -> String? {
        guard let component = path.first else {
            if let value { node = value }
            return nil
        }
        let last = path.count == 1
        let here = ProfileOverride(path: walked, value: .string(""), source: "").keyPath
        switch component {
        case .key(let key):
            var mapping: Node.Mapping
            if case .mapping(let existing) = node {
                mapping = existing
            } else if case .scalar(let scalar) = node, scalar.style == .plain,
                ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                mapping = Node.Mapping([])
            } else {
                return "\(here.isEmpty ? "the document" : here) is not a mapping, so it has no key \"\(key)\""
            }
            if last && value == nil {
                mapping[key] = nil
                node = .mapping(mapping)
                return nil
            }
            var child = mapping[key] ?? Node.scalar(Node.Scalar("", .implicit, .plain))
            if let problem = set(value, at: path.dropFirst(), in: &child, walked: walked + [component]) {
                return problem
            }
            mapping[key] = child
            node = .mapping(mapping)
        case .index(let index):
            guard case .sequence(var sequence) = node else {
                return "\(here) is not a list, so it has no entry [\(index)]"
            }
            guard index <= sequence.count else {
                return "\(here) has \(sequence.count) entries; give an index from 0 to \(sequence.count) "
                    + "(\(sequence.count) appends one)"
            }
            if last && value == nil {
                if index < sequence.count { sequence.remove(at: index) }
                node = .sequence(sequence)
                return nil
            }
            if index == sequence.count {
                sequence.append(Node.scalar(Node.Scalar("", .implicit, .plain)))
            }
            var child = sequence[index]
            if let problem = set(value, at: path.dropFirst(), in: &child, walked: walked + [component]) {
                return problem
            }
            sequence[index] = child
            node = .sequence(sequence)
        }
        return nil
    }
}
