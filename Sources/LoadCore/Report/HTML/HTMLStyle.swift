/// The page's inline style sheet: system fonts, a laptop-width column, charts scaled to it, and a
/// print layout (no navigation, charts kept whole on a page, black text). Beside a chart, a table
/// gets at least its narrowest width (labels wrapped) and the chart gives way: four runs compared
/// at 1,280 px overflowed the page by 56 px when the table's column was the chart's leftover.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
               color: #111; background: #fff; }
        main { max-width: 1240px; margin: 0 auto; padding: 12px 20px 40px; }
        h1 { font-size: 22px; margin: 8px 0 4px; overflow-wrap: anywhere; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #222; padding-bottom: 2px; }
        h3 { font-size: 15px; margin: 16px 0 6px; overflow-wrap: anywhere; }
        nav a { color: #0b4f8a; }
        .overview .run { display: block; }
        figure { margin: 10px 0 18px; }
        figcaption { font-size: 15px; margin-bottom: 2px; }
        svg.chart { display: block; width: 100%; max-width: 880px; height: auto; font-size: 11px;
                    font-family: inherit; }
        svg.chart .plot { fill: #fff; stroke: #444; stroke-width: 1; }
        svg.chart .grid { stroke: #ddd; stroke-width: 1; }
        svg.chart text { fill: #222; }
        svg.chart .axis-label { font-size: 12px; }
        svg.chart .empty { font-size: 16px; fill: #777; }
        svg.chart .marker line { stroke: #888; stroke-width: 1; stroke-dasharray: 1 3; }
        svg.chart .marker text { font-size: 10px; fill: #444; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
        svg.chart .marker.strong line { stroke: #000; stroke-width: 1.4; stroke-dasharray: none; }
        svg.chart .marker.strong text { fill: #000; font-weight: 600; }
        svg.chart .band { fill: #000; fill-opacity: 0.08; }
        svg.chart .labels text { font-size: 11px; }
        .note { font-size: 12px; color: #444; margin: 2px 0 0; max-width: 880px; }
        .pair { display: grid; grid-template-columns: minmax(0, 880px) minmax(min-content, 1fr); gap: 16px; align-items: start; }
        .beside { padding-top: 28px; min-width: 0; overflow-x: auto; }
        .tables { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
        table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
        caption { text-align: left; font-weight: 600; padding-bottom: 3px; }
        th, td { padding: 2px 8px; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #444; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        table.meta td { text-align: left; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
                        font-size: 12px; }
        table.meta { max-width: 100%; }
        table.verdicts td { text-align: left; }
        ul.lines { margin: 4px 0 10px; padding-left: 20px; }
        @media (max-width: 1100px) { .pair { grid-template-columns: minmax(0, 1fr); } .beside { padding-top: 0; } }
        @media print {
            @page { size: A4; margin: 12mm; }
            body { font-size: 10pt; }
            main { max-width: none; padding: 0; }
            nav { display: none; }
            h2 { break-after: avoid; }
            figure, table, .pair { break-inside: avoid; }
            .pair { grid-template-columns: minmax(0, 1fr); }
            svg.chart { max-width: 100%; }
            a { color: inherit; text-decoration: none; }
        }
        """
}
