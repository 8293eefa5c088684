/// Why an event log could not be written or read.
public enum EventLogError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened (path, system error text).
    case cannotOpen(path: String, reason: String)
    /// A read or write failed (path, system error text).
    case io(path: String, reason: String)
    /// The file does not start with a `{"type":"run"}` line.
    case notAnEventLog(path: String, reason: String)
    /// The log was written with a newer schema than this build reads.
    case unsupportedSchema(path: String, schema: Int)
    /// A line other than the last is not a valid event (1-based line number).
    case malformedLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason)"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .notAnEventLog(path, reason):
            return "\(path): not a loadgen event log: \(reason)"
        case let .unsupportedSchema(path, schema):
            return "\(path): written with event-log schema \(schema), but this build reads schema "
                + "\(RunHeader.currentSchema) only; use a newer loadreport"
        case let .malformedLine(path, line, reason):
            return "\(path):\(line): malformed event: \(reason)"
        }
    }
}
