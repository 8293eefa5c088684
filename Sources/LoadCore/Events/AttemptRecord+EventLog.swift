import Foundation

/// The `{"type":"attempt"}` line of the event log. Timestamps are microseconds since the run origin
/// with one decimal (`*_us`); optional fields are omitted when nil.
///
///     {"type":"attempt","request":7,"attempt":1,"user":3,"intended_us":1500.0,"start_us":1502.3,
///      "connect_us":1710.0,"tls_us":..,"headers_us":..,"first_byte_us":..,"first_token_us":..,
///      "end_us":..,"status":200,"error":"timeout","error_message":"..","tokens":32,
///      "usage_output_tokens":32,"usage_input_tokens":12,"cost_usd":0.000123,
///      "ratelimit":{"requests":{"limit":600,"remaining":12,"reset_ms":6000},"retry_after_ms":1000},
///      "token_offsets_us":[201000,211000],"measurement_delay_us":[41,38]}
extension AttemptRecord {
    /// Every key an attempt line may have (what `encode` writes and `init(eventObject:)` reads).
    /// The reader warns about any other key; keep this list in step with the two.
    static let eventLogKeys: Set<String> = [
        "type", "request", "attempt", "user", "intended_us", "start_us", "stage", "prompt", "dns_us", "connect_us", "tls_us",
        "headers_us", "first_byte_us", "first_token_us", "end_us", "status", "error", "error_message", "tokens",
        "usage_output_tokens", "usage_input_tokens", "usage_cached_input_tokens", "provider_queue_us", "cost_usd",
        "ratelimit", "will_retry", "cancel_reason", "token_offsets_us", "measurement_delay_us",
    ]

    func encode(into line: inout JSONLineBuffer) {
        line.beginObject()
        line.field("type", "attempt")
        line.field("request", requestID)
        line.field("attempt", attemptNumber)
        if let userID { line.field("user", userID) }
        line.field("intended_us", nanosAsMicros: intendedStartNanos)
        line.field("start_us", nanosAsMicros: startNanos)
        if let stage { line.field("stage", stage) }
        if let prompt { line.field("prompt", prompt) }
        if let dnsNanos { line.field("dns_us", nanosAsMicros: dnsNanos) }
        if let connectNanos { line.field("connect_us", nanosAsMicros: connectNanos) }
        if let tlsNanos { line.field("tls_us", nanosAsMicros: tlsNanos) }
        if let headersNanos { line.field("headers_us", nanosAsMicros: headersNanos) }
        if let firstByteNanos { line.field("first_byte_us", nanosAsMicros: firstByteNanos) }
        if let firstTokenNanos { line.field("first_token_us", nanosAsMicros: firstTokenNanos) }
        line.field("end_us", nanosAsMicros: endNanos)
        line.field("status", status)
        if let errorClass { line.field("error", errorClass.rawValue) }
        if let errorMessage { line.field("error_message", errorMessage) }
        line.field("tokens", countedOutputTokens)
        if let usageOutputTokens { line.field("usage_output_tokens", usageOutputTokens) }
        if let usageInputTokens { line.field("usage_input_tokens", usageInputTokens) }
        if let usageCachedInputTokens { line.field("usage_cached_input_tokens", usageCachedInputTokens) }
        if let providerQueueNanos { line.field("provider_queue_us", nanosAsMicros: providerQueueNanos) }
        if let costUSD { line.field("cost_usd", costUSD) }
        if let rateLimit, !rateLimit.isEmpty { rateLimit.encode(into: &line) }
        if willRetry { line.field("will_retry", true) }
        if let cancelReason { line.field("cancel_reason", cancelReason) }
        line.field("token_offsets_us", tokenOffsetsMicros)
        if !measurementDelaysMicros.isEmpty { line.field("measurement_delay_us", measurementDelaysMicros) }
        line.endLine()
    }

