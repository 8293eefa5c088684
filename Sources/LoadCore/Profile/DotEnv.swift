/// Reads `.env` files: `NAME=value` lines, as most tools write them.
///
/// Blank lines and lines starting with `#` are skipped; an `export ` prefix is allowed; a value may
/// be wrapped in single or double quotes (kept as is inside), and an unquoted value ends at ` #`.
/// Lines that are not assignments are reported with their line number, never with their content
/// (it may be a secret).
public enum DotEnv {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int

        public var description: String {
            "\(file):\(line): not a NAME=value line (the line is not shown: it may hold a secret)"
        }
    }

    /// Parses the text of a `.env` file.
    /// - Throws: `Problem` for the first line that is not an assignment.
    public static func parse(_ text: String, file: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingWhitespace() }
            guard let equals = line.firstIndex(of: "=") else { throw Problem(file: file, line: offset + 1) }
            let name = String(line[..<equals]).trimmingWhitespace()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw Problem(file: file, line: offset + 1)
            }
            var value = String(line[line.index(after: equals)...]).trimmingWhitespace()
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.range(of: " #") {
                value = String(value[..<comment.lowerBound]).trimmingWhitespace()
            }
            values[name] = value
        }
        return values
    }

    /// The environment with a `.env` file's values added where the environment has none
    /// (the environment wins). A missing file adds nothing.
    public static func merged(environment: [String: String], dotEnvPath: String, contents: String?) throws
        -> [String: String]
    {
        guard let contents else { return environment }
        var result = environment
        for (name, value) in try parse(contents, file: dotEnvPath) where result[name] == nil {
            result[name] = value
        }
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
