/// Where the provider throttled: per interval, the load offered against what the provider
/// admitted (successful requests and tokens per minute), the 429s, and the remaining quota its
/// headers announced; the time and offered rate of the first 429 and of the point where 429s passed
/// 1 %; the limits the provider announced; the rate it sustained once it throttled (``sustained``)
/// and, apart from it, the best interval (a burst the bucket allowed, not a sustainable rate).
///
/// Every attempt counts at its start (when the provider sees it), offered arrivals at their
/// intended start. Rates are per minute, as providers state their limits.
public struct RateLimitView: Sendable, Equatable, Codable {
    /// One interval.
    public struct Row: Sendable, Equatable, Codable {
        /// Interval start, seconds since the run origin.
        public var startSeconds: Double
        /// The interval's length, seconds: `--interval`, or less for the last interval when the
        /// arrivals ended within it (``partial``); the rates are over this length (0: not given).
        public var lengthSeconds: Double = 0
        /// True for a last interval shorter than `--interval`.
        public var partial = false
        /// Arrivals offered (first attempts and dropped), per minute.
        public var offeredPerMinute: Double
        /// Attempts started (retries included), per minute.
        public var attemptsPerMinute: Double
        /// Successful attempts, per minute.
        public var successesPerMinute: Double
        /// Input plus output tokens of successful attempts, per minute.
        public var successfulTokensPerMinute: Double
        /// Attempts answered 429 (count, not a rate), and their share of the interval's attempts.
        public var http429: Int
        public var http429Share: Double
        /// The lowest `remaining` the responses of the interval announced (nil: no header).
        public var remainingRequests: Double?
        public var remainingTokens: Double?

        // The CSV's column names (docs/report.md).
        enum CodingKeys: String, CodingKey {
            case startSeconds = "start_s", lengthSeconds = "length_s", partial
            case offeredPerMinute = "offered_per_min", attemptsPerMinute = "attempts_per_min"
            case successesPerMinute = "successes_per_min", successfulTokensPerMinute = "successful_tokens_per_min"
            case http429 = "http_429", http429Share = "http_429_share", remainingRequests, remainingTokens
        }
    }

    /// A moment of the run: when, and the load offered around it.
    public struct Point: Sendable, Equatable, Codable {
        /// Seconds since the run origin.
        public var seconds: Double
        /// Arrivals offered per second around that moment: over the 5 s centred on it (one-second
        /// bins, two before and two after; unbiased on a linear ramp).
        public var offeredPerSecond: Double
        public var offeredPerMinute: Double { offeredPerSecond * 60 }

        enum CodingKeys: String, CodingKey {
            case seconds = "at_s", offeredPerSecond = "offered_per_s"
        }
    }

    /// The rate the provider sustained once it throttled: successful attempts (and their tokens)
    /// started from the start of the second of the first 429 to the end of the arrivals, over that
    /// span. While the offered load stays above the limit this is the limit, whatever the bucket's
    /// burst; ``http429Share`` says how saturated the span was (near 0: the load fell below the
    /// limit, and the figure is the load, not the limit).
    public struct Sustained: Sendable, Equatable, Codable {
        /// The span, seconds since the run origin.
        public var fromSeconds: Double
        public var toSeconds: Double
        public var successesPerMinute: Double
        public var tokensPerMinute: Double
        /// Attempts answered 429 ÷ attempts started in the span.
        public var http429Share: Double

        enum CodingKeys: String, CodingKey {
            case fromSeconds = "from_s", toSeconds = "to_s", successesPerMinute = "successes_per_min"
            case tokensPerMinute = "tokens_per_min", http429Share = "http_429_share"
        }
    }

    /// Spans shorter than this after the first 429 give no sustained rate (too few seconds to tell).
    public static let minimumSustainedSeconds = 2.0

    public var intervalSeconds: Double
    public var rows: [Row]
    /// The earliest start of an attempt answered 429.
    public var first429: Point?
    /// The end of the first second at which 429s were more than 1 % of the attempts started in the
    /// trailing interval.
    public var onePercent429: Point?
    /// Attempts answered 429 in all.
    public var total429: Int
    /// The largest `limit` announced for requests, tokens, input and output tokens (nil: never
    /// announced). The provider's window applies: per minute for OpenAI and Anthropic; Groq
    /// announces requests per day and tokens per minute.
    public var announcedRequestsLimit: Double?
    public var announcedTokensLimit: Double?
    public var announcedInputTokensLimit: Double?
    public var announcedOutputTokensLimit: Double?
    /// The best full interval's successful requests and tokens per minute: a burst the provider's
    /// bucket allowed, which can exceed what it sustains (shorter intervals show larger bursts).
    public var ceilingSuccessesPerMinute: Double
    public var ceilingTokensPerMinute: Double
    /// The rate sustained from the first 429 on; nil without 429s or with fewer than
    /// ``minimumSustainedSeconds`` after it.
    public var sustained: Sustained?

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_s", rows, first429 = "first_429", onePercent429 = "one_percent_429"
        case total429 = "total_429"
        case announcedRequestsLimit, announcedTokensLimit, announcedInputTokensLimit, announcedOutputTokensLimit
        case ceilingSuccessesPerMinute = "best_interval_successes_per_min"
        case ceilingTokensPerMinute = "best_interval_tokens_per_min"
        case sustained
    }
}

/// The direct answer for a run that met 429s: what the provider sustained and from which offered
/// load it throttled. `loadgen` prints it at the end of a run and `loadreport` under its summary;
/// the JSON document carries it as `throttling`.
public struct Throttling: Sendable, Equatable, Codable {
    /// Attempts answered 429.
    public var total429: Int
    /// The first 429 and the load offered around it.
    public var first429: RateLimitView.Point
    /// The rate sustained from the first 429 on (nil when the run ended too soon after it).
    public var sustained: RateLimitView.Sustained?

    enum CodingKeys: String, CodingKey {
        case total429 = "total_429", first429 = "first_429", sustained
    }

    /// From a rate-limit view; nil when it saw no 429.
    public init?(_ view: RateLimitView) {
        guard view.total429 > 0, let first = view.first429 else { return nil }
        total429 = view.total429
        first429 = first
        sustained = view.sustained
    }

    /// `throttled: sustained ≈ 600 requests/min (10.0/s), 36000 tokens/min from 12 s to 60 s (41 % of
    /// its attempts got 429); 429s from 17.4/s offered (1044/min)`.
    public var line: String {
        var line = "throttled: "
        if let sustained {
            line += "sustained ≈ \(Format.fixed(sustained.successesPerMinute, 0)) requests/min "
                + "(\(Format.fixed(sustained.successesPerMinute / 60, 1))/s), "
                + "\(Format.fixed(sustained.tokensPerMinute, 0)) tokens/min from "
                + "\(Format.fixed(sustained.fromSeconds, 0)) s to \(Format.fixed(sustained.toSeconds, 1)) s "
                + "(\(Format.fixed(100 * sustained.http429Share, 0)) % of its attempts got 429)"
        } else {
            line += "sustained rate unknown (under \(Format.fixed(RateLimitView.minimumSustainedSeconds, 0)) s "
                + "of the run after the first 429)"
        }
        line += "; 429s from \(Format.fixed(first429.offeredPerSecond, 1))/s offered "
            + "(\(Format.fixed(first429.offeredPerMinute, 0))/min), \(total429) in all"
        return line
    }
}
