import Foundation

/// A line of a ``LineChart``: (step, value) points, e.g. a loss curve.
///
/// A run that diverged has a non-finite value from some step on: the chart draws the line up
/// to the last finite value, marks it ✗, and labels it "(diverged at step k)". Values ≤ 0 on
/// a log axis cannot be drawn and leave a gap in the line (they are not divergence).
public struct LineSeries: Sendable {
    public var label: String
    /// x = step, y = value.
    public var points: [PlotPoint]
    public var color: PlotColor?
    public var marker: MarkerShape?
    public var dash: [Double]

    public init(label: String, points: [PlotPoint], color: PlotColor? = nil, marker: MarkerShape? = nil, dash: [Double] = []) {
        self.label = label
        self.points = points
        self.color = color
        self.marker = marker
        self.dash = dash
    }

    /// Values at steps `firstStep, firstStep + stepStride, …`.
    public init(label: String, values: [Double], firstStep: Int = 0, stepStride: Int = 1, color: PlotColor? = nil) {
        self.init(label: label, points: values.enumerated().map { PlotPoint(x: Double(firstStep + $0.offset * stepStride), y: $0.element) },
                  color: color)
    }

    /// Values at the given steps; throws when the counts differ.
    public init(label: String, steps: [Int], values: [Double], color: PlotColor? = nil) throws {
        guard steps.count == values.count else {
            throw PlotError.invalidArgument("series \"\(label)\": \(steps.count) steps for \(values.count) values")
        }
        self.init(label: label, points: zip(steps, values).map { PlotPoint(x: Double($0), y: $1) }, color: color)
    }

    /// Index of the first point with a non-finite step or value, or nil.
    public var divergenceIndex: Int? { points.firstIndex { !$0.isFinite } }

    /// The step at which the series diverged: the first non-finite point's step (or, when
    /// the step itself is non-finite, the previous step + 1).
    public var divergenceStep: Int? {
        guard let i = divergenceIndex else { return nil }
        if points[i].x.isFinite { return Int(points[i].x) }
        return i > 0 ? Int(points[i - 1].x) + 1 : 0
    }

    public var legendLabel: String {
        guard let k = divergenceStep else { return label }
        return label + " (diverged at step \(k))"
    }

    public var finitePoints: ArraySlice<PlotPoint> { points[..<(divergenceIndex ?? points.count)] }
}

/// The order in which a ``LineChart`` draws its lines.
public enum SeriesDrawOrder: Sendable, Hashable {
    /// Series order: the last series is on top.
    case given
    /// The noisiest line first (at the bottom), the smoothest last: a wide band of a noisy
    /// run does not bury the smooth curves drawn under it. Noise is the line's total vertical
    /// travel in pixels per pixel of horizontal extent; ties keep the series order.
    case noisiestFirst
}

/// Loss-versus-step panel: log y by default, light grid, sparse markers, legend in the
/// emptiest corner (or outside), title with settings.
public struct LineChart: PlotPanel {
    public var series: [LineSeries]
    public var xScale = AxisScale.linear
    public var yScale = AxisScale.logarithmic
    public var title = ""
    public var settings: PlotSettings?
    public var subtitle = ""
    public var xLabel = "step"
    public var yLabel = "loss"
    /// Fixed axis ranges (nil: from the data; log ranges widen to whole decades).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var legendPlacement = LegendPlacement.automatic
    public var showsGrid = true
    /// Markers drawn along each line (0: none); they keep series apart in greyscale print.
    public var markersPerSeries = 8
    /// With an automatic y range, cap its top at 10³ × the largest first value (log axis)
    /// or at first + 3 × (first − min) (linear axis), so one runaway run does not flatten the
    /// others; lines above the cap leave through the top edge, a diverged one with its ✗ there.
    public var capsRunawayValues = true
    /// The order lines are drawn in (later lines on top); the legend keeps the series order.
    public var drawOrder = SeriesDrawOrder.given

    public init(series: [LineSeries], yScale: AxisScale = .logarithmic) {
        self.series = series
        self.yScale = yScale
    }

