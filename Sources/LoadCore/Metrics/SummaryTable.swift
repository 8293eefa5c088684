/// The end-of-run summary table of a recorder: the summary view of ``ReportRenderer`` for all
/// attempts, the same text `loadreport` prints for the run's event log.
public enum SummaryTable {
    /// The table for a recorder's current state, with the throttling answer under it when the run
    /// met 429s (``ThrottlingWatch``), as `loadreport` prints it.
    /// - Parameter client: the client self-check, printed last (`client: ok`).
    public static func render(_ recorder: RunRecorder, throttling: Throttling? = nil, client: ClientCheck? = nil) -> String {
        var report = Report(recorder: recorder)
        report.throttling = throttling
        report.client = client
        return SummaryText.render(report, markdown: false)
    }

    /// Milliseconds with precision that suits the magnitude: 0.412, 5.12, 201.3.
    public static func formatMillis(_ millis: Double) -> String {
        Format.millis(millis)
    }
}
