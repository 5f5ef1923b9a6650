import CCairo
import Foundation

/// A drawing surface in logical pixels (origin top-left, y down) over a Cairo context.
///
/// Panels (``PlotPanel``) draw through this small API; Cairo calls stay inside ZOPlot. Cairo's
/// drawing calls return nothing and record the first failure in the context's sticky status,
/// which ``check(_:)`` turns into a ``PlotError``; ``Figure`` checks it after every panel.
/// Coordinates passed to path calls are clamped to ±10⁶ px (Cairo's 24.8 fixed point wraps
/// near ±8·10⁶); callers clip long lines first (``Clipping``) to keep them exact.
public final class Canvas {
    let context: CairoContext
    /// The logical drawing area, `(0, 0, width, height)`.
    public let bounds: PlotRect
    /// Device pixels per logical pixel.
    public let scale: Double
    var cr: OpaquePointer { context.handle }
    /// Plot areas of the panels drawn so far, in drawing order.
    public private(set) var plotAreas: [PlotArea] = []

    /// Records where a panel put its data (panels call this once their axes are laid out).
    public func record(_ area: PlotArea) { plotAreas.append(area) }

    init(surface: CairoSurface, scale: Double) throws {
        context = try CairoContext(surface: surface)
        self.scale = scale
        bounds = PlotRect(x: 0, y: 0, width: Double(surface.width) / scale, height: Double(surface.height) / scale)
        cairo_scale(context.handle, scale, scale)
        cairo_set_line_join(context.handle, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context.handle, CAIRO_LINE_CAP_ROUND)
        try context.check("cairo_scale")
    }

    /// Throws the context's first recorded failure, naming `operation`.
    public func check(_ operation: String = "drawing") throws { try context.check(operation) }

    // MARK: State

    /// Runs `body` between `cairo_save` and `cairo_restore`.
    public func withSavedState<R>(_ body: () throws -> R) rethrows -> R {
        cairo_save(cr)
        defer { cairo_restore(cr) }
        return try body()
    }

    /// Runs `body` with drawing clipped to `rect`.
    public func withClip<R>(_ rect: PlotRect, _ body: () throws -> R) rethrows -> R {
        try withSavedState {
            cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(cr)
            return try body()
        }
    }

    func setColor(_ c: PlotColor) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    @inline(__always) static func safe(_ v: Double) -> Double { v.isNaN ? 0 : min(1e6, max(-1e6, v)) }
    func moveTo(_ p: PlotPoint) { cairo_move_to(cr, Self.safe(p.x), Self.safe(p.y)) }
    func lineTo(_ p: PlotPoint) { cairo_line_to(cr, Self.safe(p.x), Self.safe(p.y)) }

    // MARK: Shapes

    public func fill(_ rect: PlotRect, color: PlotColor) {
        setColor(color)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(cr)
    }

    public func stroke(_ rect: PlotRect, color: PlotColor, lineWidth: Double) {
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(cr)
    }

    public func line(from a: PlotPoint, to b: PlotPoint, color: PlotColor, lineWidth: Double, dash: [Double] = []) {
        strokePolyline([a, b], color: color, lineWidth: lineWidth, dash: dash)
    }

    /// Strokes the polyline through `points` (non-finite points are skipped).
    public func strokePolyline(_ points: [PlotPoint], color: PlotColor, lineWidth: Double, dash: [Double] = [], closed: Bool = false) {
        let finite = points.filter(\.isFinite)
        guard finite.count >= 2 else { return }
        addPolyline(finite, closed: closed)
        strokeCurrentPath(color: color, lineWidth: lineWidth, dash: dash)
    }

    /// Strokes several polylines as one path (faster than one stroke each; same style).
    public func strokePolylines(_ lines: [[PlotPoint]], color: PlotColor, lineWidth: Double, dash: [Double] = []) {
        var any = false
        for line in lines where line.count >= 2 {
            addPolyline(line, closed: false)
            any = true
        }
        if any { strokeCurrentPath(color: color, lineWidth: lineWidth, dash: dash) }
    }

    func addPolyline(_ points: [PlotPoint], closed: Bool) {
        moveTo(points[0])
        for p in points.dropFirst() { lineTo(p) }
        if closed { cairo_close_path(cr) }
    }

