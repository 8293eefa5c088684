import Foundation
import LoadCore
import XCTest

@testable import LoadGen

/// A profile written to a temporary directory (removed when the test ends) and the settings of an
/// in-process run of it against the embedded mock: quiet, no signal handling, no HTML page, run
/// directories under ``runs``. Tests change ``settings`` before ``session(console:)``.
struct InProcessRun {
    let profile: Profile
    let profilePath: String
    /// Where the run directories go.
    let runs: URL
    var settings: RunSettings

    /// - Parameter arguments: the command line's words after `--profile PATH`, as the run records them.
    init(_ yaml: String, for test: XCTestCase, arguments: [String] = []) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        profilePath = directory.appendingPathComponent("profile.yaml").path
        try yaml.write(toFile: profilePath, atomically: true, encoding: .utf8)
        runs = directory.appendingPathComponent("runs")
        settings = RunSettings(profilePath: profilePath)
        settings.outputParent = runs.path
        settings.quiet = true
        settings.displayMode = .quiet
        settings.handlesSignals = false
        settings.writesHTML = false
        settings.command = ["loadgen", "--profile", profilePath] + arguments
        profile = try ProfileLoader.load(path: profilePath)
    }

    func session(console: CapturedConsole) throws -> RunSession {
        try RunSession(profile: profile, settings: settings, console: console.console)
    }
}

/// What a run session printed, by stream.
final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outLines: [String] = []
    private var errLines: [String] = []

    var console: RunConsole {
        RunConsole(out: { [self] line in lock.withLock { outLines.append(line) } },
                   err: { [self] line in lock.withLock { errLines.append(line) } })
    }
    var out: [String] { lock.withLock { outLines } }
    var err: [String] { lock.withLock { errLines } }
}
