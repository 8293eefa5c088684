/// One custom header of `target.headers`, sent with every request (gateway keys, organisation or
/// project ids). Its value may reference environment variables as `${NAME}`, expanded when the
/// run starts from the environment and `./.env`, so credentials stay out of the profile.
public struct HeaderField: Sendable, Equatable {
    /// The header name as written, e.g. `OpenAI-Organization`.
    public var name: String
    /// The value as written, `${NAME}` references unexpanded.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Whether the name suggests a credential: `Authorization`, `Cookie`, or a word of the name
    /// (split at `-` and `_`) that is or ends in `key`, `token`, `secret`, `password`, `auth` or
    /// `credential` (`X-Api-Key`, `X-Auth-Token`, `apikey`; not `x-mock-tokens`). Its value must come
    /// from an environment variable, and is never printed.
    public var looksSecret: Bool {
        Self.looksSecret(name: name)
    }

    static func looksSecret(name: String) -> Bool {
        let words = name.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" })
        return words.contains { word in
            ["authorization", "cookie"].contains(word)
                || ["key", "token", "secret", "password", "auth", "credential"].contains { word.hasSuffix($0) }
        }
    }

    /// A `${NAME}` reference that the environment does not define (or defines as empty).
    public struct MissingVariable: Error, Equatable, CustomStringConvertible {
        public var header: String
        public var variable: String

        public var description: String {
            "target.headers.\(header) uses ${\(variable)}, which is not set; export it or put it in ./.env"
        }
    }

    /// The names of the variables the value references, in order.
    public var variables: [String] {
        (try? Self.parts(of: value))?.compactMap { part in
            if case .variable(let name) = part { return name }
            return nil
        } ?? []
    }

    /// The value with every `${NAME}` replaced by the variable's value.
    /// - Throws: ``MissingVariable`` for the first variable that is unset or empty.
    public func expanded(environment: [String: String]) throws -> String {
        var out = ""
        for part in (try? Self.parts(of: value)) ?? [.text(value)] {
            switch part {
            case .text(let text): out += text
            case .variable(let variable):
                guard let replacement = environment[variable], !replacement.isEmpty else {
                    throw MissingVariable(header: name, variable: variable)
                }
                out += replacement
            }
        }
        return out
    }

    enum Part: Equatable {
        case text(String)
        case variable(String)
    }

    /// A `${` without a closing `}` or with a name that is not `[A-Za-z_][A-Za-z0-9_]*`.
    struct BadReference: Error {
        let message: String
    }

    /// Splits a value into literal text and `${NAME}` references (a `$` not followed by `{` is text).
    static func parts(of value: String) throws -> [Part] {
        var parts: [Part] = []
        var rest = Substring(value)
        while let dollar = rest.range(of: "${") {
            if dollar.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<dollar.lowerBound]))) }
            guard let close = rest[dollar.upperBound...].firstIndex(of: "}") else {
                throw BadReference(message: "a ${ without its closing }")
            }
            let name = rest[dollar.upperBound..<close]
            guard let first = name.first, first.isASCII, first.isLetter || first == "_",
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw BadReference(message: "${\(name)} is not an environment variable name like ${GATEWAY_KEY}")
            }
            parts.append(.variable(String(name)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts
    }
}
