internal import CLibUV
import Foundation
import LoadCore

/// One libcurl easy handle and the state of the attempt it is carrying. Handles are reused across
/// attempts (connections live in the multi handle's cache, not here).
///
/// libcurl calls the write and header callbacks synchronously from `curl_multi_socket_action`;
/// they only touch this object's own state.
final class Transfer {
    let easy: UnsafeMutableRawPointer
    /// The multi handle this transfer always runs in (its connections live in that handle's cache).
    unowned let multi: CurlMulti
    private let template: RequestTemplate
    /// Hides the API key in every error text the attempt records.
    private let redactor: SecretRedactor
    private let originNanos: UInt64
    /// Watches this transfer's attempts for the TTFT and idle timeouts (nil for warm-up transfers).
    private let timeoutWatch: TimeoutWatch?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var loadedBodyIndex = -1

    // MARK: Per-attempt state
    private(set) var record = AttemptRecord(requestID: 0, intendedStartNanos: 0, startNanos: 0, endNanos: 0)
    private var decoder = SSEDecoder()
    private var parser: ProviderStreamParser
    private var responseStatus = 0
    private var isEventStream = false
    private var headersComplete = false
    private var body: [UInt8] = []
    private var sawDone = false
    private var failure: StreamFailure?
    private(set) var absoluteStartNanos: UInt64 = 0
    /// True from the handle's addition to the multi until its record is made (the engine sets it).
    var isInFlight = false
    /// Monotonic time of the last response byte (headers or body) of this attempt; nil before the first.
    private(set) var lastByteNanos: UInt64?
    /// Monotonic time the stream's end event (`[DONE]`) arrived; nil before.
    private(set) var streamDoneNanos: UInt64?
    /// Response headers the rate-limit parser reads (`x-ratelimit-*`, `anthropic-ratelimit-*`,
    /// `retry-after*`, `date`), as received; parsed once when the attempt ends.
    private var capturedHeaders: [UInt8] = []
    private var sawRateLimitHeader = false
    /// The TimeoutWatch's bookkeeping: this transfer's heap slot (-1: not in the heap) and check time.
    var timeoutHeapIndex = -1
    var timeoutCheckNanos: UInt64 = 0
    /// Stream bytes received since the last complete SSE event; bounds the decoder's buffers.
    private var bytesSinceLastEvent = 0
    /// Set when the transfer was aborted from the write callback because the server broke the protocol.
    private var abortReason: String?

    /// Bodies kept for non-streamed successes and for error responses (the error text).
    private static let maxBodyBytes = 1 << 20
    private static let maxErrorExcerpt = 300
    /// A single SSE event larger than this is a broken server, not a completion.
    private static let maxEventBytes = 1 << 20

