import Foundation
import Testing
@testable import ZOPlot

/// Rendering tests: every figure is rendered, encoded to PNG, decoded again by Cairo, and
/// checked pixel by pixel where the drawing has a known position.
@Suite("Contour figures, line charts, layouts (decoded PNG checks)")
struct FigureTests {
    /// Encodes, decodes, and checks size and non-blankness.
    func decoded(_ image: PlotImage, width: Int, height: Int, name: String? = nil) throws -> RasterImage {
        if let name { saveSample(image, name) }
        let png = try image.pngData()
        let r = try PNGReader.decode(png)
        #expect(r.width == width && r.height == height)
        #expect(r.distinctColorCount > 8)
        #expect(r.luminanceVariance > 50)
        return r
    }

    func isMagenta(_ r: RasterImage, _ p: PlotPoint) -> Bool {
        isProbeMagenta(r.rgba(x: Int(p.x), y: Int(p.y)))
    }

    @Test func trajectoryPixelsLandAtTheirCoordinates() throws {
        let domain = try PlotDomain(x: 0...10, y: 0...10)
        var plot = try ContourPlot(field: { x, _ in x }, domain: domain, resolution: 41, levels: .explicit([1, 2, 3, 4, 5, 6, 7, 8, 9]))
        // An L-shaped path in a colour that occurs nowhere else; markers off the sampled spots.
        plot.trajectories = [Trajectory(label: "probe", points: [PlotPoint(2, 2), PlotPoint(8, 2), PlotPoint(8, 8)], color: probeMagenta)]
        plot.legendPlacement = .hidden
        let image = try Figure(plot).render(width: 300, height: 260)
        let r = try decoded(image, width: 300, height: 260, name: "probe")
        let area = try #require(image.plotAreas.first)
        for p in [PlotPoint(5, 2), PlotPoint(3.5, 2), PlotPoint(8, 5), PlotPoint(8, 6.5)] {
            #expect(isMagenta(r, area.pixel(for: p)), "no trajectory pixel at \(p) → \(area.pixel(for: p))")
        }
        for p in [PlotPoint(5, 5), PlotPoint(2, 8), PlotPoint(5, 3.2)] {
            #expect(!isMagenta(r, area.pixel(for: p)), "unexpected trajectory pixel at \(p)")
        }
        // Band colours: f = x = 5.5 lies in band 5 of 9 levels → viridis(5/9).
        let band = ColorMap.viridis.color(at: 5.0 / 9).rgba8
        let q = area.pixel(for: PlotPoint(5.5, 7))
        let c = r.rgba(x: Int(q.x), y: Int(q.y))
        #expect(abs(Int(c.r) - Int(band.r)) <= 2 && abs(Int(c.g) - Int(band.g)) <= 2 && abs(Int(c.b) - Int(band.b)) <= 2)
    }

    @Test func scaledRenderingMapsTheSameWay() throws {
        let domain = try PlotDomain(x: -1...1, y: -1...1)
        var plot = try ContourPlot(field: { x, y in x * x + y * y }, domain: domain, resolution: 30)
        plot.trajectories = [Trajectory(label: "probe", points: [PlotPoint(-0.8, 0.5), PlotPoint(0.8, 0.5)], color: probeMagenta)]
        let image = try Figure(plot).render(width: 200, height: 200, scale: 2)
        let r = try decoded(image, width: 400, height: 400)
        let area = try #require(image.plotAreas.first)
        #expect(isMagenta(r, area.pixel(for: PlotPoint(0, 0.5))))
    }

