/// What the tables show, in which order.
public enum ReportLayout {
    /// Every distribution, in table order.
    public static let metrics: [LatencyMetric] = [
        .ttft, .ttftFromIntended, .interToken, .timePerOutputToken, .total, .totalFromIntended, .scheduleLag,
        .outputTokensPerSecond,
    ]
}
