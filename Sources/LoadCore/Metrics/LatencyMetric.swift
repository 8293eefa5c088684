/// The latency distributions a ``RunRecorder`` keeps, each an HDR histogram in microseconds.
public enum LatencyMetric: String, CaseIterable, Sendable, Codable {
    /// Time to first token: firstTokenNanos − startNanos, successful attempts that produced a token.
    case ttft
    /// Gaps between consecutive token arrivals (tokenOffsetsMicros), successful attempts.
    case interToken = "inter_token"
    /// endNanos − startNanos, successful attempts.
    case total
    /// endNanos − intendedStartNanos, successful attempts: latency as a user waiting since the
    /// intended start sees it (corrects coordinated omission in open loop).
    case totalFromIntended = "total_from_intended"
    /// firstTokenNanos − intendedStartNanos, successful attempts that produced a token.
    case ttftFromIntended = "ttft_from_intended"
    /// startNanos − intendedStartNanos, all attempts: how late the engine started requests.
    case scheduleLag = "schedule_lag"

    /// The row label in the summary table.
    public var label: String {
        switch self {
        case .ttft: return "TTFT"
        case .interToken: return "inter-token"
        case .total: return "total time"
        case .totalFromIntended: return "total from intended"
        case .ttftFromIntended: return "TTFT from intended"
        case .scheduleLag: return "schedule lag"
        }
    }
}
