import ArgumentParser
import Foundation
import LoadCore
import MockProvider

/// `loadgen mock`: serves the mock provider as its own process (benchmarks, manual tests).
struct MockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve the mock provider (OpenAI, Anthropic and Groq formats) until interrupted.",
        discussion: """
            Routes (streaming and not), each in its provider's format:
              POST /v1/chat/completions         OpenAI Chat Completions
              POST /openai/v1/chat/completions  Groq (OpenAI plus x_groq usage)
              POST /v1/messages                 Anthropic Messages
            Port 0 picks a free port; it is printed on the first line of output.
            The defaults (TTFT 200ms, 10ms between tokens, 32 tokens) are those
            of a profile's target.mock; --ttft 0s --itl 0s serves as fast as it can.

            Faults (--fault, repeatable; a request gets at most one of them, so
            the rates add up to 1 or less; rate defaults to 1):
              http,status=529,rate=0.1     an error response instead
              error_event,after=3          a provider error event after 3 tokens
              overloaded_event,after=3     an overloaded error event
              disconnect,after=5           the connection closed mid-stream
              malformed,after=2            one event of invalid JSON, then the rest
              stall,after=0,stall=5s       no bytes for 5 s (no stall=: forever);
                                           after=0: right after the headers
            Per request, headers do the same: x-mock-status, x-mock-fault,
            x-mock-fault-after, x-mock-stall-ms, x-mock-ttft-ms, x-mock-itl-ms,
            x-mock-tokens.

            Rate limits (--rpm, --tpm, --input-tpm, --output-tpm) are announced
            in each route's own headers (anthropic-ratelimit-* on /v1/messages,
            x-ratelimit-* elsewhere; --ratelimit-headers forces one family), and
            errors, a 429 or a --reject-status refusal too, come in its format.

            Example: loadgen mock --port 0 --ttft 200ms --itl 10ms --tokens 32
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port and prints it).")
    var port = 8080

    @Option(help: ArgumentHelp(
        "Time to first token, drawn per request.",
        discussion: "200ms (fixed), uniform:100ms..300ms, normal:200ms,20ms (mean, deviation) or exponential:200ms (mean).",
        valueName: "delay"))
    var ttft = DelayArgument(.fixed(nanos: MockDefaults.ttftNanos))

    @Option(name: .customLong("itl"), help: "Delay between tokens, e.g. 10ms.")
    var interTokenDelay = DurationArgument(nanos: MockDefaults.interTokenNanos)

    @Option(help: "Output tokens per completion (a request's smaller max_tokens wins).")
    var tokens = MockDefaults.outputTokens

    @Option(help: "Fraction of requests (0 to 1) answered with --error-status.")
    var errorRate = 0.0

    @Option(help: "HTTP status of injected errors.")
    var errorStatus = 500

    @Option(help: ArgumentHelp("Inject a fault into a fraction of responses (repeatable; see above).",
                               valueName: "kind[,after=N][,rate=R][,status=S][,stall=D]"),
            transform: { try FaultArgument.parse($0) })
    var fault: [Profile.MockFault] = []

    @Option(help: "Event loop threads (0: one per core).")
    var threads = 0

    @Option(help: "Seed for the random draws.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Requests per minute (a token bucket); over it: 429 with retry-after.", valueName: "n"))
    var rpm: Int?

    @Option(help: ArgumentHelp("Prompt + completion tokens per minute (a token bucket).", valueName: "n"))
    var tpm: Int?

    @Option(help: ArgumentHelp("Prompt tokens per minute (Anthropic's input limit).", valueName: "n"))
    var inputTpm: Int?

    @Option(help: ArgumentHelp("Completion tokens per minute (Anthropic's output limit).", valueName: "n"))
    var outputTpm: Int?

    @Option(help: "What each rate-limit bucket holds, as time at its rate (600 RPM with 1s holds 10).")
    var burst = DurationArgument(nanos: 1_000_000_000)

    @Option(help: ArgumentHelp("Rate-limit header family: openai (x-ratelimit-*) or anthropic (anthropic-ratelimit-*); "
                               + "default: each route's own (anthropic on /v1/messages).", valueName: "family"))
    var ratelimitHeaders: String?

    @Option(help: ArgumentHelp("Completions generated at once; the rest wait in a queue.", valueName: "n"))
    var maxStreams: Int?

    @Option(help: ArgumentHelp("Requests that may wait for a slot (with --max-streams); more are refused.", valueName: "n"))
    var maxQueue: Int?

    @Option(help: "Status of a refusal when the queue is full (503, or 529 as Anthropic).")
    var rejectStatus = 503

    @Flag(help: "Stamp each SSE event (x_mock_sent_ns) and the response headers (x-mock-sent-ns) with the send time (CLOCK_MONOTONIC ns).")
    var stamp = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("Please give a port from 0 to 65535.") }
        guard tokens >= 0 else { throw ValidationError("Please give --tokens as 0 or more.") }
        guard (0...1).contains(errorRate) else { throw ValidationError("Please give --error-rate between 0 and 1.") }
        guard (100...599).contains(errorStatus) else {
            throw ValidationError("Please give --error-status as an HTTP status from 100 to 599.")
        }
        guard threads >= 0 else { throw ValidationError("Please give --threads as 0 or more.") }
        guard fault.reduce(0, { $0 + $1.rate }) <= 1 + 1e-9 else {
            throw ValidationError("Please give --fault rates that add up to 1 or less (a request gets at most one fault).")
        }
        for (flag, value) in [("--rpm", rpm), ("--tpm", tpm), ("--input-tpm", inputTpm), ("--output-tpm", outputTpm),
                              ("--max-streams", maxStreams)] {
            if let value, value < 1 { throw ValidationError("Please give \(flag) as 1 or more.") }
        }
        guard burst.nanos > 0 else { throw ValidationError("Please give --burst as a positive duration, e.g. 1s.") }
        if let ratelimitHeaders, !["openai", "anthropic"].contains(ratelimitHeaders) {
            throw ValidationError("Please give --ratelimit-headers as openai or anthropic.")
        }
        if let maxQueue, maxQueue < 0 { throw ValidationError("Please give --max-queue as 0 or more.") }
        if maxQueue != nil && maxStreams == nil { throw ValidationError("Please give --max-streams with --max-queue.") }
        guard (400...599).contains(rejectStatus) else {
            throw ValidationError("Please give --reject-status as an HTTP error status from 400 to 599.")
        }
    }

    func run() throws {
        var settings = Profile.MockSettings(ttft: ttft.delay, interTokenNanos: interTokenDelay.nanos, outputTokens: tokens,
                                            errorRate: errorRate, errorStatus: errorStatus)
        settings.faults = fault
        settings.stamp = stamp
        if rpm != nil || tpm != nil || inputTpm != nil || outputTpm != nil {
            settings.rateLimit = Profile.MockRateLimitSettings(
                requestsPerMinute: rpm, tokensPerMinute: tpm, inputTokensPerMinute: inputTpm,
                outputTokensPerMinute: outputTpm, burstNanos: burst.nanos,
                headers: ratelimitHeaders.flatMap(Profile.MockRateLimitSettings.HeaderFamily.init(rawValue:)))
        }
        if let maxStreams {
            settings.capacity = Profile.MockCapacitySettings(streams: maxStreams, queue: maxQueue, rejectStatus: rejectStatus)
        }
        let config = MockConfig(settings: settings, seed: seed, threads: threads)

        // Block the stop signals before the server's threads start, so that they inherit the mask
        // and this thread alone receives them through sigwait.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        signal(SIGPIPE, SIG_IGN)
        let server = MockServer(config: config)
        let boundPort = try server.start(host: host, port: port)
        let displayHost = host.contains(":") ? "[\(host)]" : host
        print("mock provider listening on http://\(displayHost):\(boundPort)/v1")
        fflush(stdout)

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        server.shutdown()
    }
}
