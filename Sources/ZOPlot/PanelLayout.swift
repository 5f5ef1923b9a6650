import Foundation
import ZOCore

/// Something that draws itself into a rectangle of a figure: ``ContourPlot``, ``LineChart``,
/// ``TextPanel``, or a caller's own type built on ``Canvas``.
public protocol PlotPanel {
    /// Draws into `frame` (logical pixels). Throws a ``PlotError`` when the panel cannot be
    /// drawn at all (frame too small, invalid axis range); bad data is drawn, not thrown.
    func draw(in canvas: Canvas, frame: PlotRect, style: PlotStyle) throws
}

/// A figure: panels in a grid (row-major, `nil` leaves a cell empty), with an optional
/// figure title, column headers (e.g. optimizers) and row headers (e.g. functions).
///
/// ```swift
/// let figure = Figure(columns: 3, panels: plots, title: "Rosenbrock — MeZO vs HiZOO vs Adam")
/// try figure.render(width: 1800, height: 600).writePNG(to: url)
/// ```
public struct Figure {
    public var panels: [PlotPanel?]
    public var columns: Int
    public var title: String
    public var subtitle: String
    /// Headers above each column / left of each row (empty strings skip one).
    public var columnTitles: [String] = []
    public var rowTitles: [String] = []
    /// A figure-wide legend, drawn in centred rows under the title (for panels that share
    /// colours and markers, e.g. a grid of one run per panel). Empty: none.
    public var legend: [LegendItem] = []
    public var style: PlotStyle

    /// A single-panel figure.
    public init(_ panel: PlotPanel, style: PlotStyle = PlotStyle()) {
        self.init(columns: 1, panels: [panel], style: style)
    }

    /// Panels laid out `columns` per row; the row count follows from the panel count.
    public init(columns: Int, panels: [PlotPanel?], title: String = "", subtitle: String = "", style: PlotStyle = PlotStyle()) {
        self.columns = columns
        self.panels = panels
        self.title = title
        self.subtitle = subtitle
        self.style = style
    }

    public var rows: Int { columns > 0 ? (panels.count + columns - 1) / columns : 0 }

    /// Cell rectangles (row-major) for a `width × height` logical canvas.
    func cells(in bounds: PlotRect, canvas: Canvas) -> [PlotRect] {
        let pad = style.padding
        var area = bounds.insetBy(dx: pad, dy: pad)
        let header = TitleBlock(title: title, subtitle: subtitle)
        var titleStyle = style
        titleStyle.titleFont = style.figureTitleFont
        let headerHeight = header.height(width: area.width, canvas: canvas, style: titleStyle)
        area = area.inset(top: headerHeight)
        let legendRows = FigureLegend.rows(legend, width: area.width, canvas: canvas, style: style)
        if !legendRows.isEmpty { area = area.inset(top: Double(legendRows.count) * Legend.rowHeight(style) + style.padding) }
        let headerFont = FontSpec(size: style.titleFont.size, bold: true)
        if columnTitles.contains(where: { !$0.isEmpty }) { area = area.inset(top: headerFont.size * 1.6) }
        if rowTitles.contains(where: { !$0.isEmpty }) { area = area.inset(left: headerFont.size * 1.8) }
        let gutter = pad * 2
        let r = max(1, rows), c = max(1, columns)
        let w = (area.width - gutter * Double(c - 1)) / Double(c)
        let h = (area.height - gutter * Double(r - 1)) / Double(r)
        return panels.indices.map { k in
            PlotRect(x: area.minX + Double(k % c) * (w + gutter), y: area.minY + Double(k / c) * (h + gutter), width: w, height: h)
        }
    }

    /// Renders at `width × height` logical pixels, `scale` device pixels each (2 for print).
    public func render(width: Int, height: Int, scale: Double = 1) throws -> PlotImage {
        guard width > 0, height > 0, scale.isFinite, scale > 0, scale <= 8 else {
            throw PlotError.invalidSize(width: Double(width) * scale, height: Double(height) * scale)
        }
        guard columns >= 1 else { throw PlotError.invalidArgument("a figure needs columns ≥ 1, got \(columns)") }
        guard !panels.isEmpty else { throw PlotError.invalidArgument("a figure needs at least one panel") }
        let pixelWidth = (Double(width) * scale).rounded(), pixelHeight = (Double(height) * scale).rounded()
        guard pixelWidth <= CairoSurface.maximumSide, pixelHeight <= CairoSurface.maximumSide else {
            throw PlotError.invalidSize(width: pixelWidth, height: pixelHeight)
        }
        let surface = try CairoSurface(width: Int(pixelWidth), height: Int(pixelHeight), opaque: true)
        let canvas = try Canvas(surface: surface, scale: scale)
        try draw(on: canvas)
        return PlotImage(surface: surface, plotAreas: canvas.plotAreas)
    }

