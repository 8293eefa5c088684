import Foundation
import LoadCore

/// Loads a profile, turning validation problems into exit code 2 with every problem listed.
enum ProfileLoader {
    /// - Parameter options: the command line's overrides (`run` only).
    static func load(path: String, options: ProfileOverrideOptions? = nil) throws -> Profile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("cannot read profile \(path): no such file", exitCode: ExitStatus.invalidInput)
        }
        if isDirectory.boolValue {
            let profiles = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            throw CLIError("cannot read profile \(path): it is a directory; give a profile file"
                + (profiles.isEmpty ? "" : ", e.g. \((path as NSString).appendingPathComponent(profiles[0]))"),
                exitCode: ExitStatus.invalidInput)
        }
        do {
            guard let options else { return try Profile.load(path: path) }
            var profile = try Profile.load(path: path, overrides: options.yamlOverrides())
            if options.baseURL != nil && profile.target.provider == .mock {
                // --base-url aims a mock profile at a real server: read it again as the provider that
                // speaks the mock's dialect (openai-compatible, anthropic or groq).
                let dialect = profile.target.mock?.dialect ?? .openAI
                profile = try Profile.load(path: path, overrides: options.yamlOverrides(switchingFromMockDialect: dialect))
            }
            return try options.applyLoad(to: profile)
        } catch let error as ProfileError {
            throw CLIError("invalid profile:\n" + error.description, exitCode: ExitStatus.invalidInput)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot read profile \(path): \(RunDirectory.reason(error))", exitCode: ExitStatus.invalidInput)
        }
    }
}
