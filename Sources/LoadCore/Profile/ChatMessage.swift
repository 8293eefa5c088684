/// One message of a chat prompt.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Codable, CaseIterable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