    /// Draws the whole figure on `canvas` (background, headers, panels).
    func draw(on canvas: Canvas) throws {
        let bounds = canvas.bounds
        canvas.fill(bounds, color: style.background)
        let cells = cells(in: bounds, canvas: canvas)
        var titleStyle = style
        titleStyle.titleFont = style.figureTitleFont
        let inner = bounds.insetBy(dx: style.padding, dy: style.padding)
        let headerHeight = TitleBlock(title: title, subtitle: subtitle).draw(on: canvas, frame: inner, style: titleStyle)
        FigureLegend.draw(legend, top: inner.minY + headerHeight, in: inner, canvas: canvas, style: style)
        let headerFont = FontSpec(size: style.titleFont.size, bold: true)
        for (c, text) in columnTitles.enumerated() where c < columns && c < cells.count && !text.isEmpty {
            canvas.text(text, at: PlotPoint(x: cells[c].midX, y: cells[c].minY - headerFont.size * 0.5), font: headerFont,
                        color: style.textColor, anchor: TextAnchor(.center, .bottom))
        }
        for (r, text) in rowTitles.enumerated() where r * columns < cells.count && !text.isEmpty {
            let cell = cells[r * columns]
            canvas.text(text, at: PlotPoint(x: cell.minX - headerFont.size * 0.5, y: cell.midY), font: headerFont,
                        color: style.textColor, anchor: TextAnchor(.center, .bottom), rotation: -.pi / 2)
        }
        for (k, panel) in panels.enumerated() {
            guard let panel else { continue }
            try canvas.withClip(cells[k]) {
                try panel.draw(in: canvas, frame: cells[k], style: style)
            }
            try canvas.check("panel \(k)")
        }
        try canvas.check("figure")
    }
}

/// One entry of a figure-wide legend (``Figure/legend``): a line sample and/or a marker, and
/// a label. A marker without `markerFill` is filled with `color`.
public struct LegendItem: Sendable {
    public var label: String
    public var color: PlotColor
    /// Line width of the sample; nil draws the marker alone.
    public var lineWidth: Double?
    public var dash: [Double]
    public var marker: MarkerShape?
    public var markerFill: PlotColor?
    /// Nil: the style's marker size.
    public var markerSize: Double?

    public init(label: String, color: PlotColor, lineWidth: Double? = nil, dash: [Double] = [], marker: MarkerShape? = nil,
                markerFill: PlotColor? = nil, markerSize: Double? = nil) {
        self.label = label
        self.color = color
        self.lineWidth = lineWidth
        self.dash = dash
        self.marker = marker
        self.markerFill = markerFill
        self.markerSize = markerSize
    }

    func entry(style: PlotStyle) -> LegendEntry {
        LegendEntry(label: label, color: color, lineWidth: lineWidth, dash: dash, marker: marker, markerFill: markerFill,
                    markerSize: markerSize ?? style.markerSize)
    }
}

/// Layout of ``Figure/legend``: items left to right, wrapped into rows that fit the width,
/// each row centred.
enum FigureLegend {
    static let itemGap = 18.0

    static func itemWidth(_ item: LegendItem, canvas: Canvas, style: PlotStyle) -> Double {
        Legend.sampleWidth + 6 + canvas.measure(item.label, font: style.legendFont).width
    }

    /// The items of each row.
    static func rows(_ items: [LegendItem], width: Double, canvas: Canvas, style: PlotStyle) -> [[LegendItem]] {
        var rows: [[LegendItem]] = []
        var current: [LegendItem] = []
        var used = 0.0
        for item in items {
            let w = itemWidth(item, canvas: canvas, style: style)
            if !current.isEmpty && used + itemGap + w > width {
                rows.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : itemGap) + w
            current.append(item)
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    static func draw(_ items: [LegendItem], top: Double, in frame: PlotRect, canvas: Canvas, style: PlotStyle) {
        let rowHeight = Legend.rowHeight(style)
        for (r, row) in rows(items, width: frame.width, canvas: canvas, style: style).enumerated() {
            let widths = row.map { itemWidth($0, canvas: canvas, style: style) }
            var x = frame.midX - (widths.reduce(0, +) + itemGap * Double(row.count - 1)) / 2
            let cy = top + (Double(r) + 0.5) * rowHeight
            for (item, w) in zip(row, widths) {
                Legend.drawEntry(item.entry(style: style), x: x, centerY: cy, canvas: canvas, style: style)
                x += w + itemGap
            }
        }
    }
}

/// A panel of text lines (e.g. the settings of a grid of runs, or a note in an empty cell).
public struct TextPanel: PlotPanel {
    public var lines: [String]
    public var font: FontSpec?

    public init(lines: [String], font: FontSpec? = nil) {
        self.lines = lines
        self.font = font
    }

    public func draw(in canvas: Canvas, frame: PlotRect, style: PlotStyle) throws {
        let f = font ?? style.legendFont
        var y = frame.minY + style.padding
        for line in lines {
            for (text, fitted) in TitleBlock.wrap(line, width: frame.width - 2 * style.padding, font: f, canvas: canvas) {
                canvas.text(text, at: PlotPoint(x: frame.minX + style.padding, y: y), font: fitted, color: style.textColor)
                y += fitted.size * 1.4
            }
        }
        try canvas.check("text panel")
    }
}

/// A rendered figure: device pixels in memory, encodable as PNG.
public final class PlotImage {
    let surface: CairoSurface
    /// Where each panel put its data (in panel drawing order), for mapping data to pixels.
    public let plotAreas: [PlotArea]

    init(surface: CairoSurface, plotAreas: [PlotArea]) {
        self.surface = surface
        self.plotAreas = plotAreas
    }

    /// Device pixels.
    public var width: Int { surface.width }
    public var height: Int { surface.height }

    /// PNG bytes (Cairo's encoder; its status is checked).
    public func pngData() throws -> Data { try surface.pngData() }

    /// Writes the PNG atomically (temporary file + rename), creating parent directories.
    public func writePNG(to url: URL) throws {
        let data = try pngData()
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as CoreError {
            throw PlotError.io(path: url.path, reason: error.description)
        }
    }

    /// The pixels, for inspection (tests, image statistics).
    public func raster() throws -> RasterImage { try RasterImage(surface: surface) }
}
