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
            throw CLIError("cannot create the run directory \(path): \(reason(error))")
        }
        return RunDirectory(path: path)
    }

    /// Creates the run directory at exactly `path` (`--run-dir`): new, or an existing empty directory.
    /// - Throws: ``CLIError`` when it is a file or a non-empty directory, or cannot be created.
    static func create(exactly path: String) throws -> RunDirectory {
        try checkExact(path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the run directory \(path) (--run-dir): \(reason(error))")
        }
        return RunDirectory(path: path)
    }

    /// Checks a flag's directory that receives run directories: absent (it is created) or a directory.
    /// - Throws: ``CLIError`` (exit 2) when it is a file.
    static func checkParent(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CLIError("\(flag) \(path) is a file; give a directory to put the run directory in (it is created "
                + "when missing)", exitCode: ExitStatus.invalidInput)
        }
    }

    /// Checks `--run-dir`: absent (it is created) or an empty directory, so that no earlier run's
    /// files mix with this run's.
    /// - Throws: ``CLIError`` (exit 2) otherwise.
    static func checkExact(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw CLIError("--run-dir \(path) is a file; give a new or empty directory", exitCode: ExitStatus.invalidInput)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if !entries.isEmpty {
            throw CLIError("--run-dir \(path) is not empty (\(entries.count) entries); give a new or empty directory, "
                + "or --output DIR for a new run directory under DIR", exitCode: ExitStatus.invalidInput)
        }
    }

    /// A file-system error in words: the system's reason rather than "NSCocoaErrorDomain error 512".
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes a text file in the run directory.
    func write(_ name: String, _ text: String) throws {
        do {
            try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(file(name)): \(Self.reason(error))")
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
