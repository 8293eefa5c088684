import Foundation
import LoadCore

/// Loads a profile, turning validation problems into exit code 2 with every problem listed.
enum ProfileLoader {
    /// - Parameter options: the command line's overrides (`run` only).
    static func load(path: String, options: ProfileOverrideOptions? = nil) throws -> Profile {
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
            throw CLIError("cannot read profile \(path): \(error)", exitCode: ExitStatus.invalidInput)
        }
    }
}
