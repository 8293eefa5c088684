import Foundation
import LoadCore

/// The failures of a run, sampled as attempts finish (loop thread): attempts, successes, and per
/// error class a count and the first message, so that a run in which nothing succeeded can say
/// why in one line.
struct FailureSample {
    private(set) var attempts = 0
    private(set) var successes = 0
    private var counts: [ErrorClass: Int] = [:]
    private var firstMessages: [ErrorClass: String] = [:]
    private var firstStatuses: [ErrorClass: Int] = [:]

    mutating func record(_ attempt: AttemptRecord) {
        attempts += 1
        if attempt.succeeded {
            successes += 1
            return
        }
        guard let errorClass = attempt.errorClass else { return }
        counts[errorClass, default: 0] += 1
        if firstMessages[errorClass] == nil, let message = attempt.errorMessage { firstMessages[errorClass] = message }
        if firstStatuses[errorClass] == nil, attempt.status > 0 { firstStatuses[errorClass] = attempt.status }
    }

    /// One line for a run with attempts of which none succeeded (nil otherwise), such as
    /// `no request succeeded: 12 attempts, 12 connect (at 127.0.0.1:1): Couldn't connect to server`.
    /// Cancelled attempts count only when nothing else failed.
    func diagnosis(url: String) -> String? {
        guard attempts > 0, successes == 0 else { return nil }
        var failures = counts
        if failures.count > 1 { failures[.cancelled] = nil }
        guard let main = failures.max(by: { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }) else {
            return "no request succeeded: \(attempts) attempts, none completed"
        }
        var text = "no request succeeded: \(attempts) attempts, \(main.value) \(main.key.rawValue)"
        let others = failures.filter { $0.key != main.key }.sorted { $0.key.rawValue < $1.key.rawValue }
        if !others.isEmpty { text += " (also " + others.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ") + ")" }
        text += " at \(Self.endpoint(url))"
        if let status = firstStatuses[main.key] { text += ", first status \(status)" }
        if let message = firstMessages[main.key] { text += ": " + message.split(separator: "\n").joined(separator: " ") }
        return text
    }

    /// `host:port` of a URL (the scheme's default port when it names none), or the URL itself.
    static func endpoint(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
