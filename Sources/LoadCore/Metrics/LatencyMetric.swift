/// The distributions a ``RunRecorder`` keeps, each an HDR histogram of integers: times in
/// microseconds, rates in thousandths (``unit``).
public enum LatencyMetric: String, CaseIterable, Sendable, Codable {
    /// Time to first token: firstTokenNanos − startNanos, successful attempts that produced a token.
    case ttft
    /// Gaps between consecutive token arrivals (tokenOffsetsMicros), successful attempts.
    case interToken = "inter_token"
    /// Time per output token after the first: (endNanos − firstTokenNanos) / (output tokens − 1),
    /// successful attempts with at least two output tokens (usage when reported, else counted).
    case timePerOutputToken = "time_per_output_token"
    /// endNanos − startNanos, successful attempts.
    case total
    /// endNanos − intendedStartNanos, successful attempts: latency as a user waiting since the
    /// intended start sees it (corrects coordinated omission in open loop).
    case totalFromIntended = "total_from_intended"
    /// firstTokenNanos − intendedStartNanos, successful attempts that produced a token.
    case ttftFromIntended = "ttft_from_intended"
    /// startNanos − intendedStartNanos, all attempts: how late the engine started requests.
    case scheduleLag = "schedule_lag"
    /// Output tokens ÷ (endNanos − startNanos) in tokens per second, successful attempts with at
    /// least one output token: the speed one request saw, time to first token included. Recorded
    /// in thousandths of a token per second.
    case outputTokensPerSecond = "output_tokens_per_s"
    /// Per token of a stream stamped by the mock (`x_mock_sent_ns`), every attempt: loadgen's
    /// timestamp of the token minus the mock's send time, both CLOCK_MONOTONIC: how late the client
    /// reads what the server wrote (its own measurement error). Empty without stamps.
    case measurementDelay = "measurement_delay"

    /// The metric's place in `allCases`, without a lookup (a recorder indexes its histograms by it
    /// several times per attempt).
    public var position: Int {
        switch self {
        case .ttft: return 0
        case .interToken: return 1
        case .timePerOutputToken: return 2
        case .total: return 3
        case .totalFromIntended: return 4
        case .ttftFromIntended: return 5
        case .scheduleLag: return 6
        case .outputTokensPerSecond: return 7
        case .measurementDelay: return 8
        }
    }

    /// The row label in the summary table.
    public var label: String {
        switch self {
        case .ttft: return "TTFT"
        case .interToken: return "inter-token"
        case .timePerOutputToken: return "time per output token"
        case .total: return "total time"
        case .totalFromIntended: return "total from intended"
        case .ttftFromIntended: return "TTFT from intended"
        case .scheduleLag: return "schedule lag"
        case .outputTokensPerSecond: return "output tokens/s"
        case .measurementDelay: return "measurement delay"
        }
    }

    /// The unit of the reported values: `ms` for times (recorded in µs), `tokens/s` for the rate
    /// (recorded in thousandths). Both are recorded at 1,000 times the reported unit.
    public var unit: String {
        self == .outputTokensPerSecond ? "tokens/s" : "ms"
    }

    /// Recorded integers per reported unit (1,000 for every metric: µs per ms, thousandths per token/s).
    public var recordedPerUnit: Double { 1000 }

    /// True for times (where lower is better), false for the rate.
    public var isTime: Bool { self != .outputTokensPerSecond }
}
