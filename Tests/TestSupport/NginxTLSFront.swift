import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// nginx in front of a plain-HTTP server on 127.0.0.1, for tests of TLS and HTTP/2: a TLS port
/// (HTTP/1.1 and h2 by ALPN) and a plain port that speaks HTTP/2 with prior knowledge (h2c), both
/// proxying to the upstream with streaming (no buffering).
///
/// The certificate is made at start by `openssl req` (an EC P-256 key, self-signed, for
/// `IP:127.0.0.1` and `DNS:localhost`, valid one day), so it is its own CA: verification passes
/// with `caFile` as the CA file and fails without it. nginx runs as one process
/// (`master_process off`, `daemon off`) from a temporary folder and is stopped by its PID.
/// `scripts/install-deps.sh` installs nginx-light and openssl.
public final class NginxTLSFront {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// One line of the access log.
    public struct Request: Equatable {
        /// `HTTP/1.1` or `HTTP/2.0`.
        public var protocolName: String
        /// nginx's connection serial number: equal for requests on one connection.
        public var connection: Int
        public var status: Int
    }

    public let httpsPort: Int
    public let h2cPort: Int
    /// The self-signed certificate: pass it as the CA file.
    public let caFile: String
    public let directory: URL
    private let process: Process

    public var httpsBaseURL: String { "https://127.0.0.1:\(httpsPort)/v1" }
    public var h2cBaseURL: String { "http://127.0.0.1:\(h2cPort)/v1" }

    /// Generates the certificate, writes the configuration and starts nginx; returns once it accepts.
    /// - Throws: `Failure` when openssl or nginx is missing or nginx does not come up within 5 s.
    public init(upstreamPort: Int) throws {
        let nginx = try Self.find("nginx", in: ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin"])
        let openssl = try Self.find("openssl", in: ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"])
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-front-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        caFile = directory.appendingPathComponent("cert.pem").path
        try Self.runToEnd(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", caFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        httpsPort = try Self.freePort()
        h2cPort = try Self.freePort()
        let dir = directory.path
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log warn;
            events { worker_connections 4096; }
            http {
                log_format plain '$server_protocol $connection $status';
                access_log \(dir)/access.log plain;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                upstream mock { server 127.0.0.1:\(upstreamPort); keepalive 64; }
                server {
                    listen 127.0.0.1:\(httpsPort) ssl http2;
                    listen 127.0.0.1:\(h2cPort) http2;
                    ssl_certificate \(caFile);
                    ssl_certificate_key \(key);
                    http2_max_concurrent_streams 256;
                    keepalive_requests 100000;
                    location / {
                        proxy_pass http://mock;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                        proxy_request_buffering off;
                    }
                }
            }
            """
        let configPath = directory.appendingPathComponent("nginx.conf").path
        try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", dir, "-c", configPath, "-e", "\(dir)/error.log"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when both ports accept (30 s at most: a loaded machine starts nginx slowly).
        let ready = Readiness.waitUntil(timeout: 30, pollMillis: 10) {
            !process.isRunning || (Self.accepts(port: httpsPort) && Self.accepts(port: h2cPort))
        }
        guard ready, process.isRunning else {
            let log = (try? String(contentsOfFile: "\(dir)/error.log", encoding: .utf8)) ?? ""
            stop()
            throw Failure(description: "nginx did not start: \(log)")
        }
    }

    deinit {
        stop()
    }

    /// Stops nginx (SIGTERM to its PID, then waits) and removes the folder. Safe to call twice.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The requests nginx served so far, in order (the log is written as each request ends).
    public func requests() -> [Request] {
        let text = (try? String(contentsOfFile: directory.appendingPathComponent("access.log").path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let connection = Int(fields[1]), let status = Int(fields[2]) else { return nil }
            return Request(protocolName: String(fields[0]), connection: connection, status: status)
        }
    }

    // MARK: - Helpers

    private static func find(_ name: String, in folders: [String]) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for folder in folders + path {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "\(name) was not found; scripts/install-deps.sh installs it (apt-get install nginx-light openssl)")
    }

    private static func runToEnd(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed: "
                + String(decoding: output, as: UTF8.self))
        }
    }

    /// A port that was free a moment ago (bound to port 0, read back, closed).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> Int32 in
                guard bind(fd, generic, length) == 0 else { return -1 }
                return getsockname(fd, generic, &length)
            }
        }
        guard status == 0 else { throw Failure(description: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
