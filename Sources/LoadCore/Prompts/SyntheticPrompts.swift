/// The parameters of a synthetic prompt set:
/// `{synthetic: {count: 1000, input_tokens: {mean: 512, stddev: 128}, max_tokens: 128}}`.
public struct SyntheticPromptSpec: Sendable, Equatable {
    /// The set's name (default `synthetic`); it also keys the set's random stream.
    public var name: String
    /// How many prompts to make, 1 to ``maxCount``.
    public var count: Int
    /// Mean input length in tokens, at least 1.
    public var meanInputTokens: Double
    /// Standard deviation of the input length in tokens, 0 or more (0: every prompt `mean` long).
    public var stddevInputTokens: Double
    /// `max_tokens` of every prompt of the set; nil leaves the profile's `request.max_tokens`.
    public var maxTokens: Int?

    public init(name: String = SyntheticPromptSpec.defaultName, count: Int = SyntheticPromptSpec.defaultCount,
                meanInputTokens: Double, stddevInputTokens: Double = 0, maxTokens: Int? = nil) {
        self.name = name
        self.count = count
        self.meanInputTokens = meanInputTokens
        self.stddevInputTokens = stddevInputTokens
        self.maxTokens = maxTokens
    }

    public static let defaultName = "synthetic"
    public static let defaultCount = 100
    /// At most this many prompts in one synthetic set.
    public static let maxCount = 1_000_000
    /// At most this many tokens in all (count × mean): about 80 MB of text.
    public static let maxTotalTokens = 20_000_000.0
}

/// Makes synthetic prompts: one user message each, of random words that are one token each.
///
/// Prompt *k*'s length is *L_k* = max(1, round(mean + stddev·Z_k)) words with Z_k ~ N(0, 1); its
/// words are drawn uniformly from ``vocabulary``. Every draw comes from a ``SplitMix64`` seeded
/// with the profile's seed mixed with the set's name, so the same seed (and name) gives the same
/// prompts, and two synthetic sets of a profile differ. Random words from the first one on mean
/// no two prompts share a prefix, so a server's prefix cache does not shorten the work.
///
/// Each word of ``vocabulary`` is a single token, preceded by a space, in OpenAI's cl100k_base
/// (GPT-4, GPT-3.5) and o200k_base (GPT-4o) vocabularies, and words never merge across the space
/// in those tokenizers (nor in Llama 3's, which splits words the same way), so the message has
/// *L_k* tokens, ±1 for the first word. A chat template adds a few tokens per message on top.
public enum SyntheticPrompts {
    /// 256 common short English words (mean 3.1 letters, so with the space about 4.1 characters a
    /// token, close to the 4-characters-a-token rule ``TokenEstimate`` uses).
    public static let vocabulary: [String] = [
        "the", "of", "and", "to", "in", "is", "it", "you", "he", "was", "for", "on", "are", "as", "his", "at", "be",
        "or", "one", "had", "by", "but", "not", "all", "we", "can", "use", "an", "she", "do", "how", "if", "up",
        "out", "so", "her", "him", "has", "two", "go", "see", "no", "way", "my", "who", "its", "now", "day", "did",
        "get", "may", "new", "me", "our", "man", "say", "too", "old", "any", "boy", "set", "put", "end", "big",
        "why", "ask", "men", "us", "try", "off", "air", "add", "own", "eye", "saw", "few", "got", "run", "far",
        "car", "red", "top", "sea", "dog", "cat", "sun", "job", "war", "law", "art", "box", "key", "cup", "bed",
        "arm", "leg", "ice", "oil", "gas", "hot", "sky", "bad", "yes", "ago", "ten", "six", "yet", "lot", "act",
        "age", "bit", "sit", "cut", "hit", "win", "pay", "buy", "a", "I", "am", "oh", "ok", "per", "eat", "fun",
        "son", "sat", "ran", "met", "led", "low", "due", "raw", "dry", "wet", "fit", "fix", "mix", "aid", "aim",
        "bag", "bar", "bay", "bet", "bus", "cap", "cow", "cry", "dad", "mom", "dig", "ear", "egg", "era", "fan",
        "fat", "fee", "fly", "fog", "gap", "guy", "hat", "hip", "hug", "ink", "jet", "joy", "kid", "lab", "lap",
        "lay", "lid", "lie", "lip", "log", "mad", "map", "mud", "net", "nut", "odd", "pan", "pen", "pet", "pie",
        "pig", "pin", "pot", "rat", "row", "sad", "sum", "tax", "tea", "tie", "tip", "toe", "toy", "van", "zoo",
        "that", "with", "they", "this", "have", "from", "what", "were", "when", "your", "said", "each", "will",
        "many", "then", "them", "some", "make", "like", "into", "time", "look", "more", "than", "been", "call",
        "find", "long", "down", "come", "made", "part", "over", "take", "only", "work", "know", "year", "live",
        "back", "give", "most", "very", "just", "name", "good", "help", "much", "line", "mean", "same", "tell",
        "came", "want", "show", "also"
    ]

    private static let vocabularyBytes: [[UInt8]] = vocabulary.map { Array($0.utf8) }

    /// The prompts of a synthetic set.
    /// - Parameters:
    ///   - spec: validated parameters (count ≥ 1, mean ≥ 1, stddev ≥ 0).
    ///   - seed: the profile's seed.
    /// - Returns: `spec.count` prompts, each one user message, each with `spec.maxTokens`.
    public static func make(_ spec: SyntheticPromptSpec, seed: UInt64) -> [Prompt] {
        var random = SplitMix64(seed: seed ^ fnv1a(spec.name))
        var prompts: [Prompt] = []
        prompts.reserveCapacity(spec.count)
        for _ in 0..<spec.count {
            let length = Self.length(spec, &random)
            prompts.append(prompt(words: length, maxTokens: spec.maxTokens, random: &random))
        }
        return prompts
    }

    /// One prompt of `words` random words of ``vocabulary`` (so about that many tokens), one user
    /// message, drawing from `random` (eight words from each 64-bit draw).
    public static func prompt(words: Int, maxTokens: Int?, random: inout SplitMix64) -> Prompt {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words * 5)
        var bits: UInt64 = 0
        for word in 0..<words {
            if word % 8 == 0 { bits = random.next() }
            if word > 0 { bytes.append(0x20) }
            bytes.append(contentsOf: vocabularyBytes[Int(bits & 0xFF)])
            bits >>= 8
        }
        return Prompt(messages: [ChatMessage(role: .user, content: String(decoding: bytes, as: UTF8.self))],
                      maxTokens: maxTokens)
    }

    /// round(mean + stddev·Z) within [1, mean + 6·stddev], Z a standard normal draw (taken even
    /// when stddev is 0, so the stream does not depend on it).
    private static func length(_ spec: SyntheticPromptSpec, _ random: inout SplitMix64) -> Int {
        let z = random.nextStandardNormal()
        let value = (spec.meanInputTokens + spec.stddevInputTokens * z).rounded()
        let cap = (spec.meanInputTokens + 6 * spec.stddevInputTokens).rounded(.up)
        return value < 1 ? 1 : Int(min(value, cap))
    }

    /// FNV-1a of the name's UTF-8: keys each synthetic set's stream.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
