/// Draws a ``Chart`` as an inline SVG element: deterministic text (the same chart gives the same
/// bytes), no script, no external reference. Sized by its viewBox, so it scales with the page.
enum SVGChart {
    static let width = 880.0
    static let height = 300.0
    private static let left = 64.0
    private static let right = 190.0
    private static let top = 16.0
    private static let bottom = 44.0
    private static var plotWidth: Double { width - left - right }
    private static var plotHeight: Double { height - top - bottom }
    /// Vertical gap between direct labels, px.
    private static let labelGap = 13.0

    /// The `<svg>` element of `chart`.
    static func render(_ chart: Chart) -> String {
        let frame = Frame(chart)
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-labelledby=\"\(chart.id)-title\">\n"
        out += "<title id=\"\(chart.id)-title\">\(HTMLText.escape(chart.title))</title>\n"
        out += "<rect class=\"plot\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\"/>\n"
        out += axes(chart, frame)
        for band in chart.bands { out += self.band(band, frame) }
        for (index, marker) in chart.verticalMarkers.enumerated() { out += vertical(marker, level: index % 3, frame) }
        for marker in chart.horizontalMarkers { out += horizontal(marker, frame) }
        if chart.isEmpty {
            out += "<text class=\"empty\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(top + plotHeight / 2))\" "
                + "text-anchor=\"middle\">no data</text>\n"
        }
        for series in chart.series { out += line(series, frame) }
        out += directLabels(chart.series, frame)
        return out + "</svg>"
    }

    private static func c(_ value: Double) -> String { HTMLText.coordinate(value) }

    /// Data ranges and ticks of both axes.
    private struct Frame {
        var xLow: Double
        var xHigh: Double
        var xTicks: [(Double, String)]
        var yLow: Double
        var yHigh: Double
        var yTicks: [(Double, String)]
        var percentileX: Bool

        init(_ chart: Chart) {
            percentileX = chart.x.scale == .percentile
            let points = chart.series.flatMap { series in series.points.compactMap { p in p.y.map { (p.x, $0) } } }
            if percentileX {
                xLow = 0
                xHigh = ChartTicks.percentileEnd
                xTicks = ChartTicks.percentileTicks.map { ($0.position, $0.label) }
            } else {
                let xs = points.map(\.0) + chart.bands.flatMap { [$0.from, $0.to] }
                let low = chart.x.minimum ?? min(0, xs.min() ?? 0)
                let high = chart.x.maximum ?? max(xs.max() ?? 1, low + 1e-9)
                let ticks = ChartTicks.linear(low: low, high: high)
                let (shownLow, shownHigh) = (chart.x.minimum ?? ticks.first!, chart.x.maximum ?? ticks.last!)
                xLow = shownLow
                xHigh = shownHigh
                xTicks = Self.labelled(ticks.filter { $0 >= shownLow - 1e-9 && $0 <= shownHigh + 1e-9 })
            }
            let ys = points.map(\.1) + chart.horizontalMarkers.map(\.value)
            let low = chart.y.minimum ?? min(0, ys.min() ?? 0)
            var high = chart.y.maximum ?? (ys.max() ?? 1)
            if high <= low { high = low + 1 }
            let ticks = ChartTicks.linear(low: low, high: high)
            let (shownLow, shownHigh) = (chart.y.minimum ?? ticks.first!, chart.y.maximum ?? ticks.last!)
            yLow = shownLow
            yHigh = shownHigh
            yTicks = Self.labelled(ticks.filter { $0 >= shownLow - 1e-9 && $0 <= shownHigh + 1e-9 })
        }

        private static func labelled(_ ticks: [Double]) -> [(Double, String)] {
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            return ticks.map { ($0, ChartTicks.label($0, step: step)) }
        }

        func px(_ x: Double) -> Double {
            left + (x - xLow) / (xHigh - xLow) * plotWidth
        }

        func py(_ y: Double) -> Double {
            top + plotHeight - (y - yLow) / (yHigh - yLow) * plotHeight
        }

        func containsX(_ x: Double) -> Bool { x >= xLow - 1e-9 && x <= xHigh + 1e-9 }
    }

