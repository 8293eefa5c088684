/// Every prompt of a profile's sets in one list, each with its share of requests.
///
/// A prompt *p* of set *s* weighs *w_p* when the set has no weight of its own, and
/// *W_s·w_p/Σ_{q∈s} w_q* when it has one (*W_s*): the set then takes *W_s* of the total, shared
/// among its prompts by their weights.
public struct PromptMix: Sendable {
    /// The prompts of every set, in set order.
    public let prompts: [Prompt]
    /// The effective weight of each prompt (same order).
    public let weights: [Double]
    /// The positions of each set's prompts in ``prompts``.
    public let setRanges: [Range<Int>]

    public init(sets: [PromptSet]) {
        var prompts: [Prompt] = []
        var weights: [Double] = []
        var ranges: [Range<Int>] = []
        prompts.reserveCapacity(sets.reduce(0) { $0 + $1.prompts.count })
        weights.reserveCapacity(prompts.capacity)
        for set in sets {
            let start = prompts.count
            prompts.append(contentsOf: set.prompts)
            if let setWeight = set.weight {
                let total = set.prompts.reduce(0) { $0 + $1.weight }
                weights.append(contentsOf: set.prompts.map { setWeight * $0.weight / total })
            } else {
                weights.append(contentsOf: set.prompts.map(\.weight))
            }
            ranges.append(start..<prompts.count)
        }
        self.prompts = prompts
        self.weights = weights
        self.setRanges = ranges
    }

    /// The fraction of requests (0...1) that set `index` gets.
    public func share(ofSet index: Int) -> Double {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        return weights[setRanges[index]].reduce(0, +) / total
    }

    /// The fraction of requests that prompt `index` gets.
    public func share(ofPrompt index: Int) -> Double {
        weights[index] / weights.reduce(0, +)
    }

    /// Chooses request i's prompt (an index into ``prompts``): round-robin when every weight is
    /// equal, else weighted and seeded (see ``PromptSelector``).
    public func selector(seed: UInt64) -> PromptSelector {
        PromptSelector(weights: weights, seed: seed)
    }
}