    @Test func legendAvoidsTheData() throws {
        let domain = try PlotDomain(x: 0...1, y: 0...1)
        var plot = try ContourPlot(field: { x, y in x + y }, domain: domain, resolution: 20)
        // Data crowd the top-right corner (the first choice): the legend must move.
        plot.trajectories = [Trajectory(label: "upper right", points: stride(from: 0.0, through: 1, by: 0.05).map { PlotPoint(0.7 + 0.3 * $0, 0.95 - 0.25 * $0) },
                                        color: probeMagenta)]
        let image = try Figure(plot).render(width: 400, height: 400)
        let r = try decoded(image, width: 400, height: 400, name: "legend-corner")
        let area = try #require(image.plotAreas.first)
        // t = 0 holds the (white) start marker, t = 1 lies under the plot frame.
        for t in stride(from: 0.1, through: 0.9, by: 0.1) {
            let visible = isMagenta(r, area.pixel(for: PlotPoint(0.7 + 0.3 * t, 0.95 - 0.25 * t)))
            #expect(visible, "t = \(t)")
        }
        // Corners busy everywhere → the legend goes outside: the plot area shrinks, data stay visible.
        let everywhere = [PlotPoint(0.02, 0.02), PlotPoint(0.98, 0.02), PlotPoint(0.98, 0.98), PlotPoint(0.02, 0.98), PlotPoint(0.02, 0.02)]
        plot.trajectories = [Trajectory(label: "around the frame", points: everywhere, color: probeMagenta)]
        let outside = try Figure(plot).render(width: 400, height: 400)
        let ro = try decoded(outside, width: 400, height: 400, name: "legend-outside")
        let a2 = try #require(outside.plotAreas.first)
        #expect(a2.rect.width * a2.rect.height < 0.9 * area.rect.width * area.rect.height)
        for p in [PlotPoint(0.5, 0.98), PlotPoint(0.98, 0.5), PlotPoint(0.5, 0.02), PlotPoint(0.02, 0.5)] {
            let visible = isMagenta(ro, a2.pixel(for: p))
            #expect(visible, "\(p)")
        }
    }

    @Test func divergedAndNonFiniteTrajectoriesAreDrawnNotFatal() throws {
        let domain = try PlotDomain(x: -2...2, y: -2...2)
        var plot = try ContourPlot(field: { x, y in x * x + y * y }, domain: domain, resolution: 40)
        var diverging = (0..<50).map { k in PlotPoint(1.5 * pow(0.95, Double(k)), 0.3 * Double(k) / 50) }
        diverging += [PlotPoint(1e300, -1e300), PlotPoint(.infinity, 0), PlotPoint(.nan, .nan)]
        plot.trajectories = [
            Trajectory(label: "ok", points: [PlotPoint(-1, -1), PlotPoint(0, 0)]),
            Trajectory(label: "blows up", points: diverging, color: probeMagenta),
            Trajectory(label: "dead on arrival", points: [PlotPoint(.nan, 0)]),
            Trajectory(label: "empty", points: []),
        ]
        #expect(plot.trajectories[1].divergenceStep == 51)
        #expect(plot.trajectories[1].legendLabel == "blows up (diverged at step 51)")
        #expect(plot.trajectories[2].divergenceStep == 0)
        let image = try Figure(plot).render(width: 320, height: 300)
        let r = try decoded(image, width: 320, height: 300, name: "diverged")
        let area = try #require(image.plotAreas.first)
        // The finite part (including the 1e300 jump, clipped) is drawn.
        #expect(isMagenta(r, area.pixel(for: diverging[10])))
        // Steps must match points.
        plot.trajectories = [Trajectory(label: "bad", points: [PlotPoint(0, 0)], steps: [1, 2])]
        #expect(throws: PlotError.self) { try Figure(plot).render(width: 300, height: 300) }
    }

