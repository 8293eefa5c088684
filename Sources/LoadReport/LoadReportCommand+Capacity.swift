import ArgumentParser
import Foundation
import LoadCore

/// `loadreport RUN --capacity [--slo ...]`: the sweep's analysis redone from its event log.
extension LoadReportCommand {
    func validateCapacity() throws {
        if slo != nil && !capacity { throw ValidationError("Please give --slo with --capacity.") }
        guard capacity else { return }
        if runs.count != 1 { throw ValidationError("Please give one run to --capacity (its steps are its stages).") }
        if groupBy != nil || csv != nil { throw ValidationError("Please use --capacity without --group-by and --csv.") }
        if let slo {
            do {
                _ = try SLOList.parse(slo)
            } catch let error as ProfileError {
                throw ValidationError("Please give --slo as name=limit pairs like ttft_p99=800ms,error_rate=1%:\n"
                    + error.description)
            }
        }
    }

    /// Reads the run's events.ndjson and sweep.json (when present) and prints the capacity view.
    func runCapacity() {
        let eventsPath = ReportInputs.eventsPath(for: runs[0])
        guard FileManager.default.fileExists(atPath: eventsPath) else {
            Self.fail("\(eventsPath): no such file (expected a run directory or an events.ndjson file)")
        }
        let recordPath = ((eventsPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("sweep.json")
        do {
            let record = try FileManager.default.contents(atPath: recordPath).map {
                try SweepRecord.parse($0, path: recordPath)
            }
            let (result, warnings) = try CapacityRunAnalysis.analyze(
                eventsPath: eventsPath, record: record, slo: try slo.map { try SLOList.parse($0) })
            for warning in warnings { Self.printError("warning: \(warning)") }
            let chosen = format.flatMap(ReportFormat.init(rawValue:)) ?? .table
            print(try CapacityText.render(result, format: chosen), terminator: "")
        } catch {
            Self.fail("\(error)")
        }
    }
}
