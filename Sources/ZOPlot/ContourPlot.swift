/// A filled-contour panel of a scalar field with optimizer trajectories on top: colour bar,
/// axes, legend, start / known-minimum / final-point markers, and a title carrying the
/// settings.
///
/// ```swift
/// let domain = try PlotDomain(x: -2...2, y: -1...3)
/// var plot = try ContourPlot(field: { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) },
///                            domain: domain, resolution: 400, levels: .logarithmic(count: 20))
/// plot.trajectories = [Trajectory(label: "MeZO", points: path)]
/// plot.minima = [PlotPoint(x: 1, y: 1)]
/// plot.title = "Rosenbrock"
/// plot.settings = PlotSettings(optimizer: "MeZO", learningRate: 1e-3, epsilon: 1e-3, steps: 500, seed: 0)
/// try Figure(plot).render(width: 800, height: 800).writePNG(to: url)
/// ```
///
/// Non-finite field values follow ``nonFinite`` (holes by default, drawn hatched grey). An
/// all-non-finite field draws axes, holes and a "no finite values" note rather than failing.
public struct ContourPlot: PlotPanel {
    public var grid: ScalarGrid
    public var levels: ContourLevels
    /// Precomputed contours (skips level resolution and marching squares at draw time).
    public var contours: ContourSet?
    public var colorMap = ColorMap.viridis
    public var nonFinite = NonFiniteHandling.hole
    public var trajectories: [Trajectory] = []
    /// Known minima, marked with a star.
    public var minima: [PlotPoint] = []
    public var title = ""
    /// Settings line under the title; ``subtitle`` is used when this is nil.
    public var settings: PlotSettings?
    public var subtitle = ""
    public var xLabel = "x"
    public var yLabel = "y"
    public var colorBarLabel = "f(x, y)"
    public var showsColorBar = true
    public var showsContourLines = true
    /// One data unit has the same length on both axes (the plot is letterboxed).
    public var equalAspect = false
    public var legendPlacement = LegendPlacement.automatic
    /// Animation support: draw only the first `revealedPointCount` points of each trajectory
    /// (legend placement still uses the full paths so it does not jump between frames).
    public var revealedPointCount: Int?
    /// Reused band raster across animation frames (same layout ⇒ same raster).
    var rasterCache: BandRasterCache?

    public init(grid: ScalarGrid, levels: ContourLevels = .linear(count: 12)) {
        self.grid = grid
        self.levels = levels
    }

    /// Uses precomputed contours (their grid and levels).
    public init(contours: ContourSet) {
        self.init(grid: contours.grid, levels: .explicit(contours.levels))
        self.contours = contours
    }

    /// Samples `field` on a `resolution × resolution` grid over `domain` (in parallel:
    /// `field` must be safe to call concurrently).
    public init(field: (Double, Double) -> Double, domain: PlotDomain, resolution: Int = 200,
                levels: ContourLevels = .linear(count: 12)) throws {
        self.init(grid: try ScalarGrid(sampling: field, domain: domain, columns: resolution, rows: resolution), levels: levels)
    }

    var isLogarithmic: Bool {
        if case .logarithmic = levels { return true }
        return false
    }

    public func draw(in canvas: Canvas, frame: PlotRect, style: PlotStyle) throws {
        try validatePanelFrame(frame)
        for t in trajectories { try t.validate() }
        let set = try contours ?? ContourSet(grid: grid.handlingNonFinite(nonFinite), levels: levels)
        let domain = set.grid.domain

        let titleBlock = TitleBlock(title: title, subtitle: settings?.text ?? subtitle)
        let titleHeight = titleBlock.height(width: frame.width, canvas: canvas, style: style)
        let content = frame.inset(top: titleHeight)
        let bar = ColorBar(levels: set.levels, colorMap: colorMap, label: colorBarLabel,
                           logarithmic: isLogarithmic || Self.looksLogarithmic(set.levels))
        let barWidth = showsColorBar && !set.levels.isEmpty ? bar.width(canvas: canvas, style: style) : 0
        let entries = legendEntries(style: style)
        let xAxis = Axis(lower: domain.xMin, upper: domain.xMax, label: xLabel)
        let yAxis = Axis(lower: domain.yMin, upper: domain.yMax, label: yLabel)

        let (layout, legendRect) = Legend.plan(
            entries: entries, placement: legendPlacement, content: content, canvas: canvas, style: style,
            layout: { right, bottom in
                AxesLayout.make(in: content, x: xAxis, y: yAxis, canvas: canvas, style: style,
                                reservedRight: barWidth + right, reservedBottom: bottom, equalAspect: equalAspect)
            },
            occupied: { dataPixels(layout: $0, style: style) })
        let plot = layout.plot
        guard plot.width >= 4, plot.height >= 4 else {
            throw PlotError.panelTooSmall(width: frame.width, height: frame.height)
        }
        canvas.record(PlotArea(rect: plot, x: layout.x, y: layout.y, scale: canvas.scale))
        try drawBands(set: set, layout: layout, canvas: canvas, style: style)
        if showsContourLines { drawContourLines(set: set, layout: layout, canvas: canvas) }
        if set.levels.isEmpty {
            canvas.text("no finite values", at: PlotPoint(x: plot.midX, y: plot.midY), font: style.axisLabelFont,
                        color: style.textColor, anchor: .center)
        }
        let drawPointMarkers = drawTrajectories(layout: layout, canvas: canvas, style: style)
        layout.drawDecorations(on: canvas, style: style)
        drawPointMarkers()
        if barWidth > 0 { bar.draw(on: canvas, x: plot.maxX, top: plot.minY, bottom: plot.maxY, style: style) }
        if let legendRect { Legend.draw(entries, in: legendRect, canvas: canvas, style: style) }
        titleBlock.draw(on: canvas, frame: frame, style: style)
        try canvas.check("contour plot \"\(title)\"")
    }

