import Foundation

/// A load profile: what to call, with which prompts, at what load, within which limits.
///
/// Written by the user in YAML (every field below is documented where its type is declared):
///
///     name: ramp                       # default: the file name without extension
///     target:
///       provider: mock                 # mock | openai | anthropic | groq | openai-compatible
///       model: mock-small              # required except for mock
///       base_url: http://127.0.0.1:8000/v1   # required for openai-compatible; defaults: openai
///                                      # https://api.openai.com/v1, anthropic https://api.anthropic.com/v1,
///                                      # groq https://api.groq.com/openai/v1; ignored for mock
///       api_key_env: OPENAI_API_KEY    # the NAME of an environment variable; defaults OPENAI_API_KEY,
///                                      # ANTHROPIC_API_KEY, GROQ_API_KEY; none for openai-compatible
///       anthropic_version: 2023-06-01  # provider anthropic only: the anthropic-version header
///       ca_file: certs/ca.pem          # verify TLS with these CAs (relative to the profile)
///       http: "1.1"                    # 1.1 | 2
///       headers: {OpenAI-Organization: org-1, X-Gateway-Key: "${GATEWAY_KEY}"}   # ${NAME}: from the environment
///       mock:                          # provider mock only: the embedded mock's behaviour
///         dialect: openai              # openai | anthropic | groq: what the mock (and loadgen) speak
///         faults: [{kind: disconnect, after_tokens: 3, rate: 0.1}]   # see Profile.MockFault
///         ttft: 200ms                  # a duration, or {uniform: [100ms, 300ms]},
///                                      # {normal: {mean: 200ms, stddev: 20ms}}, {exponential: 200ms}
///         inter_token: 10ms
///         output_tokens: 32
///         error_rate: 0.0              # 0...1
///         error_status: 500
///         rate_limit: { requests_per_minute: 600, tokens_per_minute: 90000, burst: 1s }   # headers: the dialect's
///         capacity: { streams: 64, queue: 1000, reject_status: 503 }
///     prompts:                         # prompt sets (docs/profiles.md, "Prompts"): any of
///       - ../prompts/chat.yaml         #   a prompt-set file or a folder of them (relative to this file)
///       - {path: ../prompts/summarize.yaml, weight: 2}   # with the set's share of requests
///       - {synthetic: {count: 1000, input_tokens: {mean: 512, stddev: 128}, max_tokens: 128}}
///       - [{role: user, content: "Say hello"}]           # inline prompts (one set, "inline")
///       - {messages: "Say hello", weight: 3, max_tokens: 16}
///       - ../data/sharegpt.json        #   a dataset: ShareGPT .json or .jsonl rows (PromptDataset)
///       - "Write a haiku"              #   a string that is not a path is a prompt (PromptPath.isPath)
///     request: { max_tokens: 128, temperature: 0, stream: true }   # stream defaults to true
///     # also: min_tokens: 16 (openai-compatible), extra_body: {ignore_eos: true, top_p: 0.9}
///     load:
///       mode: open                     # open (rate = arrivals per second) | closed (users)
///       stages:
///         - { duration: 10s, rate: 5 }
///         - { duration: 20s, rate: 5..50 }   # a linear ramp
///       # closed: stages: [{ duration: 30s, users: 64 }]  (users may ramp too: "1..64")
///       # shorthands: {mode: open, rate: 200, duration: 10s}
///       #             {mode: closed, users: 100, requests: 500}   (requests sets limits.max_requests)
///     limits: { max_requests: 10000, max_in_flight: 2000, timeout: 120s, connect_timeout: 10s,
///               ttft_timeout: 30s, idle_timeout: 20s, max_connections: 500, max_cost_usd: 5 }
///     retries:                         # off unless given
///       max_attempts: 3                # the first attempt included
///       on: [http_429, http_5xx, overloaded, connect, timeout_connect]
///       backoff: { base: 500ms, max: 30s }    # full jitter
///       honor_retry_after: true
///       max_retry_after: 60s
///     pricing: { catalog: prices.yaml, models: [{provider: openai, model: my-ft, input: 3, output: 12}] }
///     seed: 1
///     thresholds: { ttft_p99: 800ms, error_rate: "< 1%", abort_on_fail: true }   # docs/profiles.md
///     sweep: { mode: rate, slo: { ttft_p99: 400ms }, tolerance: 5% }   # loadgen sweep, docs/capacity.md
///
/// Durations carry a unit: `500ms`, `30s`, `2m`, `1h`, `1.5s` (also `us`, `ns`).
public struct Profile: Sendable, Equatable {
    /// Names the run directory (`runs/<stamp>-<name>`): letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The API under test.
    public var target: Target
    /// The prompt sets, never empty; ``PromptMix`` flattens them and says which request gets which.
    public var prompts: [PromptSet]
    /// Per-request parameters.
    public var request: RequestSettings
    /// The load shape.
    public var load: LoadSettings
    /// Safety limits.
    public var limits: Limits
    /// Seeds every random choice of the run (default 1).
    public var seed: UInt64
    /// Where model prices come from (default: the built-in catalog).
    public var pricing = Pricing()
    /// Service-level objectives checked at the end of the run (`thresholds:`, default none).
    public var thresholds = Thresholds()
    /// Retries of failed attempts (`retries:`); nil: none (the default: a 429 is a result).
    public var retries: RetryPolicy?
    /// The capacity search of `loadgen sweep` (`sweep:`, docs/capacity.md); nil: none.
    public var sweep: SweepSettings?

