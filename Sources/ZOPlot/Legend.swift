/// Where a panel puts its legend.
public enum LegendPlacement: Sendable, Hashable {
    /// The inside corner that covers no data; outside the plot area when every corner would.
    case automatic
    /// Always outside the plot area (right of it, or below when the panel is narrow).
    case outside
    /// This inside corner, whatever it covers.
    case corner(Corner)
    /// No legend.
    case hidden

    public enum Corner: CaseIterable, Sendable, Hashable { case topRight, topLeft, bottomLeft, bottomRight }
}

/// One legend row: a line sample and/or a marker, and a label.
struct LegendEntry {
    var label: String
    var color: PlotColor
    var lineWidth: Double?
    var dash: [Double] = []
    var marker: MarkerShape?
    var markerFill: PlotColor?
    var markerEdge: PlotColor = .black
    var markerSize: Double = 8
}

/// Legend measurement, placement and drawing.
enum Legend {
    static let sampleWidth = 26.0
    static let inset = 6.0

    static func size(of entries: [LegendEntry], canvas: Canvas, style: PlotStyle) -> (width: Double, height: Double) {
        guard !entries.isEmpty else { return (0, 0) }
        let labelWidth = entries.map { canvas.measure($0.label, font: style.legendFont).width }.max() ?? 0
        return (inset * 2 + sampleWidth + 6 + labelWidth, inset * 2 + Double(entries.count) * rowHeight(style))
    }

    static func rowHeight(_ style: PlotStyle) -> Double { max(style.legendFont.size * 1.45, style.markerSize + 6) }

    /// The rectangle of a legend of `size` in `corner` of `plot`, `margin` px from its sides.
    static func rect(size: (width: Double, height: Double), corner: LegendPlacement.Corner, in plot: PlotRect, margin: Double) -> PlotRect {
        let x = (corner == .topLeft || corner == .bottomLeft) ? plot.minX + margin : plot.maxX - margin - size.width
        let y = (corner == .topLeft || corner == .topRight) ? plot.minY + margin : plot.maxY - margin - size.height
        return PlotRect(x: x, y: y, width: size.width, height: size.height)
    }

    /// The inside corner whose legend rectangle, grown by `clearance` px, covers the fewest of
    /// `points` (pixels); ties go to the first in the order top right, top left, bottom left,
    /// bottom right. Nil when the legend does not fit inside the plot.
    static func bestCorner(size: (width: Double, height: Double), in plot: PlotRect, avoiding points: [PlotPoint],
                           margin: Double, clearance: Double = 4) -> (corner: LegendPlacement.Corner, covered: Int)? {
        guard size.width + 2 * margin <= plot.width, size.height + 2 * margin <= plot.height else { return nil }
        var best: (corner: LegendPlacement.Corner, covered: Int)?
        for corner in LegendPlacement.Corner.allCases {
            let r = rect(size: size, corner: corner, in: plot, margin: margin).insetBy(dx: -clearance, dy: -clearance)
            let covered = points.reduce(0) { $0 + (r.contains($1) ? 1 : 0) }
            if best == nil || covered < best!.covered { best = (corner, covered) }
        }
        return best
    }

