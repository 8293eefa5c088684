import LoadCore

/// A target that refuses the run from the start: the first ``TargetRejectionWatch/sampleSize``
/// attempts all ended 401, 403 or 404 (and none succeeded). Sending the rest would only measure
/// the refusal, so the run stops early and says what is most likely wrong.
struct TargetRejection: Equatable {
    /// How many attempts had each status.
    var statuses: [Int: Int]
    /// The first attempt's error text (keys already blanked out by the engine).
    var firstMessage: String?

    /// The status seen most often (the lowest on a tie).
    var mainStatus: Int {
        statuses.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
    }

    /// The explanation printed at the end of the run.
    /// - Parameters:
    ///   - url: the chat-completions URL the requests went to.
    ///   - model: the model named in the requests.
    ///   - apiKeyEnv: the variable the key came from, if any.
    func explanation(url: String, model: String, apiKeyEnv: String?) -> String {
        let count = statuses.values.reduce(0, +)
        let seen = statuses.keys.sorted().map { "\(statuses[$0] ?? 0) × \($0)" }.joined(separator: ", ")
        var text = "stopped early: the first \(count) requests were refused (\(seen)). "
        switch mainStatus {
        case 401:
            if let apiKeyEnv {
                text += "401 Unauthorized: the API key is missing, wrong or revoked; check \(apiKeyEnv) "
                    + "(in the environment or ./.env)."
            } else {
                text += "401 Unauthorized: the server wants an API key and the profile sends none; set "
                    + "target.api_key_env to the name of the variable that holds it."
            }
        case 403:
            text += "403 Forbidden: the key was accepted but has no access to model \"\(model)\" or to this "
                + "endpoint; check the key's project and permissions, and the model name."
        default:
            let mentionsModel = firstMessage?.lowercased().contains("model") ?? false
            let modelCause = "the model \"\(model)\" is unknown to the server (check target.model or --model)"
            let urlCause = "the URL \(url) does not exist (check target.base_url or --base-url: it should be the "
                + "API root, such as https://host/v1; /chat/completions is appended)"
            text += "404 Not Found: " + (mentionsModel ? "\(modelCause), or \(urlCause)." : "\(urlCause), or \(modelCause).")
        }
        if let firstMessage { text += "\nfirst error: \(firstMessage)" }
        return text
    }
}

/// Watches the first finished attempts of a run for a ``TargetRejection``.
struct TargetRejectionWatch {
    /// Attempts that must all be refused before the run is stopped.
    static let sampleSize = 5
    static let refusals: Set<Int> = [401, 403, 404]

    private var statuses: [Int: Int] = [:]
    private var firstMessage: String?
    private var seen = 0
    private var decided = false

    /// Counts an attempt; returns the rejection once the first ``sampleSize`` were all refused.
    mutating func record(_ attempt: AttemptRecord) -> TargetRejection? {
        guard !decided, attempt.errorClass != .cancelled else { return nil }
        guard !attempt.succeeded, Self.refusals.contains(attempt.status) else {
            decided = true  // something else answered first: the target does not refuse outright
            return nil
        }
        statuses[attempt.status, default: 0] += 1
        if firstMessage == nil { firstMessage = attempt.errorMessage }
        seen += 1
        guard seen >= Self.sampleSize else { return nil }
        decided = true
        return TargetRejection(statuses: statuses, firstMessage: firstMessage)
    }

    /// At the end of a run that had fewer than ``sampleSize`` attempts, all refused: the rejection.
    func verdictAtEnd() -> TargetRejection? {
        guard !decided, seen > 0 else { return nil }
        return TargetRejection(statuses: statuses, firstMessage: firstMessage)
    }
}
