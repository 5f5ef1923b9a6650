import Foundation
import Testing
@testable import ZOPlot

/// The symbols figures use are drawn from a face that has them, legibly at figure sizes.
///
/// Cairo's toy text API draws every character from the one face fontconfig picked: a missing
/// glyph becomes the face's .notdef box. ‖ in DejaVu Sans has its two strokes under a pixel
/// apart at 11–13 px and smears into one grey bar; ``FontSpec/glyphFallbacks`` draws it from
/// DejaVu Sans Mono instead. scripts/setup.sh installs fonts-dejavu-core, which has both.
@Suite("Text rendering of the figures' symbols")
struct TextGlyphTests {
    /// `text` drawn black on white at `size` px (rotated −90° like a y-axis label when asked).
    func raster(_ text: String, font: FontSpec, rotated: Bool = false) throws -> RasterImage {
        let surface = try CairoSurface(width: 64, height: 64)
        let canvas = try Canvas(surface: surface, scale: 1)
        canvas.fill(canvas.bounds, color: .white)
        canvas.text(text, at: PlotPoint(x: 32, y: 32), font: font, color: .black, anchor: .center, rotation: rotated ? -.pi / 2 : 0)
        try canvas.check()
        return try RasterImage(surface: surface)
    }

    /// Inked pixels (luminance < 200) as a set of (x, y).
    func ink(_ r: RasterImage) -> Set<Int> {
        var out = Set<Int>()
        for y in 0..<r.height { for x in 0..<r.width where r.rgba(x: x, y: y).g < 200 { out.insert(y * r.width + x) } }
        return out
    }

    /// Darkness (255 − green) along the row (or column) through the ink's centre.
    func profile(_ r: RasterImage, acrossColumns: Bool) -> [Int] {
        let inked = ink(r)
        let ys = inked.map { $0 / r.width }, xs = inked.map { $0 % r.width }
        if acrossColumns {
            let y = (ys.min()! + ys.max()!) / 2
            return (xs.min()!...xs.max()!).map { 255 - Int(r.rgba(x: $0, y: y).g) }
        } else {
            let x = (xs.min()! + xs.max()!) / 2
            return (ys.min()!...ys.max()!).map { 255 - Int(r.rgba(x: x, y: $0).g) }
        }
    }

    /// Two dark strokes with a clearly lighter gap between them: some pixel is at least 80
    /// levels lighter than the darkest pixel on either side of it.
    func showsTwoStrokes(_ p: [Int]) -> Bool {
        guard p.count >= 3 else { return false }
        return (1..<p.count - 1).contains { i in min(p[..<i].max()!, p[(i + 1)...].max()!) - p[i] >= 80 }
    }

    @Test func everySymbolHasAGlyph() throws {
        // A private-use code point no font here has: the .notdef box of each face.
        for bold in [false, true] {
            let font = FontSpec(size: 12, bold: bold)
            let notdef = ink(try raster("\u{10FFFD}", font: font))
            for symbol in ["‖", "∇", "θ", "★", "✗", "η", "ε", "μ", "α", "κ", "○", "⁻", "³", "≤", "…", "−"] {
                let drawn = ink(try raster(symbol, font: font))
                #expect(!drawn.isEmpty, "\(symbol) draws nothing (bold: \(bold))")
                #expect(drawn != notdef, "\(symbol) is drawn as the missing-glyph box (bold: \(bold)); is fonts-dejavu-core installed?")
            }
        }
    }

    @Test func normBarsStaySeparateAtFigureSizes() throws {
        for size in [10.0, 11, 12, 13, 14, 15, 18] {
            for bold in [false, true] {
                let font = FontSpec(size: size, bold: bold)
                let upright = profile(try raster("‖", font: font), acrossColumns: true)
                #expect(showsTwoStrokes(upright), "‖ at \(size) px (bold: \(bold)) upright: \(upright)")
                let rotated = profile(try raster("‖", font: font, rotated: true), acrossColumns: false)
                #expect(showsTwoStrokes(rotated), "‖ at \(size) px (bold: \(bold)) rotated: \(rotated)")
            }
        }
    }

    @Test func fallbackRunsKeepTheLineTogether() throws {
        let font = FontSpec(size: 12)
        let runs = font.runs(of: "‖∇f(θ)‖ per step")
        #expect(runs.map(\.text) == ["‖", "∇f(θ)", "‖", " per step"])
        #expect(runs.map(\.family) == ["DejaVu Sans Mono", "DejaVu Sans", "DejaVu Sans Mono", "DejaVu Sans"])
        #expect(FontSpec(family: "Some Other Face", size: 12).runs(of: "‖x‖").count == 1)
        // The measured width is the sum of the runs' advances.
        let surface = try CairoSurface(width: 10, height: 10)
        let canvas = try Canvas(surface: surface, scale: 1)
        let whole = canvas.measure("‖∇f(θ)‖", font: font).width
        let parts = ["‖", "∇f(θ)", "‖"].map { canvas.measure($0, font: font).width }.reduce(0, +)
        #expect(abs(whole - parts) < 1e-9 && whole > 30)
    }
}
