import Foundation
import XCTest

/// A temporary folder of prompt-set files and profiles for one test, removed when it ends.
struct PromptFiles {
    let root: URL

    init(_ test: XCTestCase, _ files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-prompts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let root = self.root
        test.addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for (name, text) in files { try write(name, text) }
    }

    /// Writes `text` to `name` (folders made as needed); a name ending in "/" makes an empty folder.
    func write(_ name: String, _ text: String = "") throws {
        let url = root.appendingPathComponent(name)
        if name.hasSuffix("/") {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).standardized.path }
}
