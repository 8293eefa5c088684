/// Text and numbers written into the HTML page. Every string that comes from a log, a header, a
/// file name or a command line goes through ``escape(_:)``: a model called `<script>` reads as
/// text, never as markup.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe in element content and in
    /// quoted attribute values. Control characters other than tab and newline become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// At most `limit` characters of `text`, the last replaced by an ellipsis when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 0))) + "…"
    }

    /// An SVG coordinate: one decimal, so that the same chart gives the same bytes.
    static func coordinate(_ value: Double) -> String {
        Format.fixed(value.isFinite ? value : 0, 1)
    }
}
