import Foundation

/// Merged runs are laid on one clock from each run's origin, as if they ran at once: right for
/// shards started together, wrong for runs started apart, whose rates would be over the time of one
/// run while their requests came over much longer. ``warning(_:mergedElapsedSeconds:requests:)``
/// says so, from the wall-clock starts in the runs' headers.
enum RunOverlap {
    /// One run's place on the wall clock.
    struct Span {
        var name: String
        var startedAt: Date
        /// First start and last end, nanoseconds since the run's origin (nil: no attempt).
        var firstStartNanos: UInt64?
        var lastEndNanos: UInt64 = 0

        mutating func add(startNanos: UInt64, endNanos: UInt64) {
            firstStartNanos = min(firstStartNanos ?? startNanos, startNanos)
            lastEndNanos = max(lastEndNanos, endNanos)
        }

        var wallStart: Date? { firstStartNanos.map { startedAt.addingTimeInterval(Double($0) / 1e9) } }
        var wallEnd: Date { startedAt.addingTimeInterval(Double(lastEndNanos) / 1e9) }
        var seconds: Double { Double(lastEndNanos - min(firstStartNanos ?? lastEndNanos, lastEndNanos)) / 1e9 }
    }

    /// Starts further apart than this many seconds, or a tenth of the longest run if more, are not
    /// "together" (headers carry whole seconds; shards started by one script are well within it).
    static let toleranceSeconds = 2.0

    /// A warning when the runs started apart; nil for one run or runs started together.
    static func warning(_ spans: [Span], mergedElapsedSeconds: Double, requests: Int) -> String? {
        let timed = spans.filter { $0.firstStartNanos != nil }
        guard timed.count > 1, let earliest = timed.min(by: { $0.startedAt < $1.startedAt }),
            let latest = timed.max(by: { $0.startedAt < $1.startedAt })
        else { return nil }
        let apart = latest.startedAt.timeIntervalSince(earliest.startedAt)
        let tolerance = max(toleranceSeconds, 0.1 * (timed.map(\.seconds).max() ?? 0))
        guard apart > tolerance else { return nil }
        let unionStart = timed.compactMap(\.wallStart).min() ?? earliest.startedAt
        let unionEnd = timed.map(\.wallEnd).max() ?? latest.startedAt
        let union = unionEnd.timeIntervalSince(unionStart)
        var text = "runs \(earliest.name) and \(latest.name) started \(Format.fixed(apart, 1)) s apart (by their "
            + "headers): merged on one clock as if they ran at once, the rates are over "
            + "\(Format.fixed(mergedElapsedSeconds, 2)) s"
        if union > 0 {
            text += "; over the \(Format.fixed(union, 2)) s the runs spanned together on the wall clock, "
                + "\(Format.fixed(Double(requests) / union, 1)) requests/s"
        }
        return text + ". Use --compare to see them side by side, or merge only runs that ran at the same time"
    }
}
