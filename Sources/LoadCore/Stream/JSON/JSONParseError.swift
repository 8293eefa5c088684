/// Why `JSONParser` rejected its input, and where.
struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset into the input at which the problem was detected.
    var offset: Int
    /// What was wrong, e.g. "unterminated string".
    var reason: String

    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
