import Foundation
import ZOPlot

/// Renders a ``FigureData`` with ZOPlot (line charts and interval charts) to PNG.
public enum FigureRenderer {
    /// Panel size in logical pixels.
    static let panelWidth = 640, panelHeight = 440

    public static func figure(_ data: FigureData) -> Figure {
        let panels: [PlotPanel?] = data.panels.map(panel)
        return Figure(columns: data.columns, panels: panels, title: data.title)
    }

    static func panel(_ p: PanelData) -> PlotPanel {
        switch p.kind {
        case .lines:
            // Theory (dashed) curves first, measured ones on top: where they coincide the
            // measured curve stays visible.
            let ordered = p.series.filter(\.dashed) + p.series.filter { !$0.dashed }
            var chart = LineChart(series: ordered.map { s in
                LineSeries(label: s.label, points: zip(s.x, s.y).map { PlotPoint(x: $0, y: $1) }, dash: s.dashed ? [6, 4] : [])
            } + p.references.map { r in
                let xs = p.series.flatMap(\.x).filter { $0.isFinite && (!p.logX || $0 > 0) }
                let lo = xs.min() ?? 0, hi = xs.max() ?? 1
                return LineSeries(label: r.label, points: [PlotPoint(x: lo, y: r.value), PlotPoint(x: hi, y: r.value)],
                                  dash: [2, 3])
            }, yScale: p.logY ? .logarithmic : .linear)
            chart.xScale = p.logX ? .logarithmic : .linear
            chart.title = p.title
            chart.xLabel = p.xLabel
            chart.yLabel = p.yLabel
            chart.capsRunawayValues = false
            chart.markersPerSeries = 6
            chart.xRange = PanelData.range(p.xRange)
            chart.yRange = PanelData.range(p.yRange)
            return chart
        case .intervals:
            var chart = IntervalChart(items: p.categories.map {
                IntervalItem(label: $0.label, value: $0.value, lower: $0.lower, upper: $0.upper, expected: $0.expected)
            }, references: p.references.map { ($0.label, $0.value) }, yScale: p.logY ? .logarithmic : .linear)
            chart.title = p.title
            chart.yLabel = p.yLabel
            chart.yRange = PanelData.range(p.yRange)
            return chart
        }
    }

    /// Writes the figure as PNG (atomically).
    public static func write(_ data: FigureData, to url: URL) throws {
        let rows = (data.panels.count + data.columns - 1) / data.columns
        let image = try figure(data).render(width: panelWidth * data.columns, height: panelHeight * rows + 60)
        try image.writePNG(to: url)
    }
}
