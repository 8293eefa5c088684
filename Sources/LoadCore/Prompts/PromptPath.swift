import Foundation

/// Paths of prompt-set files and folders, which a profile gives relative to its own folder.
enum PromptPath {
    /// The path to show and to open: `relative` joined to the folder of `profileFile` (unless it is
    /// absolute) and cleaned lexically, so `profiles/../prompts/chat.yaml` reads `prompts/chat.yaml`.
    static func resolve(_ relative: String, profileFile: String) -> String {
        if relative.hasPrefix("/") { return clean(relative) }
        let folder = (profileFile as NSString).deletingLastPathComponent
        return clean(folder.isEmpty ? relative : folder + "/" + relative)
    }

    /// Extensions that make a string in `prompts:` a path even when no such file exists (so a
    /// mistyped file name is reported, not sent as a prompt).
    static let fileExtensions = [".yaml", ".yml", ".json", ".jsonl"]

    /// Whether a string of a profile's `prompts:` names a path (else it is a prompt's text): it
    /// names an existing file or folder (relative to the profile), ends in `.yaml`, `.yml`,
    /// `.json` or `.jsonl`, or has a `/` and no white space.
    static func isPath(_ text: String, profileFile: String) -> Bool {
        if FileManager.default.fileExists(atPath: resolve(text, profileFile: profileFile)) { return true }
        let lowered = text.lowercased()
        if fileExtensions.contains(where: { lowered.hasSuffix($0) }) { return true }
        return text.contains("/") && !text.contains(where: { $0.isWhitespace })
    }

    /// The absolute form of a resolved path (against the current directory when relative).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return clean(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// Removes empty and `.` components and folds `name/..` pairs (as Go's `filepath.Clean` does;
    /// a `..` past a symbolic link then means its parent folder, not the link target's).
    static func clean(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