    /// Chooses the legend's place and the axes layout that goes with it.
    ///
    /// `.automatic`: the inside corner that covers no data; else outside — right of the plot
    /// or below it, whichever leaves the larger plot (each only if the legend takes at most
    /// 40 % of the panel's width or height and the plot keeps ≥ 60 px a side); else, as a last
    /// resort in a cramped panel, the inside corner covering the least data. `layout(r, b)`
    /// lays the axes out with `r` px reserved on the right and `b` below; the legend then sits
    /// at `content`'s right edge or bottom edge.
    static func plan(entries: [LegendEntry], placement: LegendPlacement, content: PlotRect, canvas: Canvas, style: PlotStyle,
                     layout: (_ right: Double, _ bottom: Double) -> AxesLayout,
                     occupied: (AxesLayout) -> [PlotPoint]) -> (AxesLayout, PlotRect?) {
        let base = layout(0, 0)
        let size = self.size(of: entries, canvas: canvas, style: style)
        let margin = style.padding
        guard !entries.isEmpty else { return (base, nil) }
        var fallback: (corner: LegendPlacement.Corner, covered: Int)?
        switch placement {
        case .hidden:
            return (base, nil)
        case .corner(let c):
            return (base, rect(size: size, corner: c, in: base.plot, margin: margin))
        case .automatic:
            fallback = bestCorner(size: size, in: base.plot, avoiding: occupied(base), margin: margin, clearance: style.markerSize)
            if let f = fallback, f.covered == 0 { return (base, rect(size: size, corner: f.corner, in: base.plot, margin: margin)) }
        case .outside:
            break
        }
        var options: [(AxesLayout, PlotRect)] = []
        if size.width <= content.width * 0.4 {
            let l = layout(size.width + margin, 0)
            options.append((l, PlotRect(x: content.maxX - size.width - 1, y: l.plot.minY, width: size.width, height: size.height)))
        }
        if size.height <= content.height * 0.4 {
            let l = layout(0, size.height + margin)
            options.append((l, PlotRect(x: l.plot.midX - size.width / 2, y: content.maxY - size.height - 1,
                                        width: size.width, height: size.height)))
        }
        let viable = options.filter { $0.0.plot.width >= 60 && $0.0.plot.height >= 60 }
        if let best = viable.max(by: { $0.0.plot.width * $0.0.plot.height < $1.0.plot.width * $1.0.plot.height }) {
            return best
        }
        if fallback == nil {
            fallback = bestCorner(size: size, in: base.plot, avoiding: occupied(base), margin: margin, clearance: style.markerSize)
        }
        if let f = fallback { return (base, rect(size: size, corner: f.corner, in: base.plot, margin: margin)) }
        return (base, nil)  // no room anywhere: the legend is dropped rather than drawn over the axes
    }

    /// Points every ≤ `spacing` px along a polyline, so that a legend box crossed by a long
    /// segment without a vertex inside it still counts as covering data.
    static func densified(_ polyline: [PlotPoint], spacing: Double = 3) -> [PlotPoint] {
        guard polyline.count >= 2 else { return polyline }
        var out: [PlotPoint] = [polyline[0]]
        for (a, b) in zip(polyline, polyline.dropFirst()) {
            let d = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let n = min(10_000, Int(d / spacing))
            if n > 0 {
                for k in 1...n {
                    let t = Double(k) / Double(n + 1)
                    out.append(PlotPoint(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
                }
            }
            out.append(b)
        }
        return out
    }

    static func draw(_ entries: [LegendEntry], in rect: PlotRect, canvas: Canvas, style: PlotStyle) {
        guard !entries.isEmpty else { return }
        canvas.fill(rect, color: PlotColor.white.withAlpha(0.92))
        canvas.stroke(rect, color: PlotColor(hex: 0xAAAAAA), lineWidth: 0.8)
        let row = rowHeight(style)
        for (k, e) in entries.enumerated() {
            drawEntry(e, x: rect.minX + inset, centerY: rect.minY + inset + (Double(k) + 0.5) * row, canvas: canvas, style: style)
        }
    }

    /// One entry: the line sample and/or marker from `x`, the label after it, centred on `centerY`.
    static func drawEntry(_ e: LegendEntry, x x0: Double, centerY cy: Double, canvas: Canvas, style: PlotStyle) {
        let x1 = x0 + sampleWidth
        if let w = e.lineWidth {
            canvas.line(from: PlotPoint(x: x0, y: cy), to: PlotPoint(x: x1, y: cy), color: e.color, lineWidth: w, dash: e.dash)
        }
        if let m = e.marker {
            canvas.marker(m, at: PlotPoint(x: (x0 + x1) / 2, y: cy), size: e.markerSize,
                          fill: e.markerFill ?? e.color, edge: e.markerEdge, edgeWidth: 1)
        }
        canvas.text(e.label, at: PlotPoint(x: x1 + 6, y: cy), font: style.legendFont, color: style.textColor, anchor: .left)
    }
}
