/// One line of an event log after the header, as ``EventLogReader`` returns it.
public enum EventLogEntry: Sendable, Equatable {
    /// A `{"type":"attempt"}` line.
    case attempt(AttemptRecord)
    /// The `{"type":"end"}` line.
    case end(RunEnd)
    /// A `{"type":"dropped","intended_us":..}` line: an arrival that found every in-flight slot and
    /// the wait queue full, and was never sent. The value is its intended start (ns since the origin).
    case dropped(intendedNanos: UInt64)
    /// A counted `{"type":"dropped","intended_us":..,"count":N,"last_intended_us":..}` line: N
    /// arrivals dropped with intended starts from the first to the last (drops come in floods).
    case droppedArrivals(DroppedArrivals)
    /// A line of a type this build does not interpret (e.g. `tick`); skipped by reports.
    case other(type: String)
}
