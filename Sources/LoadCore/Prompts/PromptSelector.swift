/// Chooses the prompt of every request: a pure function of the seed and the request number, so the
/// same seed gives the same sequence of prompts, whatever the timing of the run.
///
/// - Equal weights: round-robin, request *i* takes prompt *i* mod *n* (every prompt equally often,
///   exactly, as before weights existed).
/// - Otherwise Walker's alias method (Vose's construction): each prompt *j* owns a column with a
///   threshold *t_j* and an alias *a_j*, built so that column *j* keeps *t_j* of its draws and
///   passes the rest to *a_j*, and every prompt ends up with *n·w_j/Σw* columns' worth. Request *i*
///   takes the *i*-th output *x* of a ``SplitMix64`` stream keyed by the seed; the 128-bit product
///   *x·n* = *c*·2⁶⁴ + *f* gives the column *c* (uniform on 0..<n) and a fraction *f* (uniform on
///   [0, 2⁶⁴)); the answer is *c* when *f* < *t_c*, else *a_c*. One multiplication, two array
///   reads, no allocation.
public struct PromptSelector: Sendable, Equatable {
    /// The number of prompts; every index returned is in `0..<count`.
    public let count: Int
    /// True when every weight is equal and requests take the prompts in turn.
    public let isRoundRobin: Bool
    /// Column j keeps a draw whose fraction is below `thresholds[j]` (alias method only).
    private let thresholds: [UInt64]
    private let aliases: [Int]
    /// The seed of the SplitMix64 stream whose i-th output picks request i's prompt.
    private let streamSeed: UInt64

    /// - Parameters:
    ///   - weights: one per prompt, each positive and finite (at least one).
    ///   - seed: the profile's seed.
    public init(weights: [Double], seed: UInt64) {
        precondition(!weights.isEmpty, "a prompt selector needs at least one prompt")
        precondition(weights.allSatisfy { $0 > 0 && $0.isFinite }, "prompt weights must be positive and finite")
        count = weights.count
        // "prompts!" in ASCII: keeps this stream apart from the schedule's and the mock's.
        var keyGenerator = SplitMix64(seed: seed ^ 0x7072_6F6D_7074_7321)
        streamSeed = keyGenerator.next()
        isRoundRobin = weights.allSatisfy { $0 == weights[0] }
        if isRoundRobin {
            thresholds = []
            aliases = []
            return
        }
        // Vose: scale to mean 1, then pair each under-full column with an over-full one.
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(weights.count) / total }
        var thresholds = [UInt64](repeating: .max, count: count)
        var aliases = Array(0..<count)
        var small = scaled.indices.filter { scaled[$0] < 1 }
        var large = scaled.indices.filter { scaled[$0] >= 1 }
        while let under = small.popLast(), let over = large.last {
            thresholds[under] = Self.threshold(scaled[under])
            aliases[under] = over
            scaled[over] = (scaled[over] + scaled[under]) - 1
            if scaled[over] < 1 {
                large.removeLast()
                small.append(over)
            }
        }
        // What is left is full up to rounding: it keeps every draw (threshold max, alias itself).
        self.thresholds = thresholds
        self.aliases = aliases
    }

    /// The prompt index for a request.
    /// - Parameter requestID: the request number (from 0, in order of intended start).
    /// - Returns: an index in `0..<count`.
    @inline(__always)
    public func index(forRequest requestID: UInt64) -> Int {
        if isRoundRobin { return Int(requestID % UInt64(count)) }
        // SplitMix64's i-th output is its mix of seed + (i + 1)·γ: start one step before it.
        var stream = SplitMix64(seed: streamSeed &+ requestID &* 0x9E37_79B9_7F4A_7C15)
        let (column, fraction) = stream.next().multipliedFullWidth(by: UInt64(count))
        let index = Int(column)
        return fraction < thresholds[index] ? index : aliases[index]
    }

    /// A probability below 1 as a 64-bit threshold: p·2⁶⁴, rounded down.
    private static func threshold(_ probability: Double) -> UInt64 {
        let scaled = probability * 0x1p64
        return scaled >= 0x1p64 ? .max : UInt64(max(0, scaled))
    }
}
