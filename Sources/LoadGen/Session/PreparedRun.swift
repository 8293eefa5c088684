import Foundation
import LoadCore
import LoadEngine
import MockProvider

/// Everything a run needs before its first request, built in the order in which it can fail: the
/// plan, the API key, the prices, the embedded mock (provider mock), the request template and the
/// engine. Nothing is written before all of it exists.
final class PreparedRun {
    let plan: LoadPlan
    let apiKey: String?
    let pricing: RunPricing
    let promptMix: PromptMix
    let template: RequestTemplate
    /// One engine per worker (`--workers`), each with its slice's plan; one without the flag.
    let engines: [Engine]
    /// The first (or only) worker's engine.
    var engine: Engine { engines[0] }
    /// The API root the requests go to (the embedded mock's for provider mock).
    let baseURL: String
    /// The in-process mock (provider mock), shut down by ``shutDown()``.
    private(set) var mockServer: MockServer?
    /// The run's file descriptors at its peak.
    let descriptors: DescriptorLimit
    /// Set when limits.max_in_flight was lowered to fit the open-file limit: what to tell the user.
    private(set) var descriptorNote: String?

    /// - Throws: ``CLIError`` for a missing key, an unpriced budget or an unreadable catalog, and the
    ///   engine's and the mock's errors.
    /// - Parameter fileLimit: the open-file limit the run may use (the soft limit, raised).
    /// - Throws: also when the run's peak is sure to need more file descriptors than `fileLimit`.
    init(profile: Profile, settings: RunSettings, fileLimit: Int) throws {
        var plan = try PlanFactory.plan(profile, slice: settings.shard ?? .whole)
        plan.warmupConnections = settings.warmupConnections
        apiKey = try RequestFactory.apiKey(for: profile.target, environment: settings.environment)
        pricing = try RunPricing(profile: profile, modelsFile: settings.modelsFile)
        if profile.target.provider == .mock {
            let started = try EmbeddedMock.start(profile.target.mock ?? Profile.MockSettings(), seed: profile.seed)
            mockServer = started.server
            baseURL = started.baseURL
        } else {
            baseURL = profile.target.baseURL ?? Profile.Target.openAIBaseURL
            if let problem = TargetURLCheck.problem(baseURL) {
                throw CLIError("target.base_url: \(problem)", exitCode: ExitStatus.invalidInput)
            }
        }
        descriptors = DescriptorLimit(profile: profile, warmupConnections: settings.warmupConnections,
                                      embeddedMock: mockServer != nil, openAtStart: DescriptorLimit.openNow())
        switch descriptors.decision(limit: fileLimit, maxInFlight: plan.maxInFlight) {
        case .fits:
            break
        case let .lowerMaxInFlight(to: maxInFlight, note: note):
            plan.maxInFlight = maxInFlight
            descriptorNote = note
        case .refuse(let reason):
            mockServer?.shutdown()
            throw CLIError(reason, exitCode: ExitStatus.invalidInput)
        }
        self.plan = plan
        do {
            promptMix = PromptMix(sets: profile.prompts)
            var template = try RequestFactory.template(
                profile: profile, mix: promptMix, baseURL: baseURL, apiKey: apiKey, insecure: settings.insecure,
                environment: settings.environment)
            if let caFile = settings.caFile { template.caFile = URL(fileURLWithPath: caFile).standardized.path }
            self.template = template
            engines = try Self.workerPlans(profile, plan: plan, settings: settings).map { workerPlan in
                let engine = try Engine(template: template, plan: workerPlan)
                engine.drainGraceMillis = profile.limits.graceNanos / 1_000_000
                return engine
            }
        } catch {
            mockServer?.shutdown()
            throw error
        }
    }

    /// Worker *w* of *W* runs slice *s* + *S*·*w* of *S*·*W* when this process runs shard *s* of *S*
    /// (the whole run: *S* = 1): the workers of every shard together run the whole schedule once.
    /// Limits on what runs at once (in flight, queued, connections) are dealt like the users
    /// (``ScheduleSlice/share(of:)``); in flight and connections at least 1 each.
    private static func workerPlans(_ profile: Profile, plan: LoadPlan, settings: RunSettings) throws -> [LoadPlan] {
        let workers = settings.workers
        guard workers > 1 else { return [plan] }
        let shard = settings.shard ?? .whole
        return try (0..<workers).map { worker in
            let slice = ScheduleSlice(index: shard.index + shard.count * worker, count: shard.count * workers)
            let share = ScheduleSlice(index: worker, count: workers)
            var workerPlan = try PlanFactory.plan(profile, slice: slice)
            workerPlan.warmupConnections = plan.warmupConnections
            workerPlan.maxInFlight = max(1, share.share(of: plan.maxInFlight))
            workerPlan.maxQueued = share.share(of: plan.maxQueued)
            workerPlan.maxConnections = plan.maxConnections.map { max(1, share.share(of: $0)) }
            return workerPlan
        }
    }

    /// Whether the mock runs in this process (its CPU time counts in the process's).
    var hasEmbeddedMock: Bool { mockServer != nil }

    /// Stops the embedded mock, if any.
    func shutDown() {
        mockServer?.shutdown()
        mockServer = nil
    }

    deinit {
        mockServer?.shutdown()
    }
}
