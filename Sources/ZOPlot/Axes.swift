import Foundation

/// Linear or base-10 logarithmic axis.
public enum AxisScale: Sendable, Hashable {
    case linear
    case logarithmic
}

/// One axis: its data range, scale, title and optional fixed ticks.
public struct Axis: Sendable {
    public var lower: Double
    public var upper: Double
    public var scale: AxisScale
    public var label: String
    /// Ticks to use instead of the automatic ones.
    public var ticks: [Tick]?

    public init(lower: Double, upper: Double, scale: AxisScale = .linear, label: String = "", ticks: [Tick]? = nil) {
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.label = label
        self.ticks = ticks
    }

    /// Data value → position in [0, 1] along the axis (log₁₀ for log axes; NaN for v ≤ 0 there).
    @inline(__always) public func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lower) / (upper - lower)
        case .logarithmic: return v > 0 ? (log10(v) - log10(lower)) / (log10(upper) - log10(lower)) : .nan
        }
    }

    /// Automatic ticks for an axis `length` pixels long (about one major tick per 70 px, at
    /// least three requested).
    func automaticTicks(length: Double, targetCount: Int? = nil) -> [Tick] {
        let target = targetCount ?? max(3, min(9, Int(length / 70) + 1))
        switch scale {
        case .linear: return Ticks.linear(from: lower, to: upper, targetCount: target)
        case .logarithmic: return Ticks.logarithmic(from: lower, to: upper, targetCount: target)
        }
    }

    func validate(_ name: String) throws {
        guard lower.isFinite, upper.isFinite, upper > lower, (upper - lower).isFinite else {
            throw PlotError.degenerateDomain("\(name) axis [\(lower), \(upper)] must be finite with upper > lower")
        }
        if scale == .logarithmic && lower <= 0 {
            throw PlotError.degenerateDomain("log \(name) axis needs lower > 0, got \(lower)")
        }
    }
}

/// A laid-out pair of axes: the plot rectangle in pixels, the data ↔ pixel mapping, and the
/// ticks chosen so that labels do not overlap.
struct AxesLayout {
    var plot: PlotRect
    var x: Axis
    var y: Axis
    var xTicks: [Tick]
    var yTicks: [Tick]

    /// Data → pixel (y grows downwards on screen).
    @inline(__always) func pixel(_ p: PlotPoint) -> PlotPoint {
        PlotPoint(x: plot.minX + x.fraction(p.x) * plot.width, y: plot.maxY - y.fraction(p.y) * plot.height)
    }

    /// Pixel → data (linear axes only; used by the band rasteriser).
    func data(_ q: PlotPoint) -> PlotPoint {
        PlotPoint(x: x.lower + (q.x - plot.minX) / plot.width * (x.upper - x.lower),
                  y: y.lower + (plot.maxY - q.y) / plot.height * (y.upper - y.lower))
    }

    /// Lays out axes in `frame`: margins for tick labels and axis titles, ticks fitted to the
    /// resulting plot size. `reservedRight` / `reservedBottom` are kept free (colour bar,
    /// outside legend); `equalAspect` makes one data unit equally long on both axes.
    static func make(in frame: PlotRect, x: Axis, y: Axis, canvas: Canvas, style: PlotStyle,
                     reservedRight: Double = 0, reservedBottom: Double = 0, equalAspect: Bool = false) -> AxesLayout {
        let tickFont = style.tickFont
        let labelHeight = canvas.measure("Xy", font: style.axisLabelFont).height
        let tickHeight = canvas.measure("0", font: tickFont).height
        let pad = style.padding
        // First pass with estimated margins: the plot size decides the tick density.
        var estimate = frame.inset(top: pad, left: 60, bottom: 50, right: reservedRight + pad)
        var yTicks = y.ticks ?? fittedTicks(y, length: estimate.height, canvas: canvas, font: tickFont, vertical: true)
        let yLabelWidth = yTicks.map { canvas.measure($0.label, font: tickFont).width }.max() ?? 0
        let left = style.tickLength + 4 + yLabelWidth + (y.label.isEmpty ? 0 : 6 + labelHeight) + 2
        let bottom = style.tickLength + 3 + tickHeight + (x.label.isEmpty ? 0 : 4 + labelHeight) + 2 + reservedBottom
        estimate = frame.inset(top: pad, left: left, bottom: bottom, right: reservedRight + pad)
        var xTicks = x.ticks ?? fittedTicks(x, length: estimate.width, canvas: canvas, font: tickFont, vertical: false)
        // The last x label may stick out to the right by half its width.
        let overhang = xTicks.last.map { canvas.measure($0.label, font: tickFont).width / 2 } ?? 0
        var plot = frame.inset(top: pad + tickHeight / 2, left: left, bottom: bottom,
                               right: reservedRight + max(pad, overhang + 2))
        if equalAspect {
            let sx = plot.width / (x.upper - x.lower), sy = plot.height / (y.upper - y.lower)
            let s = min(sx, sy)
            let w = s * (x.upper - x.lower), h = s * (y.upper - y.lower)
            plot = PlotRect(x: plot.minX + (plot.width - w) / 2, y: plot.minY + (plot.height - h) / 2, width: w, height: h)
        }
        if y.ticks == nil { yTicks = fittedTicks(y, length: plot.height, canvas: canvas, font: tickFont, vertical: true) }
        if x.ticks == nil { xTicks = fittedTicks(x, length: plot.width, canvas: canvas, font: tickFont, vertical: false) }
        return AxesLayout(plot: plot, x: x, y: y, xTicks: xTicks, yTicks: yTicks)
    }

