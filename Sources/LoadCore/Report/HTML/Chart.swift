/// A line chart before it is drawn: axes, series and the marks laid over them. Built by the
/// report's chart makers (``LatencyCharts``, ``TimeSeriesCharts``, ...) and drawn as SVG by
/// ``SVGChart``. Every series carries its own ``ChartLineStyle`` (a dash pattern and a marker
/// shape as well as a colour) and a direct label, so the chart reads in grayscale and in print.
struct Chart {
    /// A stable identifier, unique in the page (the figure's `id`).
    var id: String
    var title: String
    /// A sentence under the chart: what is plotted and how it was computed.
    var caption: String
    var x: ChartAxis
    var y: ChartAxis
    var series: [ChartSeries]
    /// Vertical lines at x values (stage starts, the first 429, the knee).
    var verticalMarkers: [ChartMarker] = []
    /// Horizontal lines at y values (an announced limit, an SLO).
    var horizontalMarkers: [ChartMarker] = []
    /// Shaded x ranges (the SLO capacity's bracket).
    var bands: [ChartBand] = []

    /// True when no series has a point to draw.
    var isEmpty: Bool { !series.contains { $0.points.contains { $0.y != nil } } }
}

/// One axis: its label and how values map onto it.
struct ChartAxis {
    enum Scale {
        /// Values as they are; the range starts at 0 unless a value is negative.
        case linear
        /// Percentiles 0-100 placed at log10(1/(1 - p/100)), HdrHistogram's percentile plot: 0 %,
        /// 90 %, 99 %, 99.9 % ... are evenly spaced. Ends at 99.999 %.
        case percentile
    }

    var label: String
    var scale: Scale = .linear
    /// Fixed ends (nil: from the data).
    var minimum: Double?
    var maximum: Double?
}

/// A line: points in data units; a nil y breaks the line (an interval without data).
struct ChartSeries {
    struct Point {
        var x: Double
        var y: Double?
    }

    /// The direct label at the line's end (and the hover text).
    var label: String
    var points: [Point]
    var style: ChartLineStyle
    /// Draws the marker shape at every point (few points: a sweep's steps).
    var showsMarkers = false
    /// Points marked and named on hover, e.g. p50 and p99 of a percentile curve: (x, y, text).
    var annotatedPoints: [(x: Double, y: Double, text: String)] = []
}

/// A vertical or horizontal line with its label.
struct ChartMarker {
    var value: Double
    var label: String
    /// Drawn solid and dark (a result: the knee, the first 429) rather than dotted and light (a stage).
    var emphasized = false
}

/// A shaded range of x.
struct ChartBand {
    var from: Double
    var to: Double
    var label: String
}
