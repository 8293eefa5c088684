internal import CLibUV
import LoadCore

/// What is known about an attempt when it ends: what libcurl returned, what the response's
/// headers said, what the body reader saw, and whether the engine's own timeout ended it.
struct AttemptEnd {
    /// libcurl's result.
    enum Transport {
        case completed
        /// - Parameters:
        ///   - summary: `curl_easy_strerror`; `detail`: libcurl's error buffer (may be empty).
        ///   - connected: the connection (TCP and TLS) was up.
        ///   - osErrno: the system's errno of the failure (`CURLINFO_OS_ERRNO`, 0 when none).
        case failed(code: CURLcode, summary: String, detail: String, connected: Bool, osErrno: Int32)
    }

    /// The response body as the reader saw it.
    enum Body {
        case eventStream(failure: StreamFailure?, sawDone: Bool, droppedPartialEvent: Bool)
        /// A non-streamed answer or an error body (at most `ResponseBodyReader.maxBodyBytes`).
        case plain([UInt8])
    }

    var transport: Transport = .completed
    /// The final status (0 when none arrived).
    var status = 0
    /// The blank line after a final status's headers arrived.
    var headersComplete = false
    /// Why the write callback stopped the transfer (the server broke the protocol).
    var abortReason: String?
    /// Set when the engine's TTFT or idle timeout ended the attempt: its class and what was exceeded.
    var timeout: (errorClass: ErrorClass, limit: String)?
    var body: Body = .plain([])
}

/// How an attempt ended.
enum AttemptVerdict: Equatable {
    /// Succeeded; for a non-streamed answer, what its body held (tokens, usage).
    case success(body: StreamUpdate?)
    case failure(ErrorClass, message: String)
}

/// Classifies ended attempts: a pure function of `AttemptEnd` (no clock, no libcurl calls).
enum AttemptOutcome {
    /// The longest excerpt of an error body in a message.
    static let maxErrorExcerpt = 300

    /// The verdict on an attempt. Messages never show a secret of `redactor`'s.
    static func classify(_ end: AttemptEnd, dialect: APIDialect, redactor: SecretRedactor) -> AttemptVerdict {
        let isSuccessStatus = (200..<300).contains(end.status)
        let errorBody: String = {
            guard case .plain(let bytes) = end.body else { return "" }
            return redactor.excerpt(bytes, limit: maxErrorExcerpt)
        }()
        let statusClass = ErrorClassification.errorClass(forStatus: end.status)

        if let timeout = end.timeout {
            if end.headersComplete && !isSuccessStatus {
                // The status is the result; the stalled error body is only a detail.
                return .failure(statusClass, message: redactor.redact(
                    "HTTP \(end.status): \(errorBody) (body stalled: \(timeout.limit))"))
            }
            return .failure(timeout.errorClass, message: timeout.limit)
        }
        if let abortReason = end.abortReason {
            return .failure(.protocol, message: redactor.redact(abortReason))
        }
        if end.headersComplete && !isSuccessStatus {
            // A final non-2xx status is the result even when its body was then cut short: a 429 is a
            // 429 whether or not its error text arrived whole.
            var message = "HTTP \(end.status): \(errorBody)"
            if case .failed(_, let summary, _, _, _) = end.transport { message += " (body cut short: \(summary))" }
            return .failure(statusClass, message: redactor.redact(message))
        }
        if case .failed(let code, let summary, let detail, let connected, let osErrno) = end.transport {
            let errorClass = ErrorClassification.errorClass(
                for: code, connected: connected, osErrno: osErrno, message: detail)
            return .failure(errorClass, message: redactor.redact(detail.isEmpty ? summary : "\(summary): \(detail)"))
        }
        if !isSuccessStatus {
            // Headers never completed (or a 1xx/3xx without a body we follow).
            return .failure(statusClass, message: redactor.redact("HTTP \(end.status): \(errorBody)"))
        }
        switch end.body {
        case .eventStream(let failure, let sawDone, let droppedPartialEvent):
            if let failure {
                return .failure(ErrorClassification.errorClass(for: failure), message: redactor.redact(failure.message))
            }
            if !sawDone {
                let marker = dialect.endMarker
                return .failure(.protocol, message: droppedPartialEvent
                    ? "stream ended inside an event, before \(marker)" : "stream ended before \(marker)")
            }
            return .success(body: nil)
        case .plain(let bytes):
            let update = ProviderStreamParser.parseBody(bytes, dialect: dialect)
            if let failure = update.failure {
                return .failure(ErrorClassification.errorClass(for: failure), message: redactor.redact(failure.message))
            }
            return .success(body: update)
        }
    }
}
