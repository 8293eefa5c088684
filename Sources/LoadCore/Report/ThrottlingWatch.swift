/// Follows a run's attempts live for the direct answer at its end (``Throttling``): `loadgen`
/// feeds it from the engine's loop thread, as it feeds its ``RunRecorder``.
///
///     let throttling = ThrottlingWatch(stages: header.stages)
///     engine.onAttempt = { throttling.record($0) }            // and recordDropped for dropped arrivals
///     if let answer = throttling.answer { print(answer.line) }
public final class ThrottlingWatch {
    private let accumulator = RateLimitAccumulator(intervalSeconds: 10)

    /// - Parameter stages: the run's schedule (the run header's stages), where its arrivals end.
    public init(stages: [RunHeader.Stage]) {
        accumulator.addSchedule(stages)
    }

    /// Counts one finished attempt, its times at the event log's resolution (0.1 µs), so that the
    /// answer is the one `loadreport` computes from the log, to the digit.
    public func record(_ live: AttemptRecord) {
        var attempt = live
        attempt.intendedStartNanos = RunRecorder.atLogResolution(live.intendedStartNanos)
        attempt.startNanos = RunRecorder.atLogResolution(live.startNanos)
        accumulator.add(attempt)
    }

    /// Counts dropped arrivals (one, or a flood counted together).
    public func recordDropped(_ drops: DroppedArrivals) {
        accumulator.addDropped(DroppedArrivals(
            count: drops.count, firstIntendedNanos: RunRecorder.atLogResolution(drops.firstIntendedNanos),
            lastIntendedNanos: RunRecorder.atLogResolution(drops.lastIntendedNanos)))
    }

    /// The answer; nil when no attempt was answered 429.
    public var answer: Throttling? { Throttling(accumulator.view()) }
}