    private static func axes(_ chart: Chart, _ frame: Frame) -> String {
        var out = "<g class=\"axes\">\n"
        for (value, label) in frame.yTicks {
            let y = c(frame.py(value))
            out += "<line class=\"grid\" x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text x=\"\(c(left - 6))\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\">\(label)</text>\n"
        }
        for (value, label) in frame.xTicks {
            let x = c(frame.px(value))
            out += "<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(c(top))\" y2=\"\(c(top + plotHeight))\"/>"
            out += "<text x=\"\(x)\" y=\"\(c(top + plotHeight + 15))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(height - 6))\" "
            + "text-anchor=\"middle\">\(HTMLText.escape(chart.x.label))</text>\n"
        out += "<text class=\"axis-label\" transform=\"translate(14 \(c(top + plotHeight / 2))) rotate(-90)\" "
            + "text-anchor=\"middle\">\(HTMLText.escape(chart.y.label))</text>\n"
        return out + "</g>\n"
    }

    private static func band(_ band: ChartBand, _ frame: Frame) -> String {
        let from = frame.px(max(band.from, frame.xLow))
        let to = frame.px(min(band.to, frame.xHigh))
        guard to > from else { return "" }
        return "<rect class=\"band\" x=\"\(c(from))\" y=\"\(c(top))\" width=\"\(c(to - from))\" height=\"\(c(plotHeight))\">"
            + "<title>\(HTMLText.escape(band.label))</title></rect>\n"
    }

    private static func vertical(_ marker: ChartMarker, level: Int, _ frame: Frame) -> String {
        guard frame.containsX(marker.value) else { return "" }
        let x = c(frame.px(marker.value))
        let kind = marker.emphasized ? "marker strong" : "marker"
        let textY = top + 11 + 12 * Double(level)
        return "<g class=\"\(kind)\"><line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(c(top))\" y2=\"\(c(top + plotHeight))\"/>"
            + "<text x=\"\(c(frame.px(marker.value) + 3))\" y=\"\(c(textY))\">"
            + "\(HTMLText.escape(HTMLText.shortened(marker.label, to: 28)))</text>"
            + "<title>\(HTMLText.escape(marker.label))</title></g>\n"
    }

    private static func horizontal(_ marker: ChartMarker, _ frame: Frame) -> String {
        let y = frame.py(marker.value)
        let kind = marker.emphasized ? "marker strong" : "marker"
        return "<g class=\"\(kind)\"><line x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(c(y))\" y2=\"\(c(y))\"/>"
            + "<text x=\"\(c(left + plotWidth - 4))\" y=\"\(c(y - 4))\" text-anchor=\"end\">"
            + "\(HTMLText.escape(HTMLText.shortened(marker.label, to: 48)))</text>"
            + "<title>\(HTMLText.escape(marker.label))</title></g>\n"
    }

    private static func strokeAttributes(_ style: ChartLineStyle) -> String {
        var out = "stroke=\"\(style.color)\" stroke-width=\"\(c(style.width))\""
        if let dash = style.dash { out += " stroke-dasharray=\"\(dash)\"" }
        return out
    }

    private static func line(_ series: ChartSeries, _ frame: Frame) -> String {
        var out = "<g class=\"series\"><title>\(HTMLText.escape(series.label))</title>\n"
        var segments: [[ChartSeries.Point]] = [[]]
        for point in series.points {
            if point.y == nil {
                if !segments[segments.count - 1].isEmpty { segments.append([]) }
            } else if frame.containsX(point.x) {
                segments[segments.count - 1].append(point)
            }
        }
        for segment in segments where segment.count > 1 {
            let points = segment.map { "\(c(frame.px($0.x))),\(c(frame.py($0.y!)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" \(strokeAttributes(series.style)) points=\"\(points)\"/>\n"
        }
        // Markers at every point when asked, else only where a point stands alone (no line to show it).
        for segment in segments where series.showsMarkers || segment.count == 1 {
            for point in segment { out += shape(series.style, x: frame.px(point.x), y: frame.py(point.y!)) }
        }
        for point in series.annotatedPoints where frame.containsX(point.x) {
            out += "<g>" + shape(series.style, x: frame.px(point.x), y: frame.py(point.y), size: 3.2)
                + "<title>\(HTMLText.escape(point.text))</title></g>\n"
        }
        return out + "</g>\n"
    }

    private static func shape(_ style: ChartLineStyle, x: Double, y: Double, size: Double = 4) -> String {
        let stroke = "fill=\"#fff\" stroke=\"\(style.color)\" stroke-width=\"1.6\""
        switch style.marker {
        case .circle:
            return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(size))\" \(stroke)/>"
        case .square:
            return "<rect x=\"\(c(x - size))\" y=\"\(c(y - size))\" width=\"\(c(2 * size))\" height=\"\(c(2 * size))\" \(stroke)/>"
        case .triangle:
            return "<path d=\"M\(c(x)) \(c(y - size * 1.2))L\(c(x + size * 1.1)) \(c(y + size * 0.8))"
                + "L\(c(x - size * 1.1)) \(c(y + size * 0.8))Z\" \(stroke)/>"
        case .diamond:
            return "<path d=\"M\(c(x)) \(c(y - size * 1.3))L\(c(x + size)) \(c(y))L\(c(x)) \(c(y + size * 1.3))"
                + "L\(c(x - size)) \(c(y))Z\" \(stroke)/>"
        }
    }

    /// Each series's label right of the plot, at the height of its last point, with a sample of
    /// its line and marker (a legend where the eye already is). Labels are pushed apart so none overlap.
    private static func directLabels(_ series: [ChartSeries], _ frame: Frame) -> String {
        var labels: [(y: Double, series: ChartSeries)] = []
        for item in series {
            guard let last = item.points.last(where: { $0.y != nil && frame.containsX($0.x) }) else { continue }
            labels.append((frame.py(last.y!), item))
        }
        labels.sort { $0.y < $1.y }
        var positions = labels.map(\.y)
        for i in positions.indices {
            positions[i] = max(positions[i], top + 4)
            if i > 0 { positions[i] = max(positions[i], positions[i - 1] + labelGap) }
        }
        let lowest = top + plotHeight + bottom - 8
        if let last = positions.last, last > lowest {
            positions[positions.count - 1] = lowest
            for i in stride(from: positions.count - 2, through: 0, by: -1) {
                positions[i] = min(positions[i], positions[i + 1] - labelGap)
            }
        }
        var out = "<g class=\"labels\">\n"
        let x = left + plotWidth + 6
        for (index, label) in labels.enumerated() {
            let y = positions[index]
            out += "<g><line x1=\"\(c(x))\" x2=\"\(c(x + 22))\" y1=\"\(c(y))\" y2=\"\(c(y))\" \(strokeAttributes(label.series.style))/>"
            out += shape(label.series.style, x: x + 11, y: y, size: 2.6)
            out += "<text x=\"\(c(x + 27))\" y=\"\(c(y))\" dy=\"0.32em\">"
                + "\(HTMLText.escape(HTMLText.shortened(label.series.label, to: 24)))</text>"
                + "<title>\(HTMLText.escape(label.series.label))</title></g>\n"
        }
        return out + "</g>\n"
    }
}
