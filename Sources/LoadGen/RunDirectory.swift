import Foundation

/// `runs/<UTC stamp>-<profile name>/`: where a run leaves everything it measured.
struct RunDirectory {
    let path: String

    /// Creates a new, empty run directory under `parent`.
    /// - Throws: when the directory cannot be created (the message names it).
    static func create(parent: String, profileName: String, startedAt: Date) throws -> RunDirectory {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let safeName = String(profileName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        var path = "\(parent)/\(formatter.string(from: startedAt))-\(safeName)"
        var suffix = 2
        while FileManager.default.fileExists(atPath: path) {
            path = "\(parent)/\(formatter.string(from: startedAt))-\(safeName)-\(suffix)"
            suffix += 1
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the run directory \(path): \(error.localizedDescription)")
        }
        return RunDirectory(path: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes a text file in the run directory.
    func write(_ name: String, _ text: String) throws {
        do {
            try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(file(name)): \(error.localizedDescription)")
        }
    }
}

/// An error for the user, printed as `loadgen: <message>` with a non-zero exit code.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
