/// What the client self-check judges (``ClientCheck``): the measurements of loadgen's own health
/// over a run. Any figure may be unknown (nil): a check without it is skipped.
public struct ClientFigures: Sendable, Equatable {
    /// The engine loop's busy fraction, 0...1 (1 − libuv's idle time ÷ the loop's wall time).
    /// With `--workers N` (N > 1) the busiest loop's, and each worker's in ``loopBusyByWorker``.
    public var loopBusyFraction: Double?
    /// Each worker's loop busy fraction, in worker order, with `--workers N` (N > 1); nil with one loop.
    public var loopBusyByWorker: [Double]?
    /// Start lag (actual − intended start, every attempt): p90 and p99, milliseconds.
    public var startLagP90Millis: Double?
    public var startLagP99Millis: Double?
    /// The measurement delay's p99 (streams stamped by the mock), milliseconds.
    public var measurementDelayP99Millis: Double?
    /// Attempts that failed because the client ran out of file descriptors (`client_fds`) or of
    /// local ports and addresses (`client_ports`).
    public var clientFDErrors: Int
    public var clientPortErrors: Int
    /// The process's peak resident memory and the machine's physical memory, KiB.
    public var peakRSSKiB: Int?
    public var physicalMemoryKiB: Int?
    /// The open-file limit the run had (RLIMIT_NOFILE, the soft limit raised to the hard one) and
    /// the descriptors its peak was expected to need.
    public var openFileLimit: Int?
    public var descriptorsNeeded: Int?

    public init(loopBusyFraction: Double? = nil, startLagP90Millis: Double? = nil, startLagP99Millis: Double? = nil,
                measurementDelayP99Millis: Double? = nil, clientFDErrors: Int = 0, clientPortErrors: Int = 0,
                peakRSSKiB: Int? = nil, physicalMemoryKiB: Int? = nil, openFileLimit: Int? = nil,
                descriptorsNeeded: Int? = nil) {
        self.loopBusyFraction = loopBusyFraction
        self.startLagP90Millis = startLagP90Millis
        self.startLagP99Millis = startLagP99Millis
        self.measurementDelayP99Millis = measurementDelayP99Millis
        self.clientFDErrors = clientFDErrors
        self.clientPortErrors = clientPortErrors
        self.peakRSSKiB = peakRSSKiB
        self.physicalMemoryKiB = physicalMemoryKiB
        self.openFileLimit = openFileLimit
        self.descriptorsNeeded = descriptorsNeeded
    }

    /// The figures a recorder holds: start lag and measurement delay percentiles, and the client
    /// error classes. The loop, memory and file figures come from the run itself.
    public init(recorder: RunRecorder) {
        func percentile(_ metric: LatencyMetric, _ p: Double) -> Double? {
            let histogram = recorder.histogram(metric)
            return histogram.totalCount > 0 ? Double(histogram.valueAtPercentile(p)) / metric.recordedPerUnit : nil
        }
        self.init(startLagP90Millis: percentile(.scheduleLag, 90), startLagP99Millis: percentile(.scheduleLag, 99),
                  measurementDelayP99Millis: percentile(.measurementDelay, 99),
                  clientFDErrors: recorder.errorsByClass[.clientFds] ?? 0,
                  clientPortErrors: recorder.errorsByClass[.clientPorts] ?? 0)
    }
}