    /// Levels with a constant ratio > 1.5 are labelled as powers of ten on the colour bar.
    static func looksLogarithmic(_ levels: [Double]) -> Bool {
        guard levels.count >= 3, levels[0] > 0 else { return false }
        let r = levels[1] / levels[0]
        return r > 1.5 && zip(levels.dropFirst(), levels.dropFirst(2)).allSatisfy { abs($1 / $0 - r) < 1e-6 * r }
    }

    // MARK: Drawing parts

    func drawBands(set: ContourSet, layout: AxesLayout, canvas: Canvas, style: PlotStyle) throws {
        let plot = layout.plot
        canvas.hatch(plot, background: style.holeColor, line: PlotColor(hex: 0xBBBBBB))
        guard !set.levels.isEmpty else { return }
        let w = max(1, Int((plot.width * canvas.scale).rounded(.up)))
        let h = max(1, Int((plot.height * canvas.scale).rounded(.up)))
        let raster: CairoSurface
        if let cache = rasterCache, let cached = cache.surface(width: w, height: h, plot: plot) {
            raster = cached
        } else {
            raster = try BandRaster.render(grid: set.grid, levels: set.levels, colorMap: colorMap,
                                           x: layout.x, y: layout.y, width: w, height: h)
            rasterCache?.store(raster, plot: plot)
        }
        canvas.paint(raster, in: plot)
    }

    func drawContourLines(set: ContourSet, layout: AxesLayout, canvas: Canvas) {
        let clip = layout.plot
        let lines = set.lines.map { line in line.points.map(layout.pixel) }
        canvas.withClip(clip) {
            canvas.strokePolylines(lines, color: PlotColor(hex: 0x000000, alpha: 0.32), lineWidth: 0.6)
        }
    }

    func color(_ k: Int, style: PlotStyle) -> PlotColor { trajectories[k].color ?? style.palette[k] }
    func marker(_ k: Int, style: PlotStyle) -> MarkerShape { trajectories[k].marker ?? style.marker(k) }

    /// Pixel polylines of each trajectory's finite, revealed part, clipped near the plot.
    func pixelRuns(_ t: Trajectory, layout: AxesLayout, limit: Int?) -> (all: [PlotPoint], runs: [[PlotPoint]]) {
        let finite = t.finitePoints
        let count = min(finite.count, limit ?? finite.count)
        let pixels = finite.prefix(count).map(layout.pixel)
        return (pixels, Clipping.clip(polyline: pixels, to: layout.plot.insetBy(dx: -20, dy: -20)))
    }

    /// Pixels the legend must not cover: the full paths (densified), starts, ends, minima.
    func dataPixels(layout: AxesLayout, style: PlotStyle) -> [PlotPoint] {
        var out: [PlotPoint] = []
        for t in trajectories {
            let (all, runs) = pixelRuns(t, layout: layout, limit: nil)
            for run in runs { out += Legend.densified(run) }
            if let first = all.first { out.append(first) }
            if let last = all.last { out.append(last) }
        }
        out += minima.filter(\.isFinite).map(layout.pixel)
        return out.filter { layout.plot.insetBy(dx: -style.markerSize, dy: -style.markerSize).contains($0) }
    }

