/// Reads events into the numbers of a ``Report``: one ``RunRecorder`` for all attempts, one per
/// group, and the time series and rate-limit bins when asked for. Memory depends on the number of
/// groups and on the runs' duration (bins), never on the number of attempts.
///
/// Several runs (or shards of one run) are merged: their attempts are united, their histograms
/// added, and their clocks laid on one another from each run's origin (shards started together
/// share it).
///
///     let accumulator = ReportAccumulator(options: ReportOptions(groupBy: .model))
///     accumulator.beginRun(reader.header, path: path)
///     while let entry = try reader.next() { accumulator.add(entry) }
///     accumulator.endRun(warnings: reader.warnings)
///     let report = accumulator.report()
public final class ReportAccumulator {
    public let options: ReportOptions
    /// Every attempt of every run.
    public let overall = RunRecorder()
    private var groups: [String: RunRecorder] = [:]
    /// Sort keys of the groups: (number, name), so stages and statuses sort numerically.
    private var groupOrder: [String: (Int, String)] = [:]
    private var runs: [RunInfo] = []
    /// The client checks of the runs' end lines, with the run's name.
    private var clientChecks: [(run: String, check: ClientCheck)] = []
    private var header: RunHeader?
    private var runGroup: RunRecorder?
    private var stageGroups: [Int: RunRecorder] = [:]
    private var statusGroups: [Int: RunRecorder] = [:]
    private var timeSeries: TimeSeriesAccumulator?
    private var rateLimits: RateLimitAccumulator?
    /// The rate-limit bins behind ``Report/throttling``: ``rateLimits`` when asked for, else its own.
    private let throttling: RateLimitAccumulator
    private var warnings: [String] = []
    /// Each run's place on the wall clock, to tell runs started apart (``RunOverlap``).
    private var spans: [RunOverlap.Span] = []

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
        timeSeries = options.timeSeriesIntervalNanos.map(TimeSeriesAccumulator.init(intervalNanos:))
        let rateLimits = options.rateLimitIntervalNanos.map {
            RateLimitAccumulator(intervalSeconds: Int($0 / 1_000_000_000))
        }
        self.rateLimits = rateLimits
        throttling = rateLimits ?? RateLimitAccumulator(intervalSeconds: 10)
    }

    /// The short name of the run being read (``RunInfo/name``), nil before the first.
    public var currentRunName: String? { runs.last?.name }

    /// Starts a run: the events added next belong to it.
    /// - Parameters:
    ///   - header: its event log's header.
    ///   - path: the events file, for the run's name.
    public func beginRun(_ header: RunHeader, path: String) {
        self.header = header
        var name = RunInfo.name(forEventsPath: path)
        if runs.contains(where: { $0.name == name }) { name += " #\(runs.count + 1)" }
        runs.append(RunInfo(name: name, path: path, header: header))
        spans.append(RunOverlap.Span(name: name, startedAt: header.startedAt))
        throttling.addSchedule(header.stages)
        stageGroups = [:]
        runGroup = nil
        switch options.groupBy {
        case .model: runGroup = group(header.model ?? "(no model)", order: 0)
        case .provider: runGroup = group(header.provider ?? "(no provider)", order: 0)
        case .run: runGroup = group(name, order: runs.count)
        case .stage, .status, .promptSet, nil: break
        }
    }

    /// Adds one event of the current run.
    public func add(_ entry: EventLogEntry) {
        switch entry {
        case .attempt(let attempt):
            overall.record(attempt)
            groupRecorder(for: attempt)?.record(attempt)
            timeSeries?.add(attempt)
            throttling.add(attempt)
            if !runs.isEmpty {
                runs[runs.count - 1].attempts += 1
                spans[spans.count - 1].add(startNanos: attempt.startNanos, endNanos: attempt.endNanos)
            }
        case .dropped(let intendedNanos):
            addDropped(DroppedArrivals(intendedNanos: intendedNanos))
        case .droppedArrivals(let drops):
            addDropped(drops)
        case .end(let end):
            if !runs.isEmpty { runs[runs.count - 1].complete = true }
            if let client = end.client { clientChecks.append((runs.last?.name ?? "", client)) }
        case .other:
            break
        }
    }

    /// Ends the current run, keeping its reader's warnings for the report.
    public func endRun(warnings: [String]) {
        self.warnings += warnings
    }

    /// The report of everything added so far.
    public func report() -> Report {
        let ordered = groups.keys.sorted { (groupOrder[$0] ?? (0, $0)) < (groupOrder[$1] ?? (0, $1)) }
        let percentiles = options.percentiles
        let limits = throttling.view()
        var report = Report(
            runs: runs, overall: GroupReport(name: "all", recorder: overall, percentiles: percentiles),
            groupBy: options.groupBy,
            groups: ordered.map { GroupReport(name: $0, recorder: groups[$0]!, percentiles: percentiles) },
            timeSeries: timeSeries?.timeSeries(), rateLimits: rateLimits == nil ? nil : limits, warnings: warnings,
            showsIntendedStart: Report.showsIntendedStart(overall))
        report.percentiles = percentiles
        report.throttling = Throttling(limits)
        report.client = ClientCheck.merged(clientChecks)
        if options.groupBy != .run, let apart = RunOverlap.warning(
            spans, mergedElapsedSeconds: report.overall.elapsedSeconds, requests: report.overall.requests)
        {
            report.warnings.append(apart)
        }
        if let timeSeries, timeSeries.beyondLastBin > 0 {
            report.warnings.append("\(timeSeries.beyondLastBin) event times lay beyond \(TimeSeriesAccumulator.maxBins) "
                + "intervals and were left out of the time series")
        }
        return report
    }

    // MARK: - Groups

    private func group(_ name: String, order: Int) -> RunRecorder {
        if let existing = groups[name] { return existing }
        let recorder = RunRecorder()
        groups[name] = recorder
        groupOrder[name] = (order, name)
        return recorder
    }

    private func groupRecorder(for attempt: AttemptRecord) -> RunRecorder? {
        switch options.groupBy {
        case nil: return nil
        case .model, .provider, .run: return runGroup
        case .stage: return stageGroup(attempt.stage ?? stageIndex(atNanos: attempt.intendedStartNanos))
        case .promptSet:
            let set = promptSet(attempt.prompt)
            return group(set.name, order: set.order)
        case .status:
            if let recorder = statusGroups[attempt.status] { return recorder }
            let name = attempt.status == 0 ? "0 (no response)" : String(attempt.status)
            let recorder = group(name, order: attempt.status)
            statusGroups[attempt.status] = recorder
            return recorder
        }
    }

    private func stageGroup(_ index: Int?) -> RunRecorder {
        let key = index ?? -1
        if let recorder = stageGroups[key] { return recorder }
        var name = "(no stage)"
        if let index {
            name = String(index)
            if let stages = header?.stages, index < stages.count, !stages[index].label.isEmpty {
                name += " (\(stages[index].label))"
            }
        }
        let recorder = group(name, order: key)
        stageGroups[key] = recorder
        return recorder
    }

    /// The header's prompt set holding prompt `index`: its name, and its position for the group order.
    private func promptSet(_ index: Int?) -> (name: String, order: Int) {
        guard let index else { return ("(no prompt recorded)", Int.max) }
        if let position = header?.promptSets.firstIndex(where: { index >= $0.first && index < $0.first + $0.count }) {
            return (header!.promptSets[position].name, position)
        }
        return ("(prompt \(index), no set)", Int.max)
    }

    /// The header stage `nanos` falls in (the last one starting at or before it).
    /// Dropped arrivals: offered load of the run, of its stages (a count spread over its span) and
    /// of the time bins; a dropped arrival never got a status or a prompt.
    private func addDropped(_ drops: DroppedArrivals) {
        overall.recordDropped(count: drops.count)
        switch options.groupBy {
        case .stage:
            for piece in drops.pieces(intervalNanos: Self.dropStageSliceNanos) {
                stageGroup(stageIndex(atNanos: UInt64(piece.interval) * Self.dropStageSliceNanos))
                    .recordDropped(count: piece.count)
            }
        case .status, .promptSet, nil: break
        case .model, .provider, .run: runGroup?.recordDropped(count: drops.count)
        }
        timeSeries?.addDropped(drops)
        throttling.addDropped(drops)
    }

    /// A counted `dropped` line's span is cut into slices this long to find their stages.
    private static let dropStageSliceNanos: UInt64 = 100_000_000

    private func stageIndex(atNanos nanos: UInt64) -> Int? {
        guard let stages = header?.stages, !stages.isEmpty else { return nil }
        return stages.lastIndex { $0.startNanos <= nanos }
    }
}
