import LoadCore

/// How long a closed-loop user waits after an attempt that failed on the client's side (out of
/// descriptors or local ports, or a connection refused at once), so that a user does not retry in
/// a tight loop against a limit of its own machine. The wait doubles with each such failure in a
/// row, from `baseNanos` up to `maxNanos`, with a random half (from the run's seed) so that many
/// users do not come back in step; the first other outcome ends the streak.
struct ClientErrorBackoff: Equatable {
    var baseNanos: UInt64 = 10_000_000
    var maxNanos: UInt64 = 1_000_000_000
    /// A `connect` failure this soon after the start never left the machine.
    static let instantFailureNanos: UInt64 = 1_000_000

    /// True when the attempt failed because of the client: out of descriptors (`client_fds`) or
    /// local ports (`client_ports`), or a `connect` that failed at once.
    static func isClientSide(_ record: AttemptRecord) -> Bool {
        switch record.errorClass {
        case .clientFds?, .clientPorts?:
            return true
        case .connect?:
            return record.endNanos >= record.startNanos && record.endNanos - record.startNanos < instantFailureNanos
        default:
            return false
        }
    }

    /// The wait after the `streak`-th client-side failure in a row: a uniform draw from
    /// [c/2, c] with c = min(max, base · 2^(streak−1)).
    func delayNanos(streak: Int, random: inout SplitMix64) -> UInt64 {
        let doublings = UInt64(min(max(streak - 1, 0), 30))
        let ceiling = min(maxNanos, baseNanos << doublings)
        let half = ceiling / 2
        // nextUnitInterval is in (0, 1].
        return half + UInt64((Double(ceiling - half) * random.nextUnitInterval()).rounded(.down))
    }
}
