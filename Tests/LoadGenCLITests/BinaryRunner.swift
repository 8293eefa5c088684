import Foundation
import XCTest

struct BinaryNotFound: Error, CustomStringConvertible {
    let description: String
}

/// Runs the `loadgen` binary that `swift test` built next to the test bundle.
struct BinaryRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The products directory: the test bundle's folder, where SwiftPM puts the executables too.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func executable(_ name: String) throws -> URL {
        var candidates = [productsDirectory.appendingPathComponent(name)]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            // A failure, not a skip: `swift test` builds every product, so a missing binary is a bug.
            throw BinaryNotFound(description: "the \(name) binary was not found next to the tests (\(candidates.map(\.path)))")
        }
        return found
    }

    /// Starts `loadgen` with `arguments`; the caller waits or signals it.
    static func start(
        _ arguments: [String], binary: String = "loadgen", environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) throws -> (process: Process, stdout: Pipe, stderr: Pipe) {
        try launch(try executable(binary), arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Starts any executable with its output piped and no input.
    static func launch(
        _ executableURL: URL, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil
    ) throws -> (process: Process, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, stdout, stderr)
    }

    /// Runs `loadgen` to its end and returns its exit status and output.
    static func run(
        _ arguments: [String], binary: String = "loadgen", environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) throws -> Result {
        let (process, stdout, stderr) = try start(
            arguments, binary: binary, environment: environment, currentDirectory: currentDirectory)
        return finish(process, stdout, stderr)
    }

    /// Reads both pipes to their end (concurrently, so neither fills up) and waits for the exit.
    static func finish(_ process: Process, _ stdout: Pipe, _ stderr: Pipe) -> Result {
        // stderr is read on another thread; the group's wait orders its write before the read below.
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errorData = errors.data
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The repository root (for the shipped profiles).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

extension BinaryRunner {
    /// Runs `loadgen` in a pseudo-terminal through util-linux `script` (scripts/install-deps.sh
    /// installs it), so that stdout and stderr are a terminal; returns the exit status and all the
    /// terminal showed (both streams, with `\r\n` line ends).
    static func runInTerminal(
        _ arguments: [String], environment: [String: String], currentDirectory: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let command = ([try executable("loadgen").path] + arguments).map(shellQuoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // -q no banner, -f flush at once, -e the command's exit status, -c the command; no typescript file.
        process.arguments = ["-qfec", command, "/dev/null"]
        process.environment = environment
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `text` in single quotes for /bin/sh.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The environment of the tests with `changes` applied (nil removes a variable).
    static func environment(_ changes: [String: String?]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
        return environment
    }

    /// `text` without ANSI escape sequences.
    static func strippingEscapes(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
    }
}
