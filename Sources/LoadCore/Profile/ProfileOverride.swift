/// A change to a profile made on the command line, applied to its YAML before validation so that
/// errors still name the field: `--set load.rate=50`, `--model`, `--base-url`, `--prompts`.
public struct ProfileOverride: Sendable, Equatable {
    /// One step of a key path: a mapping key or a list index.
    public enum Component: Sendable, Equatable, CustomStringConvertible {
        case key(String)
        case index(Int)

        public var description: String {
            switch self {
            case .key(let key): return key
            case .index(let index): return "[\(index)]"
            }
        }
    }

    /// Where the value goes, e.g. `load.stages[1].rate`.
    public var path: [Component]
    /// The new value.
    public var value: Value
    /// What set it, for messages: `--set load.rate=50`, `--model gpt-4o-mini`.
    public var source: String

    /// How the value is read.
    public enum Value: Sendable, Equatable {
        /// YAML text, read as YAML (`50`, `30s`, `true`, `[{duration: 10s, rate: 5}]`).
        case yaml(String)
        /// A plain string, taken literally (a model name, a URL, a path).
        case string(String)
        /// Removes the key (or list entry), so that its default applies: `--set limits.max_requests=`.
        case remove
    }

    public init(path: [Component], value: Value, source: String) {
        self.path = path
        self.value = value
        self.source = source
    }

    /// The path as written: `load.stages[1].rate`.
    public var keyPath: String {
        var text = ""
        for component in path {
            if case .key = component, !text.isEmpty { text += "." }
            text += component.description
        }
        return text
    }

    /// Parses `key.path=value` as given to `--set`; the value is YAML, and an empty value removes the key.
    /// - Returns: nil when there is no `=` or the key path is malformed.
    public static func parseAssignment(_ text: String) -> ProfileOverride? {
        guard let equals = text.firstIndex(of: "="), let path = parsePath(String(text[..<equals])) else { return nil }
        let value = String(text[text.index(after: equals)...])
        return ProfileOverride(path: path, value: value.isEmpty ? .remove : .yaml(value), source: "--set \(text)")
    }

    /// Parses a key path such as `load.stages[1].rate`: keys of letters, digits, `_` and `-`, each
    /// optionally followed by `[index]`.
    public static func parsePath(_ text: String) -> [Component]? {
        var components: [Component] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let bracket = rest.firstIndex(of: "[") ?? rest.endIndex
            let key = rest[..<bracket]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else { return nil }
            components.append(.key(String(key)))
            rest = rest[bracket...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { return nil }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return components.isEmpty ? nil : components
    }

    /// True when this override's path goes through (or ends at) the key at `keyPath`, e.g.
    /// `laod.rate` through `laod`.
    public func passes(throughKeyPath keyPath: String) -> Bool {
        let own = self.keyPath
        return own == keyPath || own.hasPrefix(keyPath + ".") || own.hasPrefix(keyPath + "[")
    }

    /// True when a problem at `fieldPath` concerns this override's value (the path itself or inside it).
    public func covers(fieldPath: String) -> Bool {
        let own = keyPath
        return fieldPath == own || fieldPath.hasPrefix(own + ".") || fieldPath.hasPrefix(own + "[")
    }
}
