import Foundation
import LoadCore

/// The process environment plus `./.env` (the environment wins; keys never get printed).
/// - Throws: ``CLIError`` (exit code 2) when `.env` is malformed.
func environmentWithDotEnv(path: String = ".env") throws -> [String: String] {
    let contents = FileManager.default.fileExists(atPath: path) ? try? String(contentsOfFile: path, encoding: .utf8) : nil
    do {
        return try DotEnv.merged(environment: ProcessInfo.processInfo.environment, dotEnvPath: path, contents: contents)
    } catch {
        throw CLIError("\(error)", exitCode: ExitStatus.invalidInput)
    }
}
