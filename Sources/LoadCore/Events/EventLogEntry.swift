/// One line of an event log after the header, as ``EventLogReader`` returns it.
public enum EventLogEntry: Sendable, Equatable {
    /// A `{"type":"attempt"}` line.
    case attempt(AttemptRecord)
    /// The `{"type":"end"}` line.
    case end(RunEnd)
    /// A line of a type this build does not interpret (e.g. `tick`); skipped by reports.
    case other(type: String)
}
