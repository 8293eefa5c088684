import Foundation

/// The event logs a report reads: run directories or events files, read one after the other,
/// streaming, into a ``ReportAccumulator``.
public enum ReportInputs {
    /// `<dir>/events.ndjson` for a directory, the path itself otherwise.
    public static func eventsPath(for argument: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            return (argument as NSString).appendingPathComponent("events.ndjson")
        }
        return argument
    }

    /// Reads every log into `accumulator`, in order.
    /// - Parameters:
    ///   - paths: events files (see ``eventsPath(for:)``).
    ///   - accumulator: receives the runs.
    ///   - onAttempt: called with each attempt, the run's short name and its header (for `--csv`).
    /// - Returns: the readers' warnings (torn last line, no end line, unknown fields).
    /// - Throws: ``EventLogError`` for a log that cannot be read (the message names the file and
    ///   line), or what `onAttempt` throws.
    @discardableResult
    public static func read(
        paths: [String], into accumulator: ReportAccumulator,
        onAttempt: ((AttemptRecord, String, RunHeader) throws -> Void)? = nil
    ) throws -> [String] {
        var warnings: [String] = []
        for path in paths {
            let reader = try EventLogReader(path: path)
            accumulator.beginRun(reader.header, path: path)
            let name = accumulator.currentRunName ?? path
            while let read = try reader.next() {
                let entry = read.onCommonClock(of: reader.header)
                accumulator.add(entry)
                if let onAttempt, case .attempt(let attempt) = entry { try onAttempt(attempt, name, reader.header) }
            }
            accumulator.endRun(warnings: reader.warnings)
            warnings += reader.warnings
        }
        return warnings
    }
}
