import LoadCore

/// Per-event-loop state of the mock: the seeded random draws and the request counter.
///
/// One instance belongs to one event loop and is only touched on that loop's thread (it is handed
/// to the handlers of channels registered on that loop), so it needs no lock. That confinement is
/// what the `@unchecked Sendable` conformance asserts.
final class MockLoopContext: @unchecked Sendable {
    /// The server's configuration.
    let config: MockConfig
    /// The server-wide rate limits and generation slots (shared by every loop), when configured.
    let admission: MockAdmission?

    private let loopIndex: UInt64
    private let loopCount: UInt64
    private var generator: SplitMix64
    private var requestsNumbered: UInt64 = 0

    /// - Parameters:
    ///   - config: the server's configuration; its `seed` plus `loopIndex` seeds this loop's generator.
    ///   - loopIndex: this loop's position in the group (0-based).
    ///   - loopCount: the number of loops, so request numbers are unique across loops.
    init(config: MockConfig, loopIndex: Int, loopCount: Int, admission: MockAdmission? = nil) {
        self.config = config
        self.admission = admission
        self.loopIndex = UInt64(loopIndex)
        self.loopCount = UInt64(max(1, loopCount))
        self.generator = SplitMix64(seed: config.seed &+ UInt64(loopIndex))
    }

    /// The next request number (N in `chatcmpl-mock-N`): loop i hands out i+1, i+1+count, ...
    func nextRequestNumber() -> UInt64 {
        defer { requestsNumbered += 1 }
        return requestsNumbered &* loopCount &+ loopIndex &+ 1
    }

    /// Draws a time to first token from `config.settings.ttft`.
    func drawTTFTNanos() -> UInt64 {
        config.settings.ttft.drawNanos(using: &generator)
    }

    /// Picks the fault for one request from `config.settings.faults` (at most one, by one uniform
    /// draw in (0, 1] against the cumulative rates); draws nothing when there are no faults.
    func drawFault() -> Profile.MockFault? {
        let faults = config.settings.faults
        guard !faults.isEmpty else { return nil }
        let draw = generator.nextUnitInterval()
        var cumulative = 0.0
        for fault in faults {
            cumulative += fault.rate
            if draw <= cumulative { return fault }
        }
        return nil
    }

    /// Decides whether to inject an error (probability `config.settings.errorRate`); draws only when
    /// the rate is strictly between 0 and 1.
    func drawInjectedError() -> Bool {
        let rate = config.settings.errorRate
        if rate <= 0 || rate.isNaN { return false }
        if rate >= 1 { return true }
        return generator.nextUnitInterval() <= rate
    }
}
