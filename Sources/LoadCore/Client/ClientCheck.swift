import Foundation

/// The client self-check: whether loadgen itself was the limit of a run, from ``ClientFigures``.
/// A pure function of the figures, so `loadgen` (live, at the end of a run) and `loadreport` (from
/// the event log's end line) say the same, and the thresholds are checked by a table of cases.
///
/// `client: ok`, or `client: saturated (loop busy 97 %, start lag p90 60 ms, p99 140 ms)` with
/// every reason that fired (docs/client-check.md):
///
/// | figure | saturated when |
/// | --- | --- |
/// | loop busy | ≥ 90 % of the loop's wall time spent working rather than waiting for events |
/// | start lag | p90 above 50 ms (a tenth of the starts held by the client) |
/// | measurement delay | p99 above 5 ms (streams stamped by the mock) |
/// | `client_fds`, `client_ports` errors | any |
/// | peak RSS | ≥ 90 % of the machine's memory |
///
/// The start lag uses its p90, not its p99: on a loaded machine one stall of the process delays
/// 1-3 % of a run's starts by 100 ms and more without the client being the limit.
public struct ClientCheck: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case ok
        case saturated
    }

    /// Loop busy fraction at or above which the client is saturated.
    public static let loopBusyLimit = 0.90
    /// Start lag p90 above which the client is saturated, milliseconds.
    public static let startLagP90LimitMillis = 50.0
    /// Measurement delay p99 above which the client is saturated, milliseconds.
    public static let measurementDelayP99LimitMillis = 5.0
    /// Peak RSS, as a fraction of physical memory, at or above which the client is saturated.
    public static let memoryLimitFraction = 0.90

    public var verdict: Verdict
    /// Why the verdict is `saturated`, one phrase per check that fired (empty when `ok`).
    public var reasons: [String]
    /// What was judged.
    public var figures: ClientFigures

    /// Judges `figures`.
    public init(judging figures: ClientFigures) {
        self.figures = figures
        var reasons: [String] = []
        if let busy = figures.loopBusyFraction, busy >= Self.loopBusyLimit {
            if let workers = figures.loopBusyByWorker, let worker = workers.firstIndex(of: busy), workers.count > 1 {
                reasons.append("loop busy \(Self.percent(busy)) % (worker \(worker) of \(workers.count))")
            } else {
                reasons.append("loop busy \(Self.percent(busy)) %")
            }
        }
        if let p90 = figures.startLagP90Millis, p90 > Self.startLagP90LimitMillis {
            reasons.append("start lag p90 \(Self.millis(p90)) ms, p99 \(Self.millis(figures.startLagP99Millis ?? p90)) ms")
        }
        if let p99 = figures.measurementDelayP99Millis, p99 > Self.measurementDelayP99LimitMillis {
            reasons.append("measurement delay p99 \(Self.millis(p99)) ms")
        }
        if figures.clientFDErrors > 0 {
            var reason = "\(figures.clientFDErrors) client_fds errors (out of file descriptors"
            if let limit = figures.openFileLimit, limit < Int.max { reason += ", limit \(limit)" }
            reasons.append(reason + ")")
        }
        if figures.clientPortErrors > 0 {
            reasons.append("\(figures.clientPortErrors) client_ports errors (out of local ports)")
        }
        if let peak = figures.peakRSSKiB, let memory = figures.physicalMemoryKiB, memory > 0,
           Double(peak) / Double(memory) >= Self.memoryLimitFraction {
            reasons.append("peak RSS \(peak / 1024) MiB, \(Self.percent(Double(peak) / Double(memory))) % of memory")
        }
        self.reasons = reasons
        verdict = reasons.isEmpty ? .ok : .saturated
    }

    /// A verdict with its reasons as they were judged (read back from an event log).
    public init(verdict: Verdict, reasons: [String], figures: ClientFigures) {
        self.verdict = verdict
        self.reasons = reasons
        self.figures = figures
    }

    /// `client: ok` or `client: saturated (loop busy 97 %, ...)`.
    public var line: String {
        "client: " + verdict.rawValue + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: ", ") + ")")
    }

    /// Percent, without decimals, never rounded up to 100 unless it is: 0.996 reads 99.
    static func percent(_ fraction: Double) -> String {
        String(Int((fraction * 100).rounded(.down)))
    }

    /// Milliseconds: one decimal under 10, none above.
    static func millis(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
    }
}