    /// The prompt used when a profile has no `prompts`.
    public static let defaultPrompts: [PromptSet] = [
        PromptSet(name: PromptSet.inlineName, source: .inline, prompts: [Prompt(user: "Say hello in one short sentence.")])
    ]

    public init(name: String, target: Target, prompts: [PromptSet] = Profile.defaultPrompts,
                request: RequestSettings = RequestSettings(), load: LoadSettings, limits: Limits = Limits(),
                seed: UInt64 = 1) {
        self.name = name
        self.target = target
        self.prompts = prompts
        self.request = request
        self.load = load
        self.limits = limits
        self.seed = seed
    }

    /// Reads and validates a profile file.
    /// - Parameter path: the YAML file; errors name it as given.
    /// - Throws: ``ProfileError`` listing every problem found.
    /// - Parameter overrides: command-line changes applied to the YAML before validation.
    public static func load(path: String, overrides: [ProfileOverride] = []) throws -> Profile {
        let yaml: String
        do {
            yaml = try ProfileFile.read(path)
        } catch let error as ProfileFile.ReadError {
            throw ProfileError(problems: [ProfileProblem(file: path, line: 0, column: 0, fieldPath: "",
                                                         message: error.description)])
        }
        return try parse(yaml: yaml, file: path, overrides: overrides)
    }

    /// Parses and validates profile text.
    /// - Parameters:
    ///   - yaml: the profile.
    ///   - file: the name errors report, and the default profile name (without extension).
    ///   - overrides: command-line changes applied to the YAML before validation; problems in their
    ///     values name the override instead of a line.
    /// - Throws: ``ProfileError`` listing every problem found.
    public static func parse(yaml: String, file: String, overrides: [ProfileOverride] = []) throws -> Profile {
        var parser = ProfileParser(file: file)
        let profile = parser.parse(yaml: yaml, overrides: overrides)
        guard parser.problems.isEmpty, let profile else {
            // In file order, as an editor would list them: the profile's first, then each prompt-set
            // file's in the order the files were read.
            var fileOrder = [file: 0]
            for problem in parser.problems where fileOrder[problem.file] == nil {
                fileOrder[problem.file] = fileOrder.count
            }
            let ordered = parser.problems.enumerated().sorted {
                (fileOrder[$0.element.file] ?? 0, $0.element.line, $0.element.column, $0.offset)
                    < (fileOrder[$1.element.file] ?? 0, $1.element.line, $1.element.column, $1.offset)
            }
            throw ProfileError(problems: ordered.map(\.element))
        }
        return profile
    }

    /// Expected number of requests: for open loop the integral of the rate over the stages, capped
    /// by `limits.maxRequests`; for closed loop `limits.maxRequests`. Nil when unbounded.
    public func plannedRequests() -> Int? {
        switch load.mode {
        case .open:
            let arrivals = OpenLoopSchedule(stages: load.stages).plannedArrivals
            switch (arrivals, limits.maxRequests) {
            case let (a?, m?): return min(a, m)
            case let (a, m): return a ?? m
            }
        case .closed:
            return limits.maxRequests
        }
    }
}
