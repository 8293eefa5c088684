import Foundation

/// The `histograms.hlog` of several runs merged (`loadreport SHARD... --hlog FILE`): one histogram
/// per metric per interval over all their attempts, on the common clock of shards.
///
/// Each log is in the order its attempts ended, or nearly (see ``IntervalHistogramLog``); the logs
/// are read side by side and their attempts taken in order of their ends (a k-way merge on the
/// next attempt of each), so one ``IntervalHistogramLog`` sees them as one run would, and memory
/// stays that of a few intervals whatever the length of the runs.
public enum MergedHistogramLog {
    /// - Parameters:
    ///   - paths: events files (``ReportInputs/eventsPath(for:)``).
    ///   - intervalNanos: the interval of the log.
    /// - Returns: the log's text; its `StartTime` is the first run's start (the common start of
    ///   shards).
    /// - Throws: ``EventLogError`` for a log that cannot be read.
    public static func text(paths: [String], intervalNanos: UInt64) throws -> String {
        let readers = try paths.map { try EventLogReader(path: $0) }
        let log = IntervalHistogramLog(intervalNanos: intervalNanos)
        var heads: [AttemptRecord?] = try readers.map { try nextAttempt($0) }
        while true {
            var earliest: Int?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let best = earliest, let current = heads[best], current.endNanos <= head.endNanos { continue }
                earliest = index
            }
            guard let index = earliest, let attempt = heads[index] else { break }
            log.record(attempt)
            heads[index] = try nextAttempt(readers[index])
        }
        let startedAt = readers.first.map { $0.header.shard?.startAt ?? $0.header.startedAt } ?? Date()
        let names = paths.map { ((($0 as NSString).deletingLastPathComponent) as NSString).lastPathComponent }
        return log.text(startedAt: startedAt, runName: names.joined(separator: " + "))
    }

    /// The reader's next attempt, on the common clock; nil at the end of the log.
    private static func nextAttempt(_ reader: EventLogReader) throws -> AttemptRecord? {
        while let entry = try reader.next() {
            if case .attempt(let attempt) = entry.onCommonClock(of: reader.header) { return attempt }
        }
        return nil
    }
}
