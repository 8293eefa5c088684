/// Why `JSONParser` rejected its input, and where.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset into the input at which the problem was detected.
    public var offset: Int
    /// What was wrong, e.g. "unterminated string".
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
