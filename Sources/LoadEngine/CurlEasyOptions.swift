internal import CLibUV
import LoadCore

/// Sets up a libcurl easy handle for a request template: URL, method, headers, callbacks, error
/// buffer, timeouts, HTTP version and TLS verification.
enum CurlEasyOptions {
    /// The C callbacks a transfer receives its response through.
    typealias Callback = @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    /// The C callback that opens the transfer's sockets (so that a failure's errno is kept).
    typealias OpenSocket = @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?)
        -> curl_socket_t

    /// Applies the template's options.
    /// - Parameters:
    ///   - context: handed back to the callbacks and stored as `CURLOPT_PRIVATE`.
    /// - Returns: the header list, which must outlive the handle (free it with `curl_slist_free_all`).
    static func configure(
        _ easy: UnsafeMutableRawPointer, template: RequestTemplate, context: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>, onBody: Callback, onHeader: Callback, openSocket: OpenSocket
    ) throws -> UnsafeMutablePointer<curl_slist>? {
        try check(template.url.withCString { CLibUV_easy_setopt_ptr(easy, CURLOPT_URL, $0) }, "CURLOPT_URL")
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_POST, 1), "CURLOPT_POST")
        // "Expect:" stops curl from waiting for a 100-continue on larger bodies; the rest are ours.
        var headerList: UnsafeMutablePointer<curl_slist>?
        for line in template.headers + ["Expect:"] {
            guard let appended = line.withCString({ curl_slist_append(headerList, $0) }) else {
                curl_slist_free_all(headerList)
                throw EngineError("curl_slist_append failed")
            }
            headerList = appended
        }
        do {
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
            try check(CLibUV_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, onBody), "WRITEFUNCTION")
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
            try check(CLibUV_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, onHeader), "HEADERFUNCTION")
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_PRIVATE, context), "CURLOPT_PRIVATE")
            // libcurl 7.x forgets the errno of a failed socket(2) (EMFILE reads as a refused connect).
            try check(CLibUV_easy_setopt_opensocket_callback(easy, openSocket), "OPENSOCKETFUNCTION")
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_OPENSOCKETDATA, context), "CURLOPT_OPENSOCKETDATA")
            try check(CLibUV_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "CURLOPT_TCP_NODELAY")
            try configureTransport(easy, template: template)
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(template.connectTimeoutNanos / 1_000_000)),
                      "CONNECTTIMEOUT_MS")
            try check(CLibUV_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(template.totalTimeoutNanos / 1_000_000)),
                      "TIMEOUT_MS")
            if template.targetsLoopback {
                // Proxies from the environment are for real providers; loopback traffic stays local.
                try check("*".withCString { CLibUV_easy_setopt_ptr(easy, CURLOPT_NOPROXY, $0) }, "CURLOPT_NOPROXY")
            }
        } catch {
            curl_slist_free_all(headerList)
            throw error
        }
        return headerList
    }

    /// Makes the handle send a GET instead (warm-up: opens a connection; the answer is ignored).
    static func useGet(_ easy: UnsafeMutableRawPointer) throws {
        try check(CLibUV_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
    }

    /// Copies `body` into the handle as the POST body.
    static func setBody(_ easy: UnsafeMutableRawPointer, _ body: [UInt8]) throws {
        try check(CLibUV_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE")
        try check(body.withUnsafeBytes { CLibUV_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }, "COPYPOSTFIELDS")
    }

    /// HTTP version, TLS verification (on unless `insecure`; `caFile` replaces the system's CAs).
    private static func configureTransport(_ easy: UnsafeMutableRawPointer, template: RequestTemplate) throws {
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

    private static func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw EngineError("curl_easy_setopt(\(what)): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
