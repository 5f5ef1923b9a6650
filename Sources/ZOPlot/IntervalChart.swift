import Foundation

/// One category of an ``IntervalChart``: a point estimate, an optional interval and an
/// optional expected (theory) value.
public struct IntervalItem: Sendable {
    public var label: String
    public var value: Double
    public var lower: Double?
    public var upper: Double?
    public var expected: Double?

    public init(label: String, value: Double, lower: Double? = nil, upper: Double? = nil, expected: Double? = nil) {
        self.label = label
        self.value = value
        self.lower = lower
        self.upper = upper
        self.expected = expected
    }
}

/// Categories along x, each a filled point estimate with a vertical interval bar (a
/// confidence interval) and, when given, an open diamond at the expected value; horizontal
/// dashed reference lines with labels (thresholds, theory values). The verification figures
/// use it for per-coordinate statistics, probabilities with binomial intervals and
/// per-method byte counts.
///
/// Non-finite values and bounds are skipped (nothing is drawn for them); values ≤ 0 are
/// skipped on a log axis. Category labels are drawn under the axis, shrunk or thinned when
/// they would overlap.
public struct IntervalChart: PlotPanel {
    public var items: [IntervalItem]
    public var references: [(label: String, value: Double)]
    public var title = ""
    public var subtitle = ""
    public var yLabel = ""
    public var yScale: AxisScale
    /// Fixed y range (nil: from the data, the intervals and the references).
    public var yRange: ClosedRange<Double>?

    public init(items: [IntervalItem], references: [(label: String, value: Double)] = [], yScale: AxisScale = .linear) {
        self.items = items
        self.references = references
        self.yScale = yScale
    }

    func usable(_ v: Double?) -> Double? {
        guard let v, v.isFinite, yScale == .linear || v > 0 else { return nil }
        return v
    }

    func yAxis() throws -> Axis {
        if let r = yRange {
            let a = Axis(lower: r.lowerBound, upper: r.upperBound, scale: yScale, label: yLabel)
            try a.validate("y")
            return a
        }
        var values: [Double] = []
        for item in items {
            for v in [item.value, item.lower, item.upper, item.expected] { if let u = usable(v) { values.append(u) } }
        }
        for r in references { if let u = usable(r.value) { values.append(u) } }
        guard var lo = values.min(), var hi = values.max() else {
            return Axis(lower: yScale == .linear ? 0 : 1, upper: yScale == .linear ? 1 : 10, scale: yScale, label: yLabel)
        }
        switch yScale {
        case .linear:
            if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
            let pad = (hi - lo) * 0.08
            let range = Ticks.looseRange(from: lo - pad, to: hi + pad, targetCount: 6)
            lo = range.lowerBound
            hi = range.upperBound
        case .logarithmic:
            if hi == lo { lo /= 2; hi *= 2 }
            lo = pow(10, log10(lo).rounded(.down))
            hi = pow(10, log10(hi).rounded(.up))
        }
        return Axis(lower: lo, upper: hi, scale: yScale, label: yLabel)
    }

    public func draw(in canvas: Canvas, frame: PlotRect, style: PlotStyle) throws {
        try validatePanelFrame(frame)
        let titleBlock = TitleBlock(title: title, subtitle: subtitle)
        let content = frame.inset(top: titleBlock.height(width: frame.width, canvas: canvas, style: style))
        let n = max(items.count, 1)
        var font = style.tickFont
        let slot = max(1, (content.width - 80) / Double(n))
        let widest = items.map { canvas.measure($0.label, font: font).width }.max() ?? 0
        if widest > slot - 4 { font.size = max(7, font.size * (slot - 4) / widest) }
        let every = max(1, Int((items.map { canvas.measure($0.label, font: font).width }.max() ?? 0) / max(slot - 4, 1)) + 1)
        let ticks = items.indices.map { Tick(value: Double($0), label: $0 % every == 0 ? items[$0].label : "") }
        let x = Axis(lower: -0.5, upper: Double(n) - 0.5, scale: .linear, label: "", ticks: ticks)
        let y = try yAxis()
        var tickStyle = style
        tickStyle.tickFont = font
        let layout = AxesLayout.make(in: content, x: x, y: y, canvas: canvas, style: tickStyle)
        let plot = layout.plot
        guard plot.width >= 4, plot.height >= 4 else { throw PlotError.panelTooSmall(width: frame.width, height: frame.height) }
        canvas.record(PlotArea(rect: plot, x: x, y: y, scale: canvas.scale))
        canvas.fill(plot, color: .white)
        layout.drawGrid(on: canvas, style: style)
        canvas.withClip(plot) {
            for (k, r) in references.enumerated() {
                guard let v = usable(r.value) else { continue }
                let py = layout.pixel(PlotPoint(x: 0, y: v)).y
                let color = style.palette[k + 4]
                canvas.line(from: PlotPoint(x: plot.minX, y: py), to: PlotPoint(x: plot.maxX, y: py), color: color,
                            lineWidth: 1.2, dash: [5, 4])
                canvas.text(r.label, at: PlotPoint(x: plot.maxX - 4, y: py - 2), font: style.legendFont, color: color,
                            anchor: TextAnchor(.right, .bottom))
            }
            let color = style.palette[1]
            for (i, item) in items.enumerated() {
                let cx = layout.pixel(PlotPoint(x: Double(i), y: y.lower)).x
                if let lo = usable(item.lower), let hi = usable(item.upper) {
                    let a = layout.pixel(PlotPoint(x: Double(i), y: lo)), b = layout.pixel(PlotPoint(x: Double(i), y: hi))
                    let cap = min(8, slot * 0.2)
                    canvas.line(from: a, to: b, color: color, lineWidth: 1.8)
                    canvas.line(from: PlotPoint(x: cx - cap, y: a.y), to: PlotPoint(x: cx + cap, y: a.y), color: color, lineWidth: 1.8)
                    canvas.line(from: PlotPoint(x: cx - cap, y: b.y), to: PlotPoint(x: cx + cap, y: b.y), color: color, lineWidth: 1.8)
                }
                if let e = usable(item.expected) {
                    let p = layout.pixel(PlotPoint(x: Double(i), y: e))
                    canvas.marker(.diamond, at: PlotPoint(x: p.x + min(10, slot * 0.25), y: p.y), size: style.markerSize,
                                  fill: .white, edge: style.palette[0], edgeWidth: 1.5)
                }
                if let v = usable(item.value) {
                    canvas.marker(.circle, at: layout.pixel(PlotPoint(x: Double(i), y: v)), size: style.markerSize,
                                  fill: color, edge: .white, edgeWidth: 0.8)
                }
            }
        }
        layout.drawDecorations(on: canvas, style: tickStyle)
        titleBlock.draw(on: canvas, frame: frame, style: style)
        try canvas.check("interval chart \"\(title)\"")
    }
}