    @Test func nonFiniteFieldsLeaveHolesOrClamp() throws {
        let domain = try PlotDomain(x: -2...2, y: -2...2)
        let field: (Double, Double) -> Double = { x, y in x < 0 && y < 0 ? .nan : (x > 1 ? .infinity : x * x + y * y) }
        var plot = try ContourPlot(field: field, domain: domain, resolution: 60)
        plot.legendPlacement = .hidden
        let image = try Figure(plot).render(width: 300, height: 300)
        let r = try decoded(image, width: 300, height: 300, name: "holes")
        let area = try #require(image.plotAreas.first)
        // Hole: hatched light grey (r = g = b), not a viridis colour.
        let hole = area.pixel(for: PlotPoint(-1, -1))
        var greys = 0
        for dx in -3...3 {
            let c = r.rgba(x: Int(hole.x) + dx, y: Int(hole.y))
            if c.r == c.g && c.g == c.b && c.r > 150 { greys += 1 }
        }
        #expect(greys == 7)
        let inf = area.pixel(for: PlotPoint(1.6, 0.5))
        let ci = r.rgba(x: Int(inf.x), y: Int(inf.y))
        #expect(ci.r == ci.g && ci.g == ci.b)
        // Clamped: +∞ takes the top band colour (viridis yellow).
        plot.nonFinite = .clampInfinities
        let clamped = try Figure(plot).render(width: 300, height: 300)
        let rc = try decoded(clamped, width: 300, height: 300)
        let top = ColorMap.viridis.color(at: 1).rgba8
        let cc = rc.rgba(x: Int(inf.x), y: Int(inf.y))
        #expect(abs(Int(cc.r) - Int(top.r)) <= 2 && abs(Int(cc.g) - Int(top.g)) <= 2 && abs(Int(cc.b) - Int(top.b)) <= 2)
        // All-NaN field: still a figure (axes, holes, a note), no error.
        let empty = try ContourPlot(field: { _, _ in .nan }, domain: domain, resolution: 10)
        _ = try decoded(try Figure(empty).render(width: 200, height: 200), width: 200, height: 200)
    }

    @Test func equalAspectKeepsUnitsSquare() throws {
        let domain = try PlotDomain(x: 0...4, y: 0...1)
        var plot = try ContourPlot(field: { x, y in x + y }, domain: domain, resolution: 10)
        plot.equalAspect = true
        let image = try Figure(plot).render(width: 400, height: 400)
        let a = try #require(image.plotAreas.first)
        #expect(abs(a.rect.width / a.rect.height - 4) < 1e-9)
        plot.equalAspect = false
        let b = try #require(try Figure(plot).render(width: 400, height: 400).plotAreas.first)
        #expect(b.rect.width / b.rect.height < 2)
    }

