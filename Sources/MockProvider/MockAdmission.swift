import LoadCore
import NIOCore

/// The server-wide gates every completion request passes before it is generated: the rate limits
/// (`MockRateLimiter`) and the generation slots (`MockCapacityGate`). One instance is shared by all
/// event loops; nil parts are not configured and cost nothing.
final class MockAdmission: Sendable {
    let rateLimiter: MockRateLimiter?
    let capacity: MockCapacityGate?

    /// Nil when the configuration sets neither limit.
    init?(config: MockConfig) {
        let settings = config.settings
        guard settings.rateLimit != nil || settings.capacity != nil else { return nil }
        rateLimiter = settings.rateLimit.map { MockRateLimiter(config: $0, nowNanos: NIODeadline.now().uptimeNanoseconds) }
        capacity = settings.capacity.map { MockCapacityGate(capacity: $0) }
    }
}
