import LoadCore
import NIOCore
import NIOHTTP1

/// A request as the connection received it.
struct ReceivedRequest {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var bodyTooLarge = false
    /// When the head arrived: the origin of TTFT.
    var arrival: NIODeadline
}

/// A parsed completion request on its way to generation, through the rate limits and the capacity
/// queue when they are set.
struct PendingCompletion {
    var chat: ChatRequest
    var overrides: MockOverrides
    var dialect: APIDialect
    /// The stream fault drawn for it (nil for a non-streamed request).
    var fault: Profile.MockFault?
    /// When its head arrived.
    var arrival: NIODeadline
    var keepAlive: Bool
}

/// Routing and validation: what the mock answers to one request before any completion is planned.
///
/// Routes: `POST /v1/chat/completions` (OpenAI), `POST /openai/v1/chat/completions` (Groq),
/// `POST /v1/messages` (Anthropic; it requires `max_tokens` and an `anthropic-version` header, as
/// the real API does), `GET /health` (200 `ok`); other paths 404, other methods 405. Errors on a
/// completion route come in its dialect's format. Injected errors and faults
/// (`Profile.MockSettings.errorRate`, `.faults`, or the request's `x-mock-*` headers) are drawn here.
enum MockRequestRouting {
    /// Larger request bodies get 413 and the connection is closed.
    static let maxBodyBytes = 8 << 20

    /// What to answer.
    enum Decision {
        /// `GET /health` (`includeBody` false for HEAD).
        case health(includeBody: Bool)
        /// An error response in `dialect`'s format.
        case error(status: Int, message: String, extraHeaders: [(String, String)], dialect: APIDialect)
        /// A completion to admit and generate.
        case completion(PendingCompletion)
    }

    /// Routes and validates `request`, drawing its injected error or fault from `loop`.
    static func decide(_ request: ReceivedRequest, keepAlive: Bool, loop: MockLoopContext) -> Decision {
        let head = request.head
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if let dialect = APIDialect(mockPath: path) {
            guard head.method == .POST else {
                return .error(status: 405, message: "Method \(head.method) is not allowed for \(path); use POST.",
                              extraHeaders: [("allow", "POST")], dialect: dialect)
            }
            guard !request.bodyTooLarge else {
                return .error(status: 413, message: "The request body is larger than \(maxBodyBytes) bytes.",
                              extraHeaders: [], dialect: dialect)
            }
            return completion(request, dialect: dialect, keepAlive: keepAlive, loop: loop)
        }
        guard path == "/health" else {
            return .error(status: 404, message: "Unknown request URL: \(head.method) \(path). Please check the URL for typos.",
                          extraHeaders: [], dialect: .openAI)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return .error(status: 405, message: "Method \(head.method) is not allowed for /health; use GET.",
                          extraHeaders: [("allow", "GET, HEAD")], dialect: .openAI)
        }
        return .health(includeBody: head.method == .GET)
    }

    private static func completion(
        _ request: ReceivedRequest, dialect: APIDialect, keepAlive: Bool, loop: MockLoopContext
    ) -> Decision {
        let chat: ChatRequest
        do {
            chat = try ChatRequest.parse(request.body)
        } catch let error as ChatRequestError {
            return .error(status: 400, message: error.message, extraHeaders: [], dialect: dialect)
        } catch {
            return .error(status: 400, message: "Invalid request body.", extraHeaders: [], dialect: dialect)
        }
        if dialect == .anthropic, let problem = anthropicProblem(request.head.headers, chat) {
            return .error(status: 400, message: problem, extraHeaders: [], dialect: dialect)
        }
        let overrides = MockOverrides(headers: request.head.headers)
        let injectedStatus: Int?
        var fault: Profile.MockFault?
        if let status = overrides.status {
            injectedStatus = status == 200 ? nil : status
        } else {
            injectedStatus = loop.drawInjectedError() ? loop.config.settings.errorStatus : nil
            if injectedStatus == nil { fault = overrides.fault ?? loop.drawFault() }
        }
        if let status = injectedStatus ?? (fault?.kind == .http ? fault?.status : nil) {
            return .error(status: status, message: injectedMessage(status), extraHeaders: [], dialect: dialect)
        }
        return .completion(PendingCompletion(
            chat: chat, overrides: overrides, dialect: dialect, fault: chat.stream ? fault : nil,
            arrival: request.arrival, keepAlive: keepAlive))
    }

    /// What the Anthropic API would reject in a Messages request, as its 400 message.
    private static func anthropicProblem(_ headers: HTTPHeaders, _ chat: ChatRequest) -> String? {
        if headers.first(name: "anthropic-version") == nil {
            return "anthropic-version: header is required"
        }
        if chat.maxTokens == nil {
            return "max_tokens: Field required"
        }
        return nil
    }

    private static func injectedMessage(_ status: Int) -> String {
        switch status {
        case 529: return "Overloaded (mock provider: injected error)."
        case 429: return "Rate limit reached for requests (mock provider: injected error)."
        case 500...599: return "The server had an error while processing your request (mock provider: injected error)."
        default: return "Mock provider: injected error with status \(status)."
        }
    }
}
