internal import CLibUV
import Foundation
import LoadCore

/// One libcurl easy handle and the state of the attempt it is carrying. Handles are reused across
/// attempts (connections live in the multi handle's cache, not here).
///
/// libcurl calls the write and header callbacks (`TransferCallbacks.swift`) synchronously from
/// `curl_multi_socket_action`; they only touch this object's own state. The pieces:
/// `CurlEasyOptions` sets the handle up, `ResponseHeaderScan` reads the header lines,
/// `ResponseBodyReader` the body (the SSE stream), and `AttemptOutcome` classifies the end.
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
    private var headers = ResponseHeaderScan()
    private let reader: ResponseBodyReader
    private(set) var absoluteStartNanos: UInt64 = 0
    /// True from the handle's addition to the multi until its record is made (the engine sets it).
    var isInFlight = false
    /// Monotonic time of the last response byte libcurl handed over (a header line or a piece of
    /// body) of this attempt; nil before the first. The idle timeout runs from it.
    private(set) var lastByteNanos: UInt64?
    /// Monotonic time the stream's end event (`[DONE]`) arrived; nil before.
    private(set) var streamDoneNanos: UInt64?
    /// The TimeoutWatch's bookkeeping: this transfer's heap slot (-1: not in the heap) and check time.
    var timeoutHeapIndex = -1
    var timeoutCheckNanos: UInt64 = 0
    /// Set when the transfer was aborted from the write callback because the server broke the protocol.
    private var abortReason: String?
    /// The errno of this attempt's last failed socket(2) (0: none), for `client_fds`.
    var socketErrno: Int32 = 0

    /// - Parameter warmup: send a GET to the same URL instead (opens a connection; the answer is ignored).
    init(template: RequestTemplate, multi: CurlMulti, originNanos: UInt64, timeoutWatch: TimeoutWatch? = nil,
         warmup: Bool = false) throws {
        guard let easy = curl_easy_init() else { throw EngineError("curl_easy_init failed") }
        self.easy = easy
        self.multi = multi
        self.template = template
        redactor = SecretRedactor(secrets: template.secrets)
        self.originNanos = originNanos
        reader = ResponseBodyReader(dialect: template.dialect)
        self.timeoutWatch = timeoutWatch
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        headerList = try CurlEasyOptions.configure(
            easy, template: template, context: Unmanaged.passUnretained(self).toOpaque(), errorBuffer: errorBuffer,
            onBody: transferWriteCallback, onHeader: transferHeaderCallback, openSocket: transferOpenSocketCallback)
        multi.adopt(easy)
        if warmup { try CurlEasyOptions.useGet(easy) }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Resets the attempt state and loads the body for `requestID`. Call before adding the handle.
    func prepare(requestID: UInt64, userID: Int?, intendedStartNanos: UInt64, attemptNumber: Int = 1) throws {
        let bodyIndex = template.bodyIndex(forRequest: requestID)
        if bodyIndex != loadedBodyIndex {
            try CurlEasyOptions.setBody(easy, template.bodies[bodyIndex])
            loadedBodyIndex = bodyIndex
        }
        record = AttemptRecord(requestID: requestID, intendedStartNanos: intendedStartNanos, startNanos: 0, endNanos: 0)
        record.prompt = bodyIndex
        record.userID = userID
        record.attemptNumber = attemptNumber
        record.tokenOffsetsMicros.reserveCapacity(64)
        headers.reset()
        reader.reset()
        abortReason = nil
        socketErrno = 0
        lastByteNanos = nil
        streamDoneNanos = nil
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
        if headers.isComplete {
            if !headers.isSuccess { return false }
            if !reader.isEventStream && record.firstByteNanos != nil { return false }
        }
        return true
    }

    // MARK: - Callbacks

    func receiveHeader(_ line: UnsafeRawBufferPointer) {
        // Every header line restarts the idle clock, so a server trickling its headers is idle too.
        let now = MonotonicClock.nowNanos()
        lastByteNanos = now
        if headers.scan(line) {
            record.headersNanos = now - originNanos
        }
    }

    /// - Returns: false to abort the transfer (the server broke the protocol).
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let now = MonotonicClock.nowNanos()
        lastByteNanos = now
        if record.firstByteNanos == nil {
            record.firstByteNanos = now - originNanos
        }
        // Once the body is known to be a stream, the headers (and a copy of them) are not needed.
        abortReason = reader.isEventStream
            ? reader.feed(bytes) { update in self.absorb(update, nowNanos: now) }
            : reader.receive(bytes, headers: headers) { update in self.absorb(update, nowNanos: now) }
        return abortReason == nil
    }

    /// Adds what one stream event brought to the record.
    private func absorb(_ update: StreamUpdate, nowNanos now: UInt64) {
        if update.tokens > 0 {
            if record.firstTokenNanos == nil {
                record.firstTokenNanos = now - originNanos
            }
            record.countedOutputTokens += update.tokens
            if record.tokenOffsetsMicros.count < template.maxTokenOffsets {
                let offset = UInt32(clamping: (now - absoluteStartNanos) / 1_000)
                let count = min(update.tokens, template.maxTokenOffsets - record.tokenOffsetsMicros.count)
                record.tokenOffsetsMicros.append(contentsOf: repeatElement(offset, count: count))
            }
            if let sent = update.sentStampNanos, record.measurementDelaysMicros.count < template.maxTokenOffsets {
                // The mock's write and this chunk's timestamp, both CLOCK_MONOTONIC (uv_hrtime).
                if record.measurementDelaysMicros.isEmpty { record.measurementDelaysMicros.reserveCapacity(64) }
                let delay = UInt32(clamping: ((now > sent ? now - sent : 0) + 500) / 1_000)
                let count = min(update.tokens, template.maxTokenOffsets - record.measurementDelaysMicros.count)
                record.measurementDelaysMicros.append(contentsOf: repeatElement(delay, count: count))
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
        if update.done && streamDoneNanos == nil {
            streamDoneNanos = now
            timeoutWatch?.streamDone(self, atNanos: now)
        }
    }

    // MARK: - Completion

    /// Finishes the attempt after libcurl reported it done, and returns its record.
    func complete(result: CURLcode, atNanos now: UInt64) -> AttemptRecord {
        var end = finishEnd(atNanos: now)
        if result != CURLE_OK {
            var osErrno = 0
            CLibUV_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
            end.transport = .failed(
                code: result, summary: String(cString: curl_easy_strerror(result)), detail: String(cString: errorBuffer),
                // A timeout before the request could be sent (no PRETRANSFER time) is a connect timeout.
                connected: curlTime(CURLINFO_PRETRANSFER_TIME_T) != nil,
                osErrno: osErrno != 0 ? Int32(truncatingIfNeeded: osErrno) : socketErrno)
        }
        return judge(end)
    }

    /// Ends an attempt the timeout watch gave up on (the caller removed it from the multi first).
    func expire(_ expiry: TimeoutWatch.Expiry, atNanos now: UInt64) -> AttemptRecord {
        if expiry == .doneButOpen, let done = streamDoneNanos {
            // The stream is complete: it ends, as a success, when its end event arrived.
            return complete(result: CURLE_OK, atNanos: done)
        }
        var end = finishEnd(atNanos: now)
        switch expiry {
        case .ttft:
            let limit = DurationFormat.format(nanos: template.ttftTimeoutNanos ?? 0)
            end.timeout = (.timeoutTTFT, "no content token within \(limit) of the start (limits.ttft_timeout)")
        case .idle, .doneButOpen:
            let limit = DurationFormat.format(nanos: template.idleTimeoutNanos ?? 0)
            end.timeout = (.timeoutIdle, "no byte for \(limit) (limits.idle_timeout)")
        }
        return judge(end)
    }

    /// Ends an attempt that the run abandoned (it is removed from the multi by the caller). The
    /// record keeps what had arrived: the status, phase times and rate-limit headers.
    func cancel(atNanos now: UInt64, reason: String = "cancelled by a second interrupt") -> AttemptRecord {
        record.endNanos = now - originNanos
        fillTransportInfo()
        reader.reset()
        record.errorClass = .cancelled
        record.errorMessage = reason
        return record
    }

    /// Sets the end time and transport details, ends the body, and gathers what classification needs.
    private func finishEnd(atNanos now: UInt64) -> AttemptEnd {
        record.endNanos = now - originNanos
        fillTransportInfo()
        let dropped = reader.finish()
        var end = AttemptEnd(status: record.status, headersComplete: headers.isComplete, abortReason: abortReason)
        end.body = reader.isEventStream
            ? .eventStream(failure: reader.failure, sawDone: reader.sawDone, droppedPartialEvent: dropped)
            : .plain(reader.body)
        return end
    }

    /// Writes the verdict on `end` into the record and returns it.
    private func judge(_ end: AttemptEnd) -> AttemptRecord {
        switch AttemptOutcome.classify(end, dialect: template.dialect, redactor: redactor) {
        case .failure(let errorClass, let message):
            record.errorClass = errorClass
            record.errorMessage = message
        case .success(let body):
            if let body {
                record.firstTokenNanos = record.firstByteNanos
                record.countedOutputTokens = body.tokens
                record.usageInputTokens = body.usage?.inputTokens
                record.usageOutputTokens = body.usage?.outputTokens
                record.usageCachedInputTokens = body.usage?.cachedInputTokens
                record.providerQueueNanos = body.providerQueueNanos
            }
        }
        reader.reset()
        return record
    }

    /// Reads the status, libcurl's phase times and the rate-limit headers into the record.
    private func fillTransportInfo() {
        var statusCode = 0
        CLibUV_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &statusCode)
        record.status = statusCode
        record.dnsNanos = curlTime(CURLINFO_NAMELOOKUP_TIME_T)
        record.connectNanos = curlTime(CURLINFO_CONNECT_TIME_T)
        record.tlsNanos = curlTime(CURLINFO_APPCONNECT_TIME_T)
        let nowMonotonic = MonotonicClock.nowNanos()
        let headersAbsolute = min(record.headersNanos.map { $0 + originNanos } ?? nowMonotonic, nowMonotonic)
        record.rateLimit = headers.rateLimitSnapshot(secondsSinceHeaders: Double(nowMonotonic - headersAbsolute) / 1e9)
    }

    /// A libcurl phase time (µs after the transfer began) as nanoseconds on the run clock, or nil when
    /// the phase did not happen for this attempt (e.g. no connect on a reused connection).
    private func curlTime(_ info: CURLINFO) -> UInt64? {
        var micros: curl_off_t = 0
        guard CLibUV_easy_getinfo_off_t(easy, info, &micros) == CURLE_OK, micros > 0 else { return nil }
        return record.startNanos + UInt64(micros) * 1_000
    }
}
