internal import CLibUV
import Foundation
import LoadCore

/// Maps transport results and HTTP statuses to the recorded error classes.
enum ErrorClassification {
    /// The class of a libcurl failure.
    /// - Parameters:
    ///   - connected: whether the connection (TCP and TLS) was up, so that curl's timeout tells a
    ///     connect timeout from the total one.
    ///   - osErrno: the system's errno behind the failure (`CURLINFO_OS_ERRNO`; 0 when none).
    ///   - message: libcurl's error text, read for the system's words when `osErrno` is 0.
    static func errorClass(for code: CURLcode, connected: Bool, osErrno: Int32 = 0, message: String = "") -> ErrorClass {
        // The client, not the server: out of descriptors or of local ports. Never `connect`.
        if let client = clientResourceClass(osErrno: osErrno, message: message) { return client }
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

    /// `client_fds` for a process or system out of file descriptors (EMFILE, ENFILE), `client_ports`
    /// for no free local address or port to connect from (EADDRNOTAVAIL, EADDRINUSE); nil otherwise.
    static func clientResourceClass(osErrno: Int32, message: String) -> ErrorClass? {
        switch osErrno {
        case EMFILE, ENFILE: return .clientFds
        case EADDRNOTAVAIL, EADDRINUSE: return .clientPorts
        default: break
        }
        for (errno, errorClass) in [(EMFILE, ErrorClass.clientFds), (ENFILE, .clientFds),
                                    (EADDRNOTAVAIL, .clientPorts), (EADDRINUSE, .clientPorts)]
        where message.contains(String(cString: strerror(errno))) {
            return errorClass
        }
        return nil
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