    @Test func badSizesAreTypedErrors() throws {
        let domain = try PlotDomain(x: 0...1, y: 0...1)
        let plot = try ContourPlot(field: { x, _ in x }, domain: domain, resolution: 5)
        for (w, h) in [(0, 100), (100, 0), (-5, 10), (40_000, 10)] {
            #expect(throws: PlotError.self) { try Figure(plot).render(width: w, height: h) }
        }
        #expect(throws: PlotError.self) { try Figure(plot).render(width: 100, height: 100, scale: 0) }
        #expect(throws: PlotError.self) { try Figure(plot).render(width: 100, height: 100, scale: .nan) }
        // Too small for axes: a clear error, not a garbled image.
        #expect(throws: PlotError.panelTooSmall(width: 20, height: 20)) {
            try Figure(columns: 1, panels: [plot], style: {
                var s = PlotStyle(); s.padding = 0; return s
            }()).render(width: 20, height: 20)
        }
        #expect(throws: PlotError.self) { try Figure(columns: 0, panels: [plot]).render(width: 100, height: 100) }
        #expect(throws: PlotError.self) { try Figure(columns: 2, panels: []).render(width: 100, height: 100) }
    }

    @Test func lossPanelOnLogAxes() throws {
        let steps = Array(0...200)
        var chart = LineChart(series: [
            LineSeries(label: "MeZO", values: steps.map { 10 * exp(-Double($0) / 60) + 1e-3 }),
            LineSeries(label: "HiZOO", values: steps.map { 10 * exp(-Double($0) / 25) + 1e-4 }, color: probeMagenta),
            LineSeries(label: "unstable", values: steps.map { $0 < 120 ? 5 * exp(Double($0) / 80) : .nan }),
            LineSeries(label: "hits zero", values: steps.map { $0 % 50 == 0 ? 0 : 1 }),
        ])
        chart.title = "Loss"
        chart.settings = PlotSettings(steps: 200, seed: 1)
        #expect(chart.series[2].legendLabel == "unstable (diverged at step 120)")
        let image = try Figure(chart).render(width: 420, height: 300)
        let r = try decoded(image, width: 420, height: 300, name: "loss-small")
        let area = try #require(image.plotAreas.first)
        #expect(area.y.scale == .logarithmic)
        #expect(area.y.lower <= 3.4e-3 && area.y.upper >= 5 * exp(119.0 / 80))
        // HiZOO at step 30: y = 10 e^{-1.2} + 1e-4.
        let p = area.pixel(for: PlotPoint(30, 10 * exp(-30.0 / 25) + 1e-4))
        var found = false
        for dy in -1...1 { for dx in -1...1 where isMagenta(r, PlotPoint(p.x + Double(dx), p.y + Double(dy))) { found = true } }
        #expect(found)
        // Linear y; all-NaN series; empty chart: drawn, not thrown.
        chart.yScale = .linear
        _ = try decoded(try Figure(chart).render(width: 300, height: 200), width: 300, height: 200, name: "loss-linear-cramped")
        let nothing = LineChart(series: [LineSeries(label: "nan", values: [.nan, .nan])])
        _ = try Figure(nothing).render(width: 300, height: 200)
        _ = try Figure(LineChart(series: [])).render(width: 300, height: 200)
        // A fixed range that cannot be a log axis is a typed error.
        var bad = chart
        bad.yScale = .logarithmic
        bad.yRange = -1...1
        #expect(throws: PlotError.self) { try Figure(bad).render(width: 300, height: 200) }
        #expect(throws: PlotError.self) { try LineSeries(label: "x", steps: [1, 2], values: [1]) }
    }

    @Test func multiPanelGrid() throws {
        let domain = try PlotDomain(x: -1...1, y: -1...1)
        var panels: [PlotPanel?] = []
        for k in 0..<4 {
            var p = try ContourPlot(field: { x, y in x * x + Double(k + 1) * y * y }, domain: domain, resolution: 25)
            p.title = "κ = \(k + 1)"
            p.trajectories = [Trajectory(label: "run", points: [PlotPoint(0.8, 0.8), PlotPoint(0, 0)], color: probeMagenta)]
            panels.append(p)
        }
        panels.append(LineChart(series: [LineSeries(label: "loss", values: [1, 0.5, 0.2, 0.1])]))
        panels.append(nil)
        var figure = Figure(columns: 3, panels: panels, title: "Grid")
        figure.columnTitles = ["A", "B", "C"]
        figure.rowTitles = ["row 1", "row 2"]
        let image = try figure.render(width: 900, height: 560)
        let r = try decoded(image, width: 900, height: 560, name: "grid-small")
        #expect(image.plotAreas.count == 5)
        // Plot areas do not overlap and each shows its own trajectory.
        for (i, a) in image.plotAreas.enumerated() {
            for b in image.plotAreas[(i + 1)...] { #expect(!a.rect.intersects(b.rect)) }
        }
        for a in image.plotAreas.prefix(4) { #expect(isMagenta(r, a.pixel(for: PlotPoint(0.4, 0.4)))) }
        // Too many panels for the size: a typed error.
        let crowded = Figure(columns: 20, panels: Array(repeating: panels[0], count: 40))
        #expect(throws: PlotError.self) { try crowded.render(width: 400, height: 300) }
    }

    @Test func writesPNGFilesAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoplot-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nested/figure.png")
        let chart = LineChart(series: [LineSeries(label: "a", values: [3, 2, 1])])
        try Figure(chart).render(width: 200, height: 150).writePNG(to: url)
        let r = try PNGReader.read(contentsOf: url)
        #expect(r.width == 200 && r.height == 150)
        #expect(throws: PlotError.self) { try PNGReader.read(contentsOf: dir.appendingPathComponent("missing.png")) }
        #expect(throws: PlotError.self) { try PNGReader.decode(Data([1, 2, 3])) }
    }

    @Test func clippingKeepsVisibleSegmentsExact() {
        let rect = PlotRect(x: 0, y: 0, width: 10, height: 10)
        let clipped = Clipping.clip(PlotPoint(-5, 5), PlotPoint(1e300, 5), to: rect)
        #expect(clipped?.0 == PlotPoint(0, 5) && clipped?.1.x == 10)
        #expect(Clipping.clip(PlotPoint(-5, -5), PlotPoint(-1, 20), to: rect) == nil)
        let runs = Clipping.clip(polyline: [PlotPoint(1, 1), PlotPoint(20, 1), PlotPoint(20, 5), PlotPoint(1, 5)], to: rect)
        #expect(runs.count == 2)
    }
}
