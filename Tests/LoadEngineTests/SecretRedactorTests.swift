@testable import LoadEngine
import XCTest

/// The API key never survives in recorded text: not whole, not as what a cut leaves of it.
final class SecretRedactorTests: XCTestCase {
    private let key = "xx-LEAKTEST-0123456789abcdefghij"
    private var redactor: SecretRedactor { SecretRedactor(secrets: [key]) }

    /// True when `text` shows any piece of the key of `SecretRedactor.minimumFragment` bytes or more.
    private func showsKeyFragment(_ text: String) -> Bool {
        let bytes = Array(key.utf8)
        return (0...(bytes.count - SecretRedactor.minimumFragment)).contains { start in
            text.contains(String(decoding: bytes[start..<(start + SecretRedactor.minimumFragment)], as: UTF8.self))
        }
    }

    /// The key at every offset around the 300-byte cut: hidden whole, whether it ends before the
    /// cut, crosses it, or starts right after it.
    func testExcerptHidesAKeyAtEveryOffsetAroundTheCut() {
        let limit = 300
        for offset in (limit - key.utf8.count - 2)...(limit + 2) {
            let body = Array((String(repeating: "x", count: offset) + key + String(repeating: "y", count: 50)).utf8)
            let excerpt = redactor.excerpt(body, limit: limit)
            XCTAssertFalse(showsKeyFragment(excerpt), "offset \(offset): \(excerpt)")
            XCTAssertTrue(excerpt.hasSuffix("…"), "offset \(offset): \(excerpt)")
            if offset < limit {
                XCTAssertTrue(excerpt.contains("[redacted]"), "offset \(offset): \(excerpt)")
                XCTAssertTrue(excerpt.hasPrefix(String(repeating: "x", count: offset) + "[redacted]"), "offset \(offset)")
            } else {
                XCTAssertEqual(excerpt, String(repeating: "x", count: limit) + "…", "offset \(offset)")
            }
        }
    }

    /// Text that was cut before it reached the redactor (a parser's 80-byte excerpt): the key's
    /// first characters before the cut, its last ones after a cut at the start, a piece anywhere.
    func testFragmentsOfEightBytesOrMoreAreHidden() {
        let rows: [(name: String, text: String, expected: String)] = [
            ("whole", "key \(key) here", "key [redacted] here"),
            ("prefix at an end cut", "data: {\"k\":\"xx-LEAKTEST-012...", "data: {\"k\":\"[redacted]..."),
            ("exactly eight bytes", "data: xx-LEAKT...", "data: [redacted]..."),
            ("seven bytes stay", "data: xx-LEAK...", "data: xx-LEAK..."),
            ("suffix at a start cut", "...abcdefghij\"}", "...[redacted]\"}"),
            ("a middle piece", "echo 0123456789ab end", "echo [redacted] end"),
            ("twice", "\(key)\(key)", "[redacted]"),
            ("none", "HTTP 500: internal error", "HTTP 500: internal error"),
        ]
        for row in rows {
            XCTAssertEqual(redactor.redact(row.text), row.expected, row.name)
        }
    }

    func testShortSecretsAreHiddenOnlyWhole() {
        let short = SecretRedactor(secrets: ["abc", ""])
        XCTAssertEqual(short.redact("xabcx ab"), "x[redacted]x ab")
        XCTAssertEqual(short.excerpt(Array("abcabc".utf8), limit: 4), "[redacted]")
        XCTAssertTrue(SecretRedactor(secrets: [""]).isEmpty)
        XCTAssertEqual(SecretRedactor(secrets: []).redact("anything"), "anything")
    }

    func testExcerptFoldsLinesAndCutsOnACharacterBoundary() {
        XCTAssertEqual(redactor.excerpt(Array("a\r\nb\nc".utf8), limit: 300), "a b c")
        // "é" is two bytes: a cut after its first byte moves before it.
        XCTAssertEqual(redactor.excerpt(Array("abé".utf8), limit: 3), "ab…")
        XCTAssertEqual(redactor.excerpt(Array("short".utf8), limit: 300), "short")
    }
}
