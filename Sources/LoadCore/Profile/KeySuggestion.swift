/// Suggests the known key a typo probably meant ("stags" → "stages", "rtae" → "rate").
enum KeySuggestion {
    /// The closest known key within a small edit distance, if any.
    static func nearest(to key: String, in known: [String]) -> String? {
        let limit = max(1, min(3, key.count / 3))
        let scored = known.map { ($0, distance(key.lowercased(), $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two adjacent
    /// characters as one edit (optimal string alignment), so that "rtae" is one edit from "rate".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
