import Foundation
import LoadCore
import LoadEngine

/// The end of a run beyond the summary table: the thresholds' PASS/FAIL table (and
/// `thresholds.json`), why the run stopped early if it did, and the exit code that follows.
enum RunVerdict {
    /// Prints the verdict and returns the exit code (``ExitStatus``): 4 when the target refused the
    /// run, else 3 when a threshold failed, else 0. An interrupt (130) is handled by the caller and wins.
    static func report(
        monitor: RunMonitor, recorder: RunRecorder, outcome: RunOutcome, profile: Profile, directory: RunDirectory,
        url: String, console: RunConsole
    ) throws -> Int32 {
        var status = ExitStatus.success
        var thresholdsJSON: String?
        if outcome.graceExpired {
            console.out("grace period (\(DurationFormat.format(nanos: profile.limits.graceNanos))) over: "
                + "requests still in flight were cancelled (\(outcome.cancelled) in all)")
        }
        if let reason = outcome.stopReason, monitor.abortedBy == nil, monitor.rejection == nil {
            console.out("stopped early: \(reason)")
        }
        if let tracker = monitor.thresholds {
            let results = tracker.evaluate(recorder: recorder)
            let table = ThresholdTable.render(results)
            if !table.isEmpty { console.out(table.hasSuffix("\n") ? String(table.dropLast()) : table) }
            thresholdsJSON = try json(results, abortedBy: monitor.abortedBy)
            if let aborted = monitor.abortedBy {
                console.out(abortLine(aborted, at: monitor.abortedAtNanos, final: results.first { $0.threshold == aborted.threshold }))
            }
            if results.contains(where: { !$0.passed }) || monitor.abortedBy != nil {
                status = ExitStatus.thresholdsFailed
            }
        }
        if let rejection = monitor.rejectionAtEnd {
            console.err("loadgen: " + rejection.explanation(
                url: url, model: profile.target.model, apiKeyEnv: profile.target.apiKeyEnv))
            status = ExitStatus.targetRejected
        }
        // Last, so that a full disk costs only the file: the verdict is printed.
        if let thresholdsJSON { try directory.write("thresholds.json", thresholdsJSON) }
        return status
    }

    /// The threshold that stopped the run, as it stood then, beside its final value (the table's,
    /// once the requests in flight ended): two moments, labelled, so that they do not read as two
    /// answers to one question.
    static func abortLine(_ aborted: ThresholdResult, at nanos: UInt64?, final: ThresholdResult?) -> String {
        let when = nanos.map { String(format: " at %.1f s", Double($0) / 1e9) } ?? ""
        var line = "stopped early (abort_on_fail)\(when): \(aborted.summary) at that moment"
            + (aborted.detail.map { " (\($0))" } ?? "")
        if let value = final?.actual {
            line += "; at the end, with the requests in flight ended: "
                + Threshold.display(value, of: aborted.threshold.metric) + " (the table above)"
        }
        return line
    }

    /// `thresholds.json`: every verdict, for CI.
    static func json(_ results: [ThresholdResult], abortedBy: ThresholdResult?) throws -> String {
        let entries: [[String: Any]] = results.map { result in
            var entry: [String: Any] = [
                "name": result.threshold.name,
                "condition": result.threshold.condition,
                "limit": result.threshold.limit,
                "passed": result.passed,
            ]
            entry["actual"] = result.actual
            entry["detail"] = result.detail
            return entry
        }
        var object: [String: Any] = ["passed": results.allSatisfy(\.passed) && abortedBy == nil, "thresholds": entries]
        object["aborted_by"] = abortedBy?.threshold.name
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
