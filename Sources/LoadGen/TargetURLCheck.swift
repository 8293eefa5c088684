import Foundation

/// Checks a target's API root before anything is sent: an http(s) URL with a host and, when it
/// names a port, one from 1 to 65535 (curl would take port 99999 and fail every request).
enum TargetURLCheck {
    /// - Returns: what is wrong with `url`, or nil when it is usable.
    static func problem(_ url: String) -> String? {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            return "\(url) is not an http:// or https:// URL (e.g. http://127.0.0.1:8000/v1)"
        }
        if let port = portText(url), !port.isEmpty, !(Int(port).map { (1...65_535).contains($0) } ?? false) {
            return "\(url) has port \(port); a port is a number from 1 to 65535"
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            return "\(url) is not a valid URL (expected scheme://host[:port]/path, e.g. http://127.0.0.1:8000/v1)"
        }
        return nil
    }

    /// The text after the host's colon (`99999` in `http://h:99999/v1`), or nil when there is no port.
    private static func portText(_ url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last ?? authority[...]
        let afterHost: Substring
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            afterHost = hostAndPort[hostAndPort.index(after: close)...]
        } else {
            afterHost = hostAndPort
        }
        guard let colon = afterHost.lastIndex(of: ":") else { return nil }
        return String(afterHost[afterHost.index(after: colon)...])
    }
}
