import Foundation

/// One step of a sweep as ``SweepPolicy`` plans it: a constant load held for a warm-up and a
/// measured window. Every step is a stage of the sweep's run directory.
public struct SweepStep: Sendable, Equatable {
    /// The part of the search a step belongs to.
    public enum Phase: String, Sendable, Equatable, CaseIterable {
        /// One closed-loop user: unloaded latencies.
        case baseline
        /// Load growing geometrically until a saturation signal.
        case ceiling
        /// Evenly spaced loads up to the ceiling's throughput.
        case steps
        /// Bisection of the SLO and knee brackets.
        case refine
    }

    /// 0 for the baseline, then in order.
    public var index: Int
    public var phase: Phase
    /// Requests per second (open loop) or users (closed loop).
    public var load: Double
    /// True for a closed-loop step (`load` users); false for open-loop arrivals at `load` per second.
    public var closedLoop: Bool
    /// Load before the measured window, not measured (queues and connections settle).
    public var warmupNanos: UInt64
    /// The measured window.
    public var windowNanos: UInt64
    /// The step ends after this many requests even before its window does (the baseline).
    public var maxRequests: Int?

    public init(index: Int, phase: Phase, load: Double, closedLoop: Bool, warmupNanos: UInt64, windowNanos: UInt64,
                maxRequests: Int? = nil) {
        self.index = index
        self.phase = phase
        self.load = load
        self.closedLoop = closedLoop
        self.warmupNanos = warmupNanos
        self.windowNanos = windowNanos
        self.maxRequests = maxRequests
    }

    /// Warm-up plus window.
    public var durationNanos: UInt64 { warmupNanos + windowNanos }

    /// The stage label: `ceiling rate 61.5/s`, `baseline users 1`.
    public var label: String {
        "\(phase.rawValue) \(closedLoop ? "users" : "rate") \(Self.format(load))\(closedLoop ? "" : "/s")"
    }

    /// The load with its unit: `61.5/s`, `1 user`, `16 users`.
    public var loadText: String {
        closedLoop ? "\(Self.format(load)) user\(load == 1 ? "" : "s")" : "\(Self.format(load))/s"
    }

    /// A load for labels and tables: whole numbers as such, else 3 significant digits.
    public static func format(_ load: Double) -> String {
        if load >= 100 || load == load.rounded(), abs(load) < 1e9 { return String(Int(load.rounded())) }
        var text = String(format: load >= 10 ? "%.1f" : "%.2f", load)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// A finished step: its plan, what it measured and the verdict.
public struct SweepStepResult: Sendable, Equatable {
    public var step: SweepStep
    public var statistics: StepStatistics
    public var verdict: StepVerdict

    public init(step: SweepStep, statistics: StepStatistics, verdict: StepVerdict) {
        self.step = step
        self.statistics = statistics
        self.verdict = verdict
    }
}
