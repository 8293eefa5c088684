import Foundation

/// A table of text cells, rendered as aligned text, markdown or CSV.
public struct TextTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Columns padded to their widest cell, two spaces apart; the first column left-aligned, the
    /// others right-aligned. Each line ends with a newline and carries no trailing spaces.
    public func text() -> String {
        let all = [columns] + rows
        var widths = [Int](repeating: 0, count: columns.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in all {
            var line = ""
            for (i, cell) in row.enumerated() where i < widths.count {
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                if i == 0 {
                    line += cell + padding
                } else {
                    line += "  " + padding + cell
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// A GitHub-flavoured markdown table; the first column left-aligned, the others right-aligned.
    /// Pipes in cells are escaped.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        var out = line(columns)
        out += "|" + columns.indices.map { $0 == 0 ? "---|" : "---:|" }.joined() + "\n"
        for row in rows { out += line(row) }
        return out
    }

    /// RFC 4180 CSV: a header line, then one line per row, `\n` line ends.
    public func csv() -> String {
        var out = CSV.line(columns)
        for row in rows { out += CSV.line(row) }
        return out
    }
}

/// RFC 4180 CSV fields: quoted when they contain a comma, a quote, CR or LF; quotes doubled.
public enum CSV {
    /// One field, quoted when needed.
    public static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A record: the fields joined by commas, ending with `\n`.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