    /// Automatic ticks thinned until neighbouring labels keep a gap (8 px horizontally,
    /// one line height vertically).
    static func fittedTicks(_ axis: Axis, length: Double, canvas: Canvas, font: FontSpec, vertical: Bool) -> [Tick] {
        guard length > 0 else { return [] }
        var target = max(3, min(9, Int(length / 70) + 1))
        while true {
            let ticks = axis.automaticTicks(length: length, targetCount: target)
            let majors = ticks.filter { $0.isMajor && !$0.label.isEmpty }
            var fits = true
            for (a, b) in zip(majors, majors.dropFirst()) {
                let gap = abs(axis.fraction(b.value) - axis.fraction(a.value)) * length
                let need = vertical
                    ? canvas.measure("0", font: font).height + 2
                    : (canvas.measure(a.label, font: font).width + canvas.measure(b.label, font: font).width) / 2 + 8
                if gap < need { fits = false; break }
            }
            if fits || target <= 2 { return ticks }
            target -= 1
        }
    }

    /// Frame, outward ticks, tick labels and axis titles; light grid lines at major ticks
    /// when `grid` is set (drawn first: call before the data).
    func drawGrid(on canvas: Canvas, style: PlotStyle) {
        canvas.withClip(plot) {
            for t in xTicks where t.isMajor {
                let px = pixel(PlotPoint(x: t.value, y: y.lower)).x
                canvas.line(from: PlotPoint(x: px, y: plot.minY), to: PlotPoint(x: px, y: plot.maxY), color: style.gridColor, lineWidth: 1)
            }
            for t in yTicks where t.isMajor {
                let py = plot.maxY - y.fraction(t.value) * plot.height
                canvas.line(from: PlotPoint(x: plot.minX, y: py), to: PlotPoint(x: plot.maxX, y: py), color: style.gridColor, lineWidth: 1)
            }
        }
    }

    func drawDecorations(on canvas: Canvas, style: PlotStyle) {
        canvas.stroke(plot, color: style.frameColor, lineWidth: style.frameWidth)
        let font = style.tickFont
        for t in xTicks {
            let f = x.fraction(t.value)
            guard f.isFinite, f >= -1e-9, f <= 1 + 1e-9 else { continue }
            let px = plot.minX + f * plot.width
            let len = t.isMajor ? style.tickLength : style.minorTickLength
            canvas.line(from: PlotPoint(x: px, y: plot.maxY), to: PlotPoint(x: px, y: plot.maxY + len), color: style.frameColor, lineWidth: style.frameWidth)
            if t.isMajor {
                canvas.text(t.label, at: PlotPoint(x: px, y: plot.maxY + style.tickLength + 3), font: font,
                            color: style.textColor, anchor: .topCenter)
            }
        }
        var widest = 0.0
        for t in yTicks {
            let f = y.fraction(t.value)
            guard f.isFinite, f >= -1e-9, f <= 1 + 1e-9 else { continue }
            let py = plot.maxY - f * plot.height
            let len = t.isMajor ? style.tickLength : style.minorTickLength
            canvas.line(from: PlotPoint(x: plot.minX - len, y: py), to: PlotPoint(x: plot.minX, y: py), color: style.frameColor, lineWidth: style.frameWidth)
            if t.isMajor {
                widest = max(widest, canvas.measure(t.label, font: font).width)
                canvas.text(t.label, at: PlotPoint(x: plot.minX - style.tickLength - 4, y: py), font: font,
                            color: style.textColor, anchor: .right)
            }
        }
        if !x.label.isEmpty {
            let tickHeight = canvas.measure("0", font: font).height
            canvas.text(x.label, at: PlotPoint(x: plot.midX, y: plot.maxY + style.tickLength + 3 + tickHeight + 4),
                        font: style.axisLabelFont, color: style.textColor, anchor: .topCenter)
        }
        if !y.label.isEmpty {
            canvas.text(y.label, at: PlotPoint(x: plot.minX - style.tickLength - 4 - widest - 6, y: plot.midY),
                        font: style.axisLabelFont, color: style.textColor, anchor: TextAnchor(.center, .bottom), rotation: -.pi / 2)
        }
    }
}

/// Where a panel put its data: the plot rectangle and the axes, so callers (and tests) can map
/// data coordinates to pixels of the rendered image.
public struct PlotArea: Sendable {
    /// The plot rectangle in logical pixels.
    public var rect: PlotRect
    public var x: Axis
    public var y: Axis
    /// Device pixels per logical pixel.
    public var scale: Double

    /// Data point → device pixel (x right, y down) in the rendered image.
    public func pixel(for p: PlotPoint) -> PlotPoint {
        PlotPoint(x: (rect.minX + x.fraction(p.x) * rect.width) * scale,
                  y: (rect.maxY - y.fraction(p.y) * rect.height) * scale)
    }
}
