/// How one series is drawn: colour, dash pattern, width and marker shape. The palette is Okabe and
/// Ito's (safe for colour-blind readers) and each entry also differs by dash and shape, so that
/// series stay apart printed in grayscale.
struct ChartLineStyle: Hashable {
    enum MarkerShape: Hashable {
        case circle, square, triangle, diamond
    }

    var color: String
    /// An SVG `stroke-dasharray`, nil for a solid line.
    var dash: String?
    var width: Double
    var marker: MarkerShape

    /// The n-th style of the palette (it cycles).
    static func palette(_ index: Int) -> ChartLineStyle {
        let styles = [
            ChartLineStyle(color: "#0072B2", dash: nil, width: 2, marker: .circle),
            ChartLineStyle(color: "#D55E00", dash: "7 4", width: 2, marker: .square),
            ChartLineStyle(color: "#009E73", dash: "2 3", width: 2.2, marker: .triangle),
            ChartLineStyle(color: "#CC79A7", dash: "10 3 2 3", width: 2, marker: .diamond),
            ChartLineStyle(color: "#555555", dash: "4 2", width: 1.6, marker: .circle),
            ChartLineStyle(color: "#E69F00", dash: "1 2", width: 2.4, marker: .square),
            ChartLineStyle(color: "#56B4E9", dash: "12 4", width: 1.8, marker: .triangle),
        ]
        return styles[((index % styles.count) + styles.count) % styles.count]
    }

    /// This style, thinner and with a lighter dash: the "from intended start" twin of a series.
    var twin: ChartLineStyle {
        var style = self
        style.width = max(width - 0.8, 1)
        style.dash = dash.map { $0 + " 1 3" } ?? "1 3"
        return style
    }
}
