import Foundation
import LoadCore

/// `report.html` in the run directory (unless `--no-html`): the run's event log read back into
/// LoadCore's HTML report, the page `loadreport RUN --html FILE` writes.
enum RunHTMLReport {
    static let fileName = "report.html"

    /// Writes the page; a failure is a warning on stderr (the run's figures are on disk already).
    /// - Returns: the page's path, or nil when it could not be written.
    @discardableResult
    static func write(in directory: String) -> String? {
        let eventsPath = (directory as NSString).appendingPathComponent("events.ndjson")
        let path = (directory as NSString).appendingPathComponent(fileName)
        do {
            let page = HTMLPage.render(try HTMLReport.read(paths: [eventsPath], compare: false))
            try page.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        } catch {
            FileHandle.standardError.write(Data("loadgen: warning: \(path) not written: \(error)\n".utf8))
            return nil
        }
    }
}
