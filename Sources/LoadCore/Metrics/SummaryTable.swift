/// The end-of-run summary table of a recorder: the summary view of ``ReportRenderer`` for all
/// attempts, the same text `loadreport` prints for the run's event log.
public enum SummaryTable {
    /// The table for a recorder's current state.
    public static func render(_ recorder: RunRecorder) -> String {
        SummaryText.render(Report(recorder: recorder), markdown: false)
    }

    /// Milliseconds with precision that suits the magnitude: 0.412, 5.12, 201.3.
    public static func formatMillis(_ millis: Double) -> String {
        Format.millis(millis)
    }
}
