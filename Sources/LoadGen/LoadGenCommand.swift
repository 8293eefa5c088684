import ArgumentParser

/// `loadgen`: drives LLM provider APIs with streaming requests and records what happens.
@main
struct LoadGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadgen",
        abstract: "Load-test LLM provider APIs: TTFT, inter-token latency, throughput, errors, 429s.",
        discussion: """
            Examples:
              loadgen --profile profiles/ramp.yaml    run a profile (run is the default)
              loadgen validate profiles/ramp.yaml     check a profile, print its plan
              loadgen sweep -p profiles/capacity.yaml find the knee and the SLO capacity
              loadgen mock --port 8080 --ttft 200ms   serve the mock on 127.0.0.1:8080
              loadreport runs/<run>/                  summarize a run directory again

            Shell completions: loadgen --generate-completion-script bash (or zsh,
            fish); README.md says where to put them.
            """,
        version: LoadGenVersion.current,
        subcommands: [RunCommand.self, SweepCommand.self, ValidateCommand.self, MockCommand.self, VersionCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
