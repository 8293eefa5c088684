/// One prompt: the chat messages of a request, how often it is chosen within its set, and its
/// output limit.
public struct Prompt: Sendable, Equatable {
    /// The prompt's `name:` from its set, unique within the set; nil when not given.
    public var name: String?
    /// The conversation sent as `messages` (at least one, none with empty content).
    public var messages: [ChatMessage]
    /// Relative frequency within its set, positive (default 1).
    public var weight: Double
    /// `max_tokens` for this prompt's requests: the prompt's own, else its set's; nil leaves the
    /// profile's `request.max_tokens` in force.
    public var maxTokens: Int?

    public init(name: String? = nil, messages: [ChatMessage], weight: Double = 1, maxTokens: Int? = nil) {
        self.name = name
        self.messages = messages
        self.weight = weight
        self.maxTokens = maxTokens
    }

    /// One user message.
    public init(user text: String) {
        self.init(messages: [ChatMessage(role: .user, content: text)])
    }

    /// The length of every message's content, in Unicode scalars.
    public var inputCharacters: Int {
        var total = 0
        for message in messages { total += message.content.unicodeScalars.count }
        return total
    }
}
