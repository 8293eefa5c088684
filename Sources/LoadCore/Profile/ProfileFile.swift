import Foundation

/// Reads a profile's (or a catalog's) text, with a message that says what is wrong with the path (missing, a
/// folder, unreadable, not UTF-8) rather than Foundation's "NSCocoaErrorDomain error 256".
enum ProfileFile {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter what: names the file in messages: "the profile", "the models catalog".
    static func read(_ path: String, what: String = "the profile") throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(description: "cannot read \(what): there is no file at this path")
        }
        if isDirectory.boolValue {
            let examples = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().prefix(3)
            let hint = examples.isEmpty
                ? "" : "; it holds e.g. " + examples.map { (path as NSString).appendingPathComponent($0) }.joined(separator: ", ")
            throw ReadError(description: "cannot read \(what): this is a folder; give a YAML file\(hint)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ReadError(description: "cannot read \(what): permission denied")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "cannot read \(what): the file cannot be opened")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "cannot read \(what): the file is not UTF-8 text")
        }
        return text
    }
}