    func strokeCurrentPath(color: PlotColor, lineWidth: Double, dash: [Double]) {
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    public func fillPolygon(_ points: [PlotPoint], color: PlotColor) {
        guard points.count >= 3 else { return }
        addPolyline(points, closed: true)
        setColor(color)
        cairo_fill(cr)
    }

    /// Draws `shape` centred at `center` with nominal diameter `size`.
    public func marker(_ shape: MarkerShape, at center: PlotPoint, size: Double, fill: PlotColor,
                       edge: PlotColor = .black, edgeWidth: Double = 1) {
        guard center.isFinite else { return }
        let outline = shape.outline(at: center, size: size)
        if shape.isFilled {
            if shape == .circle {
                cairo_new_sub_path(cr)
                cairo_arc(cr, Self.safe(center.x), Self.safe(center.y), size / 2, 0, 2 * .pi)
            } else {
                addPolyline(outline, closed: true)
            }
            setColor(fill)
            cairo_fill_preserve(cr)
            setColor(edge)
            cairo_set_line_width(cr, edgeWidth)
            cairo_stroke(cr)
        } else {
            // Stroked shapes: an edge-coloured halo, then the fill colour on top.
            for (color, width) in [(edge, edgeWidth * 2 + size * 0.28), (fill, size * 0.28)] where color.alpha > 0 {
                moveTo(outline[0]); lineTo(outline[1])
                moveTo(outline[2]); lineTo(outline[3])
                setColor(color)
                cairo_set_line_width(cr, width)
                cairo_stroke(cr)
            }
        }
    }

    // MARK: Text

    /// Metrics of `text` set in `font`.
    public struct TextMetrics: Sendable {
        /// Advance width (where the next text would start).
        public var width: Double
        public var ascent: Double
        public var descent: Double
        public var height: Double { ascent + descent }
    }

    func selectFont(_ font: FontSpec) {
        selectFont(family: font.family, font)
    }

    func selectFont(family: String, _ font: FontSpec) {
        cairo_select_font_face(cr, family, font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, font.size)
    }

    public func measure(_ text: String, font: FontSpec) -> TextMetrics {
        selectFont(font)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        var width = 0.0
        for run in font.runs(of: text) {
            selectFont(family: run.family, font)
            var te = cairo_text_extents_t()
            cairo_text_extents(cr, run.text, &te)
            width += te.x_advance
        }
        return TextMetrics(width: width, ascent: fe.ascent, descent: fe.descent)
    }

    /// Draws `text` with its `anchor` point at `point`, rotated by `rotation` radians
    /// (counter-clockwise on screen for negative values, e.g. −π/2 for a y-axis label).
    public func text(_ text: String, at point: PlotPoint, font: FontSpec, color: PlotColor,
                     anchor: TextAnchor = .topLeft, rotation: Double = 0) {
        guard !text.isEmpty, point.isFinite else { return }
        let m = measure(text, font: font)
        let dx: Double
        switch anchor.horizontal {
        case .left: dx = 0
        case .center: dx = -m.width / 2
        case .right: dx = -m.width
        }
        let dy: Double
        switch anchor.vertical {
        case .top: dy = m.ascent
        case .middle: dy = font.size * 0.36
        case .baseline: dy = 0
        case .bottom: dy = -m.descent
        }
        withSavedState {
            cairo_translate(cr, Self.safe(point.x), Self.safe(point.y))
            if rotation != 0 { cairo_rotate(cr, rotation) }
            cairo_move_to(cr, dx, dy)
            setColor(color)
            // Each run advances the current point, so runs in other faces continue the line.
            for run in font.runs(of: text) {
                selectFont(family: run.family, font)
                cairo_show_text(cr, run.text)
            }
        }
    }

    // MARK: Images

    /// Paints `surface` (device pixels) into `rect` (logical), scaled to fit.
    func paint(_ surface: CairoSurface, in rect: PlotRect) {
        withSavedState {
            cairo_translate(cr, rect.x, rect.y)
            cairo_scale(cr, rect.width / Double(surface.width), rect.height / Double(surface.height))
            cairo_set_source_surface(cr, surface.handle, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_FAST)
            cairo_paint(cr)
        }
    }

    /// Fills `rect` with 45° hatching over `background` (marks holes: non-finite values).
    func hatch(_ rect: PlotRect, background: PlotColor, line: PlotColor, spacing: Double = 6) {
        fill(rect, color: background)
        withClip(rect) {
            var x = rect.minX - rect.height
            while x < rect.maxX {
                moveTo(PlotPoint(x: x, y: rect.maxY))
                lineTo(PlotPoint(x: x + rect.height, y: rect.minY))
                x += spacing
            }
            strokeCurrentPath(color: line, lineWidth: 0.7, dash: [])
        }
    }
}
