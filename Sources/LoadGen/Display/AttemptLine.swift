import Foundation
import LoadCore

/// The `--verbose` line for one finished attempt:
///
///     12.345s  req 123  200  ok        ttft 151.2ms  total 890.3ms  48 tokens
///     12.351s  req 124  429  http_429  total 3.1ms  HTTP 429: {"error": ...}
///
/// Secrets (the API key) are replaced by `[redacted]` wherever they would appear.
enum AttemptLine {
    static func format(_ attempt: AttemptRecord, secrets: [String]) -> String {
        var parts = [String(format: "%9.3fs", Double(attempt.endNanos) / 1e9), "req \(attempt.requestID)"]
        if attempt.attemptNumber > 1 { parts[1] += " try \(attempt.attemptNumber)" }
        parts.append(attempt.status == 0 ? "---" : String(attempt.status))
        let outcome = attempt.succeeded ? "ok" : (attempt.errorClass?.rawValue ?? "failed")
        parts.append(outcome.padding(toLength: max(outcome.count, 8), withPad: " ", startingAt: 0))
        if let firstToken = attempt.firstTokenNanos, firstToken >= attempt.startNanos {
            parts.append(String(format: "ttft %.1fms", Double(firstToken - attempt.startNanos) / 1e6))
        }
        if attempt.endNanos >= attempt.startNanos {
            parts.append(String(format: "total %.1fms", Double(attempt.endNanos - attempt.startNanos) / 1e6))
        }
        if attempt.succeeded || attempt.outputTokens > 0 {
            parts.append("\(attempt.outputTokens) tokens")
        }
        if let cost = attempt.costUSD { parts.append(String(format: "$%.6f", cost)) }
        if let message = attempt.errorMessage, !attempt.succeeded {
            parts.append(message.replacingOccurrences(of: "\n", with: " "))
        }
        var line = parts.joined(separator: "  ")
        for secret in secrets where !secret.isEmpty {
            line = line.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return line
    }
}