    /// Decodes an attempt line's JSON object. - Throws: a reason string on a missing or bad field.
    init(eventObject object: JSONValue) throws {
        func nanos(_ key: String) throws -> UInt64? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let nanos = EventLogReader.nanos(value) else {
                throw EventDecodingProblem("\(key) must be a non-negative number of microseconds")
            }
            return nanos
        }
        func required(_ key: String) throws -> UInt64 {
            guard let value = try nanos(key) else { throw EventDecodingProblem("missing \(key)") }
            return value
        }
        func int(_ key: String) throws -> Int? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let number = value.intValue else { throw EventDecodingProblem("\(key) must be an integer") }
            return number
        }
        guard let request = try int("request"), request >= 0 else { throw EventDecodingProblem("missing request") }
        self.init(requestID: UInt64(request), intendedStartNanos: try required("intended_us"),
                  startNanos: try required("start_us"), endNanos: try required("end_us"))
        attemptNumber = try int("attempt") ?? 1
        userID = try int("user")
        connectNanos = try nanos("connect_us")
        tlsNanos = try nanos("tls_us")
        headersNanos = try nanos("headers_us")
        firstByteNanos = try nanos("first_byte_us")
        firstTokenNanos = try nanos("first_token_us")
        status = try int("status") ?? 0
        if let raw = object["error"]?.stringValue {
            guard let errorClass = ErrorClass(logName: raw) else {
                throw EventDecodingProblem("unknown error class \"\(raw)\"")
            }
            self.errorClass = errorClass
        }
        errorMessage = object["error_message"]?.stringValue
        countedOutputTokens = try int("tokens") ?? 0
        usageOutputTokens = try int("usage_output_tokens")
        usageInputTokens = try int("usage_input_tokens")
        stage = try int("stage")
        prompt = try int("prompt")
        dnsNanos = try nanos("dns_us")
        usageCachedInputTokens = try int("usage_cached_input_tokens")
        providerQueueNanos = try nanos("provider_queue_us")
        if let cost = object["cost_usd"], !cost.isNull {
            guard let number = cost.doubleValue else { throw EventDecodingProblem("cost_usd must be a number") }
            costUSD = number
        }
        if let limits = object["ratelimit"], !limits.isNull {
            guard limits.isObject else { throw EventDecodingProblem("ratelimit must be an object") }
            rateLimit = try RateLimitSnapshot(eventObject: limits)
        }
        willRetry = object["will_retry"]?.boolValue ?? false
        cancelReason = object["cancel_reason"]?.stringValue
        if let offsets = object["token_offsets_us"] {
            let numbers = offsets.arrayValue?.compactMap { $0.intValue.map(Int64.init) ?? $0.uint64Value.map { Int64(truncatingIfNeeded: $0) } }
            guard let numbers, numbers.count == offsets.arrayValue?.count else {
                throw EventDecodingProblem("token_offsets_us must be an array of integers")
            }
            tokenOffsetsMicros = numbers.map { UInt32(truncatingIfNeeded: $0) }
        }
        if let delays = object["measurement_delay_us"], !delays.isNull {
            let numbers = delays.arrayValue?.compactMap { $0.intValue.map(Int64.init) ?? $0.uint64Value.map { Int64(truncatingIfNeeded: $0) } }
            guard let numbers, numbers.count == delays.arrayValue?.count else {
                throw EventDecodingProblem("measurement_delay_us must be an array of integers")
            }
            measurementDelaysMicros = numbers.map { UInt32(truncatingIfNeeded: $0) }
        }
    }
}

extension RateLimitSnapshot {
    /// `"ratelimit":{"requests":{"limit":..,"remaining":..,"reset_ms":..},"tokens":{..},
    /// "input_tokens":{..},"output_tokens":{..},"retry_after_ms":..}`; absent parts are left out.
    func encode(into line: inout JSONLineBuffer) {
        line.key("ratelimit")
        line.beginNestedObject()
        func window(_ name: StaticString, _ window: Window?) {
            guard let window, !window.isEmpty else { return }
            line.key(name)
            line.beginNestedObject()
            if let limit = window.limit { line.field("limit", limit) }
            if let remaining = window.remaining { line.field("remaining", remaining) }
            if let reset = window.resetMillis { line.field("reset_ms", reset) }
            line.endNestedObject()
        }
        window("requests", requests)
        window("tokens", tokens)
        window("input_tokens", inputTokens)
        window("output_tokens", outputTokens)
        if let retryAfterMillis { line.field("retry_after_ms", retryAfterMillis) }
        line.endNestedObject()
    }

    init(eventObject object: JSONValue) throws {
        func window(_ key: String) throws -> Window? {
            guard let fields = object[key], !fields.isNull else { return nil }
            guard fields.isObject else { throw EventDecodingProblem("ratelimit.\(key) must be an object") }
            func number(_ name: String) throws -> Double? {
                guard let value = fields[name], !value.isNull else { return nil }
                guard let number = value.doubleValue else {
                    throw EventDecodingProblem("ratelimit.\(key).\(name) must be a number")
                }
                return number
            }
            return Window(limit: try number("limit"), remaining: try number("remaining"), resetMillis: try number("reset_ms"))
        }
        self.init(requests: try window("requests"), tokens: try window("tokens"),
                  inputTokens: try window("input_tokens"), outputTokens: try window("output_tokens"),
                  retryAfterMillis: object["retry_after_ms"]?.doubleValue)
    }
}

/// A field-level decoding problem; the reader adds file and line.
struct EventDecodingProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