    func drawable(_ p: PlotPoint) -> Bool {
        p.isFinite && (xScale == .linear || p.x > 0) && (yScale == .linear || p.y > 0)
    }

    /// Axes from the data (or the fixed ranges); flags when nothing is drawable.
    func axes() throws -> (x: Axis, y: Axis, empty: Bool) {
        let pts = series.flatMap { $0.finitePoints.filter(drawable) }
        func range(_ values: [Double], scale: AxisScale, fixed: ClosedRange<Double>?, name: String, loose: Bool) throws -> ClosedRange<Double> {
            if let fixed {
                try Axis(lower: fixed.lowerBound, upper: fixed.upperBound, scale: scale).validate(name)
                return fixed
            }
            guard let lo = values.min(), let hi = values.max() else { return scale == .linear ? 0...1 : 1...10 }
            switch scale {
            case .linear:
                if hi == lo { let pad = lo == 0 ? 1 : abs(lo) * 0.1; return (lo - pad)...(hi + pad) }
                if !loose { return lo...hi }
                return Ticks.looseRange(from: lo, to: hi, targetCount: 6)
            case .logarithmic:
                if hi == lo { return (lo / 2)...(hi * 2) }
                let l0 = log10(lo), l1 = log10(hi)
                if l1 - l0 >= 1 { return pow(10, l0.rounded(.down))...pow(10, l1.rounded(.up)) }
                let pad = (l1 - l0) * 0.05
                return pow(10, l0 - pad)...pow(10, l1 + pad)
            }
        }
        let xr = try range(pts.map(\.x), scale: xScale, fixed: xRange, name: "x", loose: false)
        var ys = pts.map(\.y)
        if capsRunawayValues, let cap = runawayCap(), let lo = ys.min() {
            ys = ys.filter { $0 <= cap } + [lo]
        }
        let yr = try range(ys, scale: yScale, fixed: yRange, name: "y", loose: true)
        let x = Axis(lower: xr.lowerBound, upper: xr.upperBound, scale: xScale, label: xLabel)
        let y = Axis(lower: yr.lowerBound, upper: yr.upperBound, scale: yScale, label: yLabel)
        try x.validate("x")
        try y.validate("y")
        return (x, y, pts.isEmpty)
    }

    /// The y cap of ``capsRunawayValues`` (nil: no cap applies).
    func runawayCap() -> Double? {
        let firsts = series.compactMap { $0.finitePoints.first(where: drawable)?.y }
        let all = series.flatMap { $0.finitePoints.filter(drawable).map(\.y) }
        guard let first = firsts.max(), let lo = all.min(), let hi = all.max() else { return nil }
        let cap: Double
        switch yScale {
        case .logarithmic: cap = first * 1e3
        case .linear: cap = first + 3 * (first - lo)
        }
        return hi > cap && cap > lo ? cap : nil
    }

    func color(_ k: Int, style: PlotStyle) -> PlotColor { series[k].color ?? style.palette[k] }
    func marker(_ k: Int, style: PlotStyle) -> MarkerShape { series[k].marker ?? style.marker(k) }

