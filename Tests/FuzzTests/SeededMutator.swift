import LoadCore

/// A deterministic random mutator, the CI stand-in for libFuzzer: from a seed, each input is a
/// corpus file with one to four edits (bit flips, interesting bytes, inserted or deleted runs,
/// duplicated runs, a splice from another file, a token from the target's dictionary).
struct SeededMutator {
    private var random: SplitMix64
    private let corpus: [[UInt8]]
    private let tokens: [[UInt8]]

    init(seed: UInt64, corpus: [[UInt8]], tokens: [String]) {
        precondition(!corpus.isEmpty, "a corpus of at least one file")
        random = SplitMix64(seed: seed)
        self.corpus = corpus
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// The next input.
    mutating func next() -> [UInt8] {
        var bytes = corpus[pick(corpus.count)]
        for _ in 0...pick(4) { mutate(&bytes) }
        return bytes
    }

    private mutating func pick(_ count: Int) -> Int {
        count <= 1 ? 0 : Int(random.next() % UInt64(count))
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        let interesting: [UInt8] = [0, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x3A, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x7F, 0x80, 0xFF]
        switch pick(7) {
        case 0 where !bytes.isEmpty:
            bytes[pick(bytes.count)] ^= UInt8(1) << UInt8(pick(8))
        case 1 where !bytes.isEmpty:
            bytes[pick(bytes.count)] = interesting[pick(interesting.count)]
        case 2:
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: pick(bytes.count + 1))
        case 3 where !bytes.isEmpty:
            let start = pick(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + pick(16)))
        case 4 where !bytes.isEmpty:
            let start = pick(bytes.count)
            let run = bytes[start..<min(bytes.count, start + 1 + pick(32))]
            bytes.insert(contentsOf: run, at: pick(bytes.count + 1))
        case 5:
            let other = corpus[pick(corpus.count)]
            guard !other.isEmpty else { return }
            let start = pick(other.count)
            bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + pick(64))], at: pick(bytes.count + 1))
        default:
            guard !tokens.isEmpty else { return }
            bytes.insert(contentsOf: tokens[pick(tokens.count)], at: pick(bytes.count + 1))
        }
    }
}
