extension AttemptRecord {
    /// The attempt with every timestamp moved later by `nanos`: a sweep runs each step on its own
    /// engine, whose clock starts at the step, and writes all steps on the clock of the sweep's first.
    /// Token offsets are relative to the start and stay as they are.
    public func shifted(byNanos nanos: UInt64) -> AttemptRecord {
        guard nanos > 0 else { return self }
        var moved = self
        moved.intendedStartNanos += nanos
        moved.startNanos += nanos
        moved.endNanos += nanos
        moved.dnsNanos = dnsNanos.map { $0 + nanos }
        moved.connectNanos = connectNanos.map { $0 + nanos }
        moved.tlsNanos = tlsNanos.map { $0 + nanos }
        moved.headersNanos = headersNanos.map { $0 + nanos }
        moved.firstByteNanos = firstByteNanos.map { $0 + nanos }
        moved.firstTokenNanos = firstTokenNanos.map { $0 + nanos }
        return moved
    }
}