    /// Drawable runs of a series in pixels (gaps at undrawable values), clipped near the plot.
    func pixelRuns(_ s: LineSeries, layout: AxesLayout) -> [[PlotPoint]] {
        var runs: [[PlotPoint]] = []
        var current: [PlotPoint] = []
        for p in s.finitePoints {
            if drawable(p) {
                current.append(layout.pixel(p))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        let window = layout.plot.insetBy(dx: -20, dy: -20)
        return runs.flatMap { run in run.count == 1 ? (window.contains(run[0]) ? [run] : []) : Clipping.clip(polyline: run, to: window) }
    }

    public func draw(in canvas: Canvas, frame: PlotRect, style: PlotStyle) throws {
        try validatePanelFrame(frame)
        let (xAxis, yAxis, empty) = try axes()
        let titleBlock = TitleBlock(title: title, subtitle: settings?.text ?? subtitle)
        let content = frame.inset(top: titleBlock.height(width: frame.width, canvas: canvas, style: style))
        let entries: [LegendEntry] = series.indices.map { k in
            let s = series[k]
            return LegendEntry(label: s.legendLabel, color: color(k, style: style), lineWidth: style.lineWidth, dash: s.dash,
                               marker: markersPerSeries > 0 ? marker(k, style: style) : nil, markerEdge: .white,
                               markerSize: style.markerSize * 0.8)
        }
        let (layout, legendRect) = Legend.plan(
            entries: entries, placement: legendPlacement, content: content, canvas: canvas, style: style,
            layout: { right, bottom in
                AxesLayout.make(in: content, x: xAxis, y: yAxis, canvas: canvas, style: style,
                                reservedRight: right, reservedBottom: bottom)
            },
            occupied: { layout in series.flatMap { pixelRuns($0, layout: layout).flatMap { Legend.densified($0) } } })
        let plot = layout.plot
        guard plot.width >= 4, plot.height >= 4 else { throw PlotError.panelTooSmall(width: frame.width, height: frame.height) }
        canvas.record(PlotArea(rect: plot, x: layout.x, y: layout.y, scale: canvas.scale))
        let finalRuns = series.map { pixelRuns($0, layout: layout) }

        canvas.fill(plot, color: .white)
        if showsGrid { layout.drawGrid(on: canvas, style: style) }
        var crosses: [(PlotPoint, PlotColor)] = []
        canvas.withClip(plot) {
            for k in drawingSequence(finalRuns) {
                let s = series[k]
                let c = color(k, style: style)
                canvas.strokePolylines(finalRuns[k], color: c, lineWidth: style.lineWidth, dash: s.dash)
                let pixels = finalRuns[k].flatMap { $0 }
                if markersPerSeries > 0 && pixels.count > 2 {
                    let every = max(1, pixels.count / markersPerSeries)
                    var i = every * (k + 1) / (series.count + 1)
                    while i < pixels.count {
                        canvas.marker(marker(k, style: style), at: pixels[i], size: style.markerSize * 0.8, fill: c, edge: .white, edgeWidth: 0.8)
                        i += every
                    }
                }
                if s.divergenceIndex != nil, let last = pixels.last {
                    // Off the plot (a runaway value above the cap): the ✗ goes where the line left.
                    let at = plot.contains(last) ? last : (finalRuns[k].last.flatMap { Clipping.clip(polyline: $0, to: plot).last?.last } ?? last)
                    crosses.append((at, c))
                }
            }
        }
        // Drawn unclipped, so a ✗ on the frame shows whole.
        for (p, c) in crosses where plot.insetBy(dx: -1, dy: -1).contains(p) {
            canvas.marker(.cross, at: p, size: style.markerSize * 1.5, fill: c, edge: .black, edgeWidth: 1)
        }
        if empty {
            canvas.text("no finite data", at: PlotPoint(x: plot.midX, y: plot.midY), font: style.axisLabelFont,
                        color: style.textColor, anchor: .center)
        }
        layout.drawDecorations(on: canvas, style: style)
        if let legendRect { Legend.draw(entries, in: legendRect, canvas: canvas, style: style) }
        titleBlock.draw(on: canvas, frame: frame, style: style)
        try canvas.check("line chart \"\(title)\"")
    }

    /// Series indices in drawing order, given each series' pixel runs.
    func drawingSequence(_ runs: [[[PlotPoint]]]) -> [Int] {
        switch drawOrder {
        case .given:
            return Array(series.indices)
        case .noisiestFirst:
            let noise = runs.map { Self.verticalTravelPerPixel($0) }
            return series.indices.sorted { noise[$0] != noise[$1] ? noise[$0] > noise[$1] : $0 < $1 }
        }
    }

    /// Σ |Δy| / (max x − min x) over the pixel runs of one series (0 for fewer than two points).
    static func verticalTravelPerPixel(_ runs: [[PlotPoint]]) -> Double {
        let xs = runs.flatMap { $0.map(\.x) }
        guard let lo = xs.min(), let hi = xs.max(), hi > lo else { return 0 }
        let travel = runs.reduce(0.0) { total, run in
            total + zip(run, run.dropFirst()).reduce(0.0) { $0 + abs($1.1.y - $1.0.y) }
        }
        return travel / (hi - lo)
    }
}