    /// - Parameter warmup: send a GET to the same URL instead (opens a connection; the answer is ignored).
    init(template: RequestTemplate, multi: CurlMulti, originNanos: UInt64, timeoutWatch: TimeoutWatch? = nil,
         warmup: Bool = false) throws {
        guard let easy = curl_easy_init() else { throw EngineError("curl_easy_init failed") }
        self.easy = easy
        self.multi = multi
        self.template = template
        redactor = SecretRedactor(secrets: template.secrets)
        self.originNanos = originNanos
        parser = ProviderStreamParser(dialect: template.dialect)
        self.timeoutWatch = timeoutWatch
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure()
        multi.adopt(easy)
        if warmup {
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure() throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(template.url.withCString { CLibUV_easy_setopt_ptr(easy, CURLOPT_URL, $0) }, "CURLOPT_URL")
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_POST, 1), "CURLOPT_POST")
        // "Expect:" stops curl from waiting for a 100-continue on larger bodies; the rest are ours.
        for line in template.headers + ["Expect:"] {
            guard let appended = line.withCString({ curl_slist_append(headerList, $0) }) else {
                throw EngineError("curl_slist_append failed")
            }
            headerList = appended
        }
        try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        try check(CLibUV_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, transferWriteCallback), "WRITEFUNCTION")
        try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(CLibUV_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, transferHeaderCallback), "HEADERFUNCTION")
        try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_PRIVATE, context), "CURLOPT_PRIVATE")
        try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "CURLOPT_TCP_NODELAY")
        try configureTransport()
        try check(
            CLibUV_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(template.connectTimeoutNanos / 1_000_000)),
            "CONNECTTIMEOUT_MS")
        try check(
            CLibUV_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(template.totalTimeoutNanos / 1_000_000)),
            "TIMEOUT_MS")
        if template.targetsLoopback {
            // Proxies from the environment are for real providers; loopback traffic stays local.
            try check("*".withCString { CLibUV_easy_setopt_ptr(easy, CURLOPT_NOPROXY, $0) }, "CURLOPT_NOPROXY")
        }
    }

    /// HTTP version, TLS verification (on unless `insecure`; `caFile` replaces the system's CAs).
    private func configureTransport() throws {
        let version: Int
        switch template.httpVersion {
        case .http1_1:
            version = Int(CURL_HTTP_VERSION_1_1)
        case .http2:
            // https: h2 by ALPN (HTTP/1.1 if the server does not offer it); http: h2c with prior knowledge.
            version = template.url.lowercased().hasPrefix("https://")
                ? Int(CURL_HTTP_VERSION_2TLS) : Int(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE)
            // Wait for a connection that can multiplex rather than opening one per stream.
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1), "PIPEWAIT")
        }
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, version), "HTTP_VERSION")
        if let caFile = template.caFile {
            try check(caFile.withCString { CLibUV_easy_setopt_ptr(easy, CURLOPT_CAINFO, $0) }, "CURLOPT_CAINFO")
        }
        if template.insecure {
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "SSL_VERIFYPEER")
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "SSL_VERIFYHOST")
        }
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw EngineError("curl_easy_setopt(\(what)): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Resets the attempt state and loads the body for `requestID`. Call before adding the handle.
    func prepare(requestID: UInt64, userID: Int?, intendedStartNanos: UInt64, attemptNumber: Int = 1) throws {
        let bodyIndex = template.bodyIndex(forRequest: requestID)
        if bodyIndex != loadedBodyIndex {
            let bodyBytes = template.bodies[bodyIndex]
            try check(CLibUV_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyBytes.count)), "POSTFIELDSIZE")
            try check(bodyBytes.withUnsafeBytes { CLibUV_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }, "COPYPOSTFIELDS")
            loadedBodyIndex = bodyIndex
        }
        record = AttemptRecord(requestID: requestID, intendedStartNanos: intendedStartNanos, startNanos: 0, endNanos: 0)
        record.prompt = bodyIndex
        record.userID = userID
        record.attemptNumber = attemptNumber
        record.tokenOffsetsMicros.reserveCapacity(64)
        decoder.finish()  // resets it for a new stream, keeping its buffers
        parser.reset()
        responseStatus = 0
        isEventStream = false
        headersComplete = false
        body.removeAll(keepingCapacity: false)
        sawDone = false
        failure = nil
        bytesSinceLastEvent = 0
        abortReason = nil
        lastByteNanos = nil
        streamDoneNanos = nil
        capturedHeaders.removeAll(keepingCapacity: true)
        sawRateLimitHeader = false
        errorBuffer[0] = 0
    }

    /// Marks the moment the attempt is handed to libcurl.
    func markStarted(atNanos now: UInt64) {
        absoluteStartNanos = now
        record.startNanos = now - originNanos
        timeoutWatch?.attemptStarted(self)
    }

    /// True while the TTFT timeout applies: no content token yet (for a non-streamed answer, no body
    /// byte yet), and the response is not an error status (which will never carry a token).
    var awaitsFirstToken: Bool {
        if record.firstTokenNanos != nil { return false }
        if headersComplete {
            if !(200..<300).contains(responseStatus) { return false }
            if !isEventStream && record.firstByteNanos != nil { return false }
        }
        return true
    }

    // MARK: - Callbacks

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        guard let first = line.first else { return }
        if line.count >= 5, first == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[4] == UInt8(ascii: "/") {
            // A status line; a 1xx response is followed by another one, so everything resets.
            responseStatus = Self.parseStatus(line)
            isEventStream = false
            headersComplete = false
            capturedHeaders.removeAll(keepingCapacity: true)
            sawRateLimitHeader = false
            return
        }
        if first == UInt8(ascii: "\r") || first == UInt8(ascii: "\n") {
            if responseStatus >= 200 && !headersComplete {
                headersComplete = true
                let now = MonotonicClock.nowNanos()
                record.headersNanos = now - originNanos
                lastByteNanos = now
            }
            return
        }
        switch Self.lowercased(first) {
        case UInt8(ascii: "c"):
            if Self.hasPrefixIgnoringCase(line, "content-type:") {
                isEventStream = Self.contains(line, "text/event-stream")
            }
        case UInt8(ascii: "x"), UInt8(ascii: "a"), UInt8(ascii: "r"):
            if Self.hasPrefixIgnoringCase(line, "x-ratelimit-") || Self.hasPrefixIgnoringCase(line, "anthropic-ratelimit-")
                || Self.hasPrefixIgnoringCase(line, "retry-after") {
                sawRateLimitHeader = true
                capturedHeaders.append(contentsOf: line)
            }
        case UInt8(ascii: "d"):
            if Self.hasPrefixIgnoringCase(line, "date:") { capturedHeaders.append(contentsOf: line) }
        default:
            break
        }
    }

    /// - Returns: false to abort the transfer (the server broke the protocol).
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let now = MonotonicClock.nowNanos()
        lastByteNanos = now
        if record.firstByteNanos == nil {
            record.firstByteNanos = now - originNanos
        }
        if isEventStream && (200..<300).contains(responseStatus) {
            bytesSinceLastEvent += bytes.count
            decoder.feed(bytes) { event in
                self.handle(event, nowNanos: now)
            }
            if bytesSinceLastEvent > Self.maxEventBytes {
                abortReason = "an SSE event exceeded \(Self.maxEventBytes) bytes without ending"
                return false
            }
        } else if body.count < Self.maxBodyBytes {
            body.append(contentsOf: bytes.prefix(Self.maxBodyBytes - body.count))
        }
        return true
    }

    private func handle(_ event: SSEEvent, nowNanos now: UInt64) {
        bytesSinceLastEvent = 0
        let update = parser.parse(event)
        if update.tokens > 0 {
            if record.firstTokenNanos == nil {
                record.firstTokenNanos = now - originNanos
            }
            record.countedOutputTokens += update.tokens
            if record.tokenOffsetsMicros.count < template.maxTokenOffsets {
                let offset = (now - absoluteStartNanos) / 1_000
                for _ in 0..<min(update.tokens, template.maxTokenOffsets - record.tokenOffsetsMicros.count) {
                    record.tokenOffsetsMicros.append(UInt32(clamping: offset))
                }
            }
        }
        if let usage = update.usage {
            record.usageInputTokens = usage.inputTokens ?? record.usageInputTokens
            record.usageOutputTokens = usage.outputTokens ?? record.usageOutputTokens
            record.usageCachedInputTokens = usage.cachedInputTokens ?? record.usageCachedInputTokens
        }
        if let queueNanos = update.providerQueueNanos {
            record.providerQueueNanos = queueNanos
        }
        if update.done && !sawDone {
            sawDone = true
            streamDoneNanos = now
            timeoutWatch?.streamDone(self, atNanos: now)
        }
        if failure == nil, let reported = update.failure {
            failure = reported
        }
    }

    // MARK: - Completion

    /// Finishes the attempt after libcurl reported it done, and returns its record.
    func complete(result: CURLcode, atNanos now: UInt64) -> AttemptRecord {
        record.endNanos = now - originNanos
        let statusCode = fillTransportInfo()

        if let abortReason {
            record.errorClass = .protocol
            record.errorMessage = abortReason
        } else if headersComplete && !(200..<300).contains(statusCode) {
            // A final non-2xx status is the result even when its body was then cut short: a 429 is a
            // 429 whether or not its error text arrived whole.
            record.errorClass = ErrorClassification.errorClass(forStatus: statusCode)
            var message = "HTTP \(statusCode): \(excerpt(body))"
            if result != CURLE_OK { message += " (body cut short: \(String(cString: curl_easy_strerror(result))))" }
            record.errorMessage = redact(message)
        } else if result != CURLE_OK {
            // A timeout before the request could be sent (no PRETRANSFER time) is a connect timeout.
            let connected = curlTime(CURLINFO_PRETRANSFER_TIME_T) != nil
            record.errorClass = ErrorClassification.errorClass(for: result, connected: connected)
            let detail = String(cString: errorBuffer)
            let summary = String(cString: curl_easy_strerror(result))
            record.errorMessage = redact(detail.isEmpty ? summary : "\(summary): \(detail)")
        } else if !(200..<300).contains(statusCode) {
            // Headers never completed (or a 1xx/3xx without a body we follow).
            record.errorClass = ErrorClassification.errorClass(forStatus: statusCode)
            record.errorMessage = redact("HTTP \(statusCode): \(excerpt(body))")
        } else if isEventStream {
            let droppedPartialEvent = decoder.finish()
            if let failure {
                record.errorClass = ErrorClassification.errorClass(for: failure)
                record.errorMessage = redact(failure.message)
            } else if !sawDone {
                record.errorClass = .protocol
                let marker = template.dialect.endMarker
                record.errorMessage = droppedPartialEvent
                    ? "stream ended inside an event, before \(marker)" : "stream ended before \(marker)"
            }
        } else {
            let update = ProviderStreamParser.parseBody(body, dialect: template.dialect)
            if let failure = update.failure {
                record.errorClass = ErrorClassification.errorClass(for: failure)
                record.errorMessage = redact(failure.message)
            } else {
                record.firstTokenNanos = record.firstByteNanos
                record.countedOutputTokens = update.tokens
                record.usageInputTokens = update.usage?.inputTokens
                record.usageOutputTokens = update.usage?.outputTokens
                record.usageCachedInputTokens = update.usage?.cachedInputTokens
                record.providerQueueNanos = update.providerQueueNanos
            }
        }
        body.removeAll(keepingCapacity: false)
        return record
    }

    /// Ends an attempt the timeout watch gave up on (the caller removed it from the multi first).
    func expire(_ expiry: TimeoutWatch.Expiry, atNanos now: UInt64) -> AttemptRecord {
        if expiry == .doneButOpen, let done = streamDoneNanos {
            // The stream is complete: it ends, as a success, when its end event arrived.
            return complete(result: CURLE_OK, atNanos: done)
        }
        record.endNanos = now - originNanos
        let statusCode = fillTransportInfo()
        let what: String
        switch expiry {
        case .ttft:
            record.errorClass = .timeoutTTFT
            what = "no content token within \(DurationFormat.format(nanos: template.ttftTimeoutNanos ?? 0)) of the start (limits.ttft_timeout)"
        case .idle, .doneButOpen:
            record.errorClass = .timeoutIdle
            what = "no byte for \(DurationFormat.format(nanos: template.idleTimeoutNanos ?? 0)) (limits.idle_timeout)"
        }
        if headersComplete && !(200..<300).contains(statusCode) {
            // The status is the result; the stalled error body is only a detail.
            record.errorClass = ErrorClassification.errorClass(forStatus: statusCode)
            record.errorMessage = redact("HTTP \(statusCode): \(excerpt(body)) (body stalled: \(what))")
        } else {
            record.errorMessage = what
        }
        _ = decoder.finish()
        body.removeAll(keepingCapacity: false)
        return record
    }

    /// Reads the status and libcurl's phase times into the record, parses the rate-limit headers,
    /// and returns the status.
    private func fillTransportInfo() -> Int {
        var statusCode = 0
        CLibUV_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &statusCode)
        record.status = statusCode
        record.dnsNanos = curlTime(CURLINFO_NAMELOOKUP_TIME_T)
        record.connectNanos = curlTime(CURLINFO_CONNECT_TIME_T)
        record.tlsNanos = curlTime(CURLINFO_APPCONNECT_TIME_T)
        if sawRateLimitHeader {
            record.rateLimit = parseRateLimitHeaders()
        }
        return statusCode
    }

    /// The captured rate-limit headers, with absolute times taken relative to the response's `Date`
    /// or, without one, to the wall-clock time the headers arrived.
    private func parseRateLimitHeaders() -> RateLimitSnapshot? {
        let lines = capturedHeaders.split(whereSeparator: { $0 == 13 || $0 == 10 }).map {
            String(decoding: $0, as: UTF8.self)
        }
        let nowMonotonic = MonotonicClock.nowNanos()
        let headersAbsolute = record.headersNanos.map { $0 + originNanos } ?? nowMonotonic
        let receivedAt = Date().timeIntervalSince1970 - Double(nowMonotonic - min(headersAbsolute, nowMonotonic)) / 1e9
        return RateLimitHeaderParser.parse(lines: lines, receivedAtUnixSeconds: receivedAt)
    }

    /// Ends an attempt that the run abandoned (it is removed from the multi by the caller).
    func cancel(atNanos now: UInt64) -> AttemptRecord {
        record.endNanos = now - originNanos
        record.errorClass = .cancelled
        record.errorMessage = "cancelled by a second interrupt"
        return record
    }

    /// A libcurl phase time (µs after the transfer began) as nanoseconds on the run clock, or nil when
    /// the phase did not happen for this attempt (e.g. no connect on a reused connection).
    private func curlTime(_ info: CURLINFO) -> UInt64? {
        var micros: curl_off_t = 0
        guard CLibUV_easy_getinfo_off_t(easy, info, &micros) == CURLE_OK, micros > 0 else { return nil }
        return record.startNanos + UInt64(micros) * 1_000
    }

    private func redact(_ text: String) -> String {
        redactor.redact(text)
    }

    /// The start of the error body, secrets hidden before the cut (so none crosses it).
    private func excerpt(_ bytes: [UInt8]) -> String {
        redactor.excerpt(bytes, limit: Self.maxErrorExcerpt)
    }

    // MARK: - Header parsing helpers

    private static func parseStatus(_ line: UnsafeRawBufferPointer) -> Int {
        // "HTTP/1.1 200 OK" or "HTTP/2 200": the three digits after the first space.
        guard let space = line.firstIndex(of: UInt8(ascii: " ")), space + 3 < line.count else { return 0 }
        var status = 0
        for index in (space + 1)...(space + 3) {
            let digit = Int(line[index]) - 48
            guard (0...9).contains(digit) else { return 0 }
            status = status * 10 + digit
        }
        return status
    }

    private static func hasPrefixIgnoringCase(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let start = prefix.utf8Start
        for index in 0..<count where lowercased(line[index]) != start[index] {
            return false
        }
        return true
    }

    private static func contains(_ line: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let start = needle.utf8Start
        outer: for offset in 0...(line.count - count) {
            for index in 0..<count where lowercased(line[offset + index]) != start[index] {
                continue outer
            }
            return true
        }
        return false
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte + 32 : byte
    }
}

/// Recovers the transfer from libcurl's opaque user pointer.
func transfer(from context: UnsafeMutableRawPointer?) -> Transfer {
    Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
}

private let transferWriteCallback: @convention(c) (
    UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?
) -> Int = { data, size, count, context in
    let length = size * count
    // Returning less than `length` makes libcurl abort the transfer.
    return transfer(from: context).receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let transferHeaderCallback: @convention(c) (
    UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?
) -> Int = { data, size, count, context in
    let length = size * count
    transfer(from: context).receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
