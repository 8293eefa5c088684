/// A profile's `sweep:` section: what `loadgen sweep` searches for and within which bounds.
///
///     sweep:
///       mode: rate                # rate (open-loop arrivals/s) | users (closed-loop concurrency)
///       arrival: constant         # constant | poisson (rate mode)
///       slo: { ttft_p99: 400ms, itl_p99: 50ms, error_rate: 1% }   # the thresholds syntax
///       min: 1                    # optional bounds, in requests/s (rate) or users
///       max: 500
///       step: 10s                 # shortest measured window of a step (probes: a quarter of it)
///       min_completions: 100      # a step's window grows until it holds this many completions
///       tolerance: 5%             # bisection stops when the bracket is this narrow
///       headroom: 20%             # the recommendation stays this far below the SLO capacity
///       max_duration: 10m         # the whole sweep, every step and its warm-up and drain
///       max_cost_usd: 2           # stops before a step whose estimated cost would pass it
///
/// docs/capacity.md describes the method.
public struct SweepSettings: Sendable, Equatable {
    /// What a step's load counts.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Open-loop arrivals per second.
        case rate
        /// Closed-loop users (concurrent streams).
        case users
    }

    public var mode: Mode = .rate
    /// The arrival process of open-loop steps (constant or poisson).
    public var arrival: ArrivalProcess = .constant
    /// The service-level objectives a step must meet to count as within capacity.
    public var slo = Thresholds()
    /// The lowest load tried by the ceiling search (nil: twice what one user sends).
    public var minLoad: Double?
    /// The highest load ever tried (nil: unbounded until saturation).
    public var maxLoad: Double?
    /// The shortest measured window of a step or refine step.
    public var stepNanos: UInt64 = 10_000_000_000
    /// Completions a measured window should hold (it grows up to ``maxWindowFactor`` × step for it).
    public var minCompletions = 100
    /// Relative width of the bracket at which bisection stops (0.05 = 5 %).
    public var tolerance = 0.05
    /// Share kept free by the recommendation (0.2: recommend 80 % of the SLO capacity).
    public var headroom = 0.2
    /// The whole sweep's time, at most.
    public var maxDurationNanos: UInt64 = 600_000_000_000
    /// The whole sweep's cost in US dollars, at most (nil: no limit beyond `limits.max_cost_usd`).
    public var maxCostUSD: Double?
    /// Steps of the steps phase (evenly spaced fractions of the ceiling's throughput).
    public var steps = 4
    /// Load multiplier between ceiling probes.
    public var growth = 2.0

    /// A measured window grows to at most this many times `step`.
    public static let maxWindowFactor = 3.0

    public init() {}

    /// The unit of a load in this mode, for tables and messages: `/s` or ` users`.
    public var loadUnit: String { mode == .rate ? "/s" : " users" }
}

extension SweepSettings {
    /// The load of a profile that has `sweep:` and no `load:`: one request per second for one second
    /// (what a plain `loadgen run` of it sends; `loadgen sweep` plans its own steps).
    public static let placeholderLoad = Profile.LoadSettings(
        mode: .open, stages: [Stage(durationNanos: 1_000_000_000, level: .constant(1))], arrival: .constant)
}
