/// A named list of prompts from one place: a prompt-set file, the profile itself, or the synthetic
/// generator.
///
/// A set's ``weight`` is its share of requests relative to the other sets' weights. A set without
/// one weighs the sum of its prompts' weights, so by default every prompt of every set counts
/// alike, as if all sets were one list. Within a set, prompts are chosen in proportion to their
/// own weights.
public struct PromptSet: Sendable, Equatable {
    /// Where a set came from.
    public enum Source: Sendable, Equatable {
        /// Written in the profile's `prompts:` list (or the default prompt).
        case inline
        /// A prompt-set file: its absolute, standardized path.
        case file(path: String)
        /// Made by the synthetic generator from these parameters and the profile's seed.
        case synthetic(SyntheticPromptSpec)
        /// Made from a trace's token lengths (`load.trace`), one prompt per arrival: the trace's path.
        case trace(path: String)
    }

    /// The set's `name:` (for a file, its name without extension by default), unique in a profile.
    public var name: String
    public var source: Source
    /// The set's share relative to the other sets (positive); nil: the sum of its prompts' weights.
    public var weight: Double?
    /// The set-wide `max_tokens` (already applied to each prompt that has none of its own).
    public var maxTokens: Int?
    /// Never empty.
    public var prompts: [Prompt]

    public init(name: String, source: Source, weight: Double? = nil, maxTokens: Int? = nil, prompts: [Prompt]) {
        self.name = name
        self.source = source
        self.weight = weight
        self.maxTokens = maxTokens
        self.prompts = prompts
    }

    /// The weight the set has against the other sets: ``weight`` when given, else the sum of its
    /// prompts' weights.
    public var effectiveWeight: Double {
        if let weight { return weight }
        var total = 0.0
        for prompt in prompts { total += prompt.weight }
        return total
    }

    /// The name of the set of inline prompts (and of the default prompt).
    public static let inlineName = "inline"
}
