/// One problem in a profile, located by file, line, column and field path.
public struct ProfileProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem has no position (e.g. the file cannot be read).
    public var line: Int
    /// 1-based; 0 when unknown.
    public var column: Int
    /// Dotted path such as `load.stages[1].rate`; empty for the document itself.
    public var fieldPath: String
    /// What is wrong and what is valid.
    public var message: String

    public init(file: String, line: Int, column: Int, fieldPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.fieldPath = fieldPath
        self.message = message
    }

    /// `profiles/ramp.yaml:14:13: load.stages[1].rate: expected ..., got "fifty"`
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" + (column > 0 ? ":\(column)" : "") }
        text += ": "
        if !fieldPath.isEmpty { text += fieldPath + ": " }
        return text + message
    }
}

/// Every problem found while reading a profile (validation does not stop at the first).
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ProfileProblem]

    public init(problems: [ProfileProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
