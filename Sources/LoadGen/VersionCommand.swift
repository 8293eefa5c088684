import ArgumentParser
import LoadEngine

/// `loadgen version`: loadgen's version and the libcurl and libuv it runs on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print loadgen's version and the libcurl and libuv versions it uses.",
        discussion: """
            The version comes from `git describe` when built by scripts/release.sh.

            Example:
              loadgen version
            """
    )

    func run() {
        print("loadgen \(LoadGenVersion.current)")
        print("libcurl \(EngineVersions.curl)")
        print("libuv \(EngineVersions.uv)")
    }
}