    /// Strokes the paths (clipped to the plot) and returns the drawing of their point markers
    /// — start ○, final markers, ✗, ★ — which the caller runs after the frame and ticks, so a
    /// marker on the frame is drawn whole, on top.
    func drawTrajectories(layout: AxesLayout, canvas: Canvas, style: PlotStyle) -> () -> Void {
        let plot = layout.plot
        var starts: [PlotPoint] = []
        var finals: [(point: PlotPoint, shape: MarkerShape, color: PlotColor)] = []
        var crosses: [(PlotPoint, PlotColor)] = []
        canvas.withClip(plot) {
            let n = trajectories.count
            for (k, t) in trajectories.enumerated() {
                let (pixels, runs) = pixelRuns(t, layout: layout, limit: revealedPointCount)
                let c = color(k, style: style)
                canvas.strokePolylines(runs, color: PlotColor.white.withAlpha(0.85), lineWidth: style.lineWidth + 2 * style.haloWidth)
                canvas.strokePolylines(runs, color: c, lineWidth: style.lineWidth, dash: t.dash)
                // Sparse markers along the path, staggered between trajectories.
                let total = t.finitePoints.count
                if total > 16 {
                    let every = max(1, total / 8)
                    var i = every * (k + 1) / max(1, n + 1) + every / 2
                    while i < pixels.count - 1 {
                        canvas.marker(marker(k, style: style), at: pixels[i], size: style.markerSize * 0.7, fill: c, edge: .white, edgeWidth: 0.8)
                        i += every
                    }
                }
                guard let first = pixels.first, let last = pixels.last else { continue }
                starts.append(first)
                let divergedShown = t.divergenceIndex.map { revealedPointCount == nil || $0 < revealedPointCount! } ?? false
                if divergedShown {
                    // A run that left the plot before diverging gets its ✗ where it last left.
                    if plot.contains(last) {
                        crosses.append((last, c))
                    } else if let exit = Clipping.clip(polyline: pixels, to: plot).last?.last {
                        crosses.append((exit, c))
                    }
                } else {
                    finals.append((last, marker(k, style: style), c))
                }
            }
        }
        return { drawPointMarkers(starts: starts, finals: finals, crosses: crosses, layout: layout, canvas: canvas, style: style) }
    }

    /// Point markers are drawn unclipped, so a start, end or ✗ on the frame shows whole;
    /// points outside the plot are not marked. Final markers that would overlap each other or
    /// a ★ are fanned out (``FinalMarkerLayout``) with a leader line to their point.
    func drawPointMarkers(starts: [PlotPoint], finals: [(point: PlotPoint, shape: MarkerShape, color: PlotColor)],
                          crosses: [(PlotPoint, PlotColor)], layout: AxesLayout, canvas: Canvas, style: PlotStyle) {
        let visible = layout.plot.insetBy(dx: -0.5, dy: -0.5)
        for p in starts where visible.contains(p) {
            canvas.marker(.circle, at: p, size: style.markerSize, fill: .white, edge: .black, edgeWidth: 1.2)
        }
        let stars = minima.filter(\.isFinite).map(layout.pixel).filter { visible.contains($0) }
        let shown = finals.filter { visible.contains($0.point) }
        let placed = FinalMarkerLayout.positions(of: shown.map(\.point), avoiding: stars, markerSize: style.markerSize)
        for (f, p) in zip(shown, placed) where p != f.point {
            // A fanned-out marker keeps a thin leader to the point it stands for.
            canvas.line(from: f.point, to: p, color: PlotColor(hex: 0x222222, alpha: 0.85), lineWidth: 1)
        }
        for (f, p) in zip(shown, placed) {
            let size = style.markerSize * 1.25
            canvas.marker(f.shape, at: p, size: size, fill: .white, edge: .white, edgeWidth: 4.5)  // white outline
            canvas.marker(f.shape, at: p, size: size, fill: f.color, edge: .black, edgeWidth: 1.2)
        }
        for (p, c) in crosses {
            canvas.marker(.cross, at: p, size: style.markerSize * 1.5, fill: c, edge: .black, edgeWidth: 1)
        }
        for p in stars {
            canvas.marker(.star, at: p, size: style.markerSize * 1.15, fill: PlotColor(hex: 0xFFD21F), edge: .black, edgeWidth: 1)
        }
    }

    func legendEntries(style: PlotStyle) -> [LegendEntry] {
        var entries: [LegendEntry] = trajectories.indices.map { k in
            let t = trajectories[k]
            return LegendEntry(label: t.legendLabel, color: color(k, style: style), lineWidth: style.lineWidth, dash: t.dash,
                               marker: t.divergenceIndex == nil ? marker(k, style: style) : .cross,
                               markerSize: style.markerSize * (t.divergenceIndex == nil ? 1 : 1.3))
        }
        if !trajectories.isEmpty {
            entries.append(LegendEntry(label: "start", color: .black, marker: .circle, markerFill: .white, markerSize: style.markerSize))
        }
        if !minima.isEmpty {
            entries.append(LegendEntry(label: minima.count == 1 ? "minimum" : "minima", color: .black, marker: .star,
                                       markerFill: PlotColor(hex: 0xFFD21F), markerSize: style.markerSize * 1.15))
        }
        return entries
    }
}

/// Keeps the band raster of the last frame for the next (animation frames share the layout).
final class BandRasterCache {
    private var stored: (surface: CairoSurface, plot: PlotRect)?

    func surface(width: Int, height: Int, plot: PlotRect) -> CairoSurface? {
        guard let s = stored, s.plot == plot, s.surface.width == width, s.surface.height == height else { return nil }
        return s.surface
    }

    func store(_ surface: CairoSurface, plot: PlotRect) { stored = (surface, plot) }
}

/// Throws for a panel frame too small to hold axes.
func validatePanelFrame(_ frame: PlotRect) throws {
    guard frame.width.isFinite, frame.height.isFinite, frame.width >= 40, frame.height >= 40 else {
        throw PlotError.panelTooSmall(width: frame.width, height: frame.height)
    }
}
