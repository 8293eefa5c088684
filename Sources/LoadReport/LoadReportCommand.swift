import ArgumentParser
import Foundation
import LoadCore

/// `loadreport RUN...`: reads one or more event logs, merges them, and prints the summary table.
@main
struct LoadReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadreport",
        abstract: "Summarize loadgen runs from their event logs.",
        discussion: """
            Each argument is a run directory (its events.ndjson is read) or an events.ndjson file. \
            Several runs or shards are merged into one summary.
            """
    )

    @Argument(help: ArgumentHelp("Run directories or events.ndjson files.", valueName: "run-dir-or-events-file"))
    var runs: [String]

    func validate() throws {
        if runs.isEmpty {
            throw ValidationError("Please give at least one run directory or events.ndjson file.")
        }
    }

    func run() throws {
        let recorder = RunRecorder()
        for run in runs {
            let path = Self.eventsPath(for: run)
            guard FileManager.default.fileExists(atPath: path) else {
                Self.printError("\(path): no such file (expected a run directory or an events.ndjson file)")
                throw ExitCode.failure
            }
            do {
                let reader = try EventLogReader(path: path)
                let count = try reader.readAll(into: recorder)
                for warning in reader.warnings { Self.printError("warning: \(warning)") }
                let header = reader.header
                print("run: \(header.profile) started \(Self.format(header.startedAt)), \(count) attempts (\(path))")
            } catch let error as EventLogError {
                Self.printError(error.description)
                throw ExitCode.failure
            }
        }
        print("")
        print(SummaryTable.render(recorder), terminator: "")
    }

    /// `<dir>/events.ndjson` for a directory, the path itself otherwise.
    static func eventsPath(for argument: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            return (argument as NSString).appendingPathComponent("events.ndjson")
        }
        return argument
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("loadreport: \(message)\n".utf8))
    }
}
