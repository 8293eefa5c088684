import Foundation
import XCTest

/// Debian's `chromium` in headless mode, with the network blocked (every host name resolves to
/// nothing), bounded in time and ended by its PID.
struct HeadlessChromium {
    let executable: URL

    /// The browser, or nil when it is not installed.
    static func find() -> HeadlessChromium? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: URL(fileURLWithPath: path))
        }
        return nil
    }

    /// The browser or a skip naming the package.
    static func require() throws -> HeadlessChromium {
        guard let chromium = find() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium, or scripts/install-deps.sh): "
                + "the HTML report is not checked in a browser")
        }
        return chromium
    }

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs the browser on `page` with `arguments` (e.g. `--dump-dom`), at most `timeout` seconds.
    func run(_ page: URL, arguments: [String], windowHeight: Int, profile: URL, timeout: TimeInterval = 90) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,\(windowHeight)",
        ] + arguments + [page.absoluteString]
        // Output goes to files (a pipe left unread would block the browser).
        let stdoutFile = profile.appendingPathExtension("stdout")
        let stderrFile = profile.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutFile)
        let stderr = try FileHandle(forWritingTo: stderrFile)
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TimedOut(description: "chromium did not finish within \(Int(timeout)) s; killed pid \(process.processIdentifier)")
        }
        return Result(stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "",
                      status: process.terminationStatus)
    }
}
