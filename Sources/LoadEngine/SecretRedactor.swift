/// Hides secrets (API keys) in the text the engine records: error messages and excerpts of
/// response bodies.
///
/// Two rules, applied to the bytes of the text:
/// - every whole occurrence of a secret is hidden;
/// - every run of `minimumFragment` or more bytes whose every `minimumFragment`-byte window is a
///   piece of a secret is hidden too. That catches what a cut leaves of a key: the key's first
///   characters before a cut excerpt's "…", its last ones after a cut at the start, and any
///   other fragment a server echoes.
///
/// Each hidden range becomes `[redacted]`. Excerpts are cut only after the secrets in and across
/// the cut were found (`excerpt(_:limit:)`), so a key that crosses the cut is hidden whole.
struct SecretRedactor {
    static let replacement = "[redacted]"
    /// The shortest piece of a secret hidden on its own. Shorter secrets are hidden only whole.
    static let minimumFragment = 8

    /// Secrets shorter than `minimumFragment` bytes: matched whole.
    private let shortSecrets: [[UInt8]]
    /// Every `minimumFragment`-byte window of the longer secrets, packed into an integer.
    private let fragments: Set<UInt64>
    /// The longest secret's length in bytes: how far past a cut a secret can reach.
    private let longestSecret: Int

    init(secrets: [String]) {
        let nonEmpty = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
        shortSecrets = nonEmpty.filter { $0.count < Self.minimumFragment }
        var fragments = Set<UInt64>()
        for secret in nonEmpty where secret.count >= Self.minimumFragment {
            for start in 0...(secret.count - Self.minimumFragment) {
                fragments.insert(Self.pack(secret[start..<(start + Self.minimumFragment)]))
            }
        }
        self.fragments = fragments
        longestSecret = nonEmpty.map(\.count).max() ?? 0
    }

    /// True when there is nothing to hide.
    var isEmpty: Bool { longestSecret == 0 }

    /// `text` with every secret and secret fragment replaced by `[redacted]`.
    func redact(_ text: String) -> String {
        guard !isEmpty else { return text }
        let bytes = Array(text.utf8)
        let hidden = hiddenRanges(in: bytes[...])
        guard !hidden.isEmpty else { return text }
        return assemble(bytes[...], hiding: hidden)
    }

    /// The start of a response body as one line of text: at most `limit` bytes (cut on a
    /// character boundary, "…" marking the cut), line breaks folded into spaces, and secrets hidden.
    /// Secrets are looked for beyond the cut as far as the longest secret reaches, so one that
    /// crosses the cut is hidden whole rather than leaving its first characters behind.
    func excerpt(_ bytes: [UInt8], limit: Int) -> String {
        var cut = min(limit, bytes.count)
        while cut < bytes.count && cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // UTF-8 continuation
        let searched = bytes[..<min(bytes.count, cut + longestSecret)]
        var hidden = isEmpty ? [] : hiddenRanges(in: searched)
        hidden = hidden.filter { $0.lowerBound < cut }
        // A hidden range that crosses the cut is shown whole (as the marker), then the cut follows.
        let end = max(cut, hidden.last?.upperBound ?? 0)
        var text = assemble(bytes[..<end], hiding: hidden)
        text = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return bytes.count > end ? text + "…" : text
    }

    /// The sorted, disjoint byte ranges of `bytes` to hide.
    func hiddenRanges(in bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let base = bytes.startIndex
        let width = Self.minimumFragment
        if !fragments.isEmpty && bytes.count >= width {
            var packed = Self.pack(bytes[base..<(base + width - 1)])
            for start in base...(bytes.endIndex - width) {
                packed = (packed << 8) | UInt64(bytes[start + width - 1])
                if fragments.contains(packed) { ranges.append(start..<(start + width)) }
            }
        }
        for secret in shortSecrets where bytes.count >= secret.count {
            for start in base...(bytes.endIndex - secret.count)
            where bytes[start..<(start + secret.count)].elementsEqual(secret) {
                ranges.append(start..<(start + secret.count))
            }
        }
        return Self.merged(ranges)
    }

    // MARK: - Pieces

    private func assemble(_ bytes: ArraySlice<UInt8>, hiding hidden: [Range<Int>]) -> String {
        var result = ""
        var position = bytes.startIndex
        for range in hidden {
            result += String(decoding: bytes[position..<range.lowerBound], as: UTF8.self)
            result += Self.replacement
            position = range.upperBound
        }
        result += String(decoding: bytes[position...], as: UTF8.self)
        return result
    }

    private static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Up to eight bytes as one integer, the first in the highest position used.
    private static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
