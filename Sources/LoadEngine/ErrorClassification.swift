internal import CLibUV
import LoadCore

/// Maps transport results and HTTP statuses to the recorded error classes.
enum ErrorClassification {
    /// The class of a libcurl failure.
    /// - Parameter connected: whether the connection (TCP and TLS) was up, so that curl's timeout
    ///   tells a connect timeout from the total one.
    static func errorClass(for code: CURLcode, connected: Bool) -> ErrorClass {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connect
        case CURLE_OPERATION_TIMEDOUT:
            // TTFT and idle timeouts are the engine's own (TimeoutWatch), never curl's.
            return connected ? .timeoutTotal : .timeoutConnect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED:
            return .tls
        default:
            // Resets, truncated bodies, garbage instead of HTTP: the server broke the exchange.
            return .protocol
        }
    }

    /// The class of a final HTTP status that is not 2xx.
    static func errorClass(forStatus status: Int) -> ErrorClass {
        switch status {
        case 429: return .http429
        case 529: return .overloaded
        case 400..<500: return .http4xx
        case 500..<600: return .http5xx
        default: return .protocol
        }
    }

    /// The class of a failure reported inside a 2xx body.
    static func errorClass(for failure: StreamFailure) -> ErrorClass {
        switch failure.kind {
        case .providerError: return .streamError
        case .overloaded: return .overloaded
        case .malformed: return .protocol
        }
    }
}
