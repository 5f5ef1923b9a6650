import Foundation
import Testing
@testable import ZOPlot

/// Where point markers go and what is drawn around them, checked on decoded pixels: the ✗ of
/// a diverged run, final markers that would hide each other or the ★, start markers on the
/// frame, the figure-wide legend, and the drawing order of noisy loss curves.
@Suite("Markers, figure legend and draw order (decoded PNG checks)")
struct MarkerTests {
    /// Distance from `p` to the polyline through `points`.
    func distance(_ p: PlotPoint, toPolyline points: [PlotPoint]) -> Double {
        zip(points, points.dropFirst()).map { a, b in
            let dx = b.x - a.x, dy = b.y - a.y
            let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / max(dx * dx + dy * dy, 1e-12)))
            let qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y
            return (qx * qx + qy * qy).squareRoot()
        }.min() ?? .infinity
    }

    /// Pixels (x, y) where two rasters of the same size differ.
    func differences(_ a: RasterImage, _ b: RasterImage) -> [PlotPoint] {
        var out: [PlotPoint] = []
        for y in 0..<a.height {
            for x in 0..<a.width where a.pixels[y * a.width + x] != b.pixels[y * b.width + x] {
                out.append(PlotPoint(Double(x) + 0.5, Double(y) + 0.5))
            }
        }
        return out
    }

    @Test func divergedTrajectoryEndsInACrossAtItsLastFinitePointAndNothingBeyond() throws {
        let domain = try PlotDomain(x: -2...2, y: -2...2)
        var plot = try ContourPlot(field: { x, _ in x }, domain: domain, resolution: 41, levels: .linear(count: 8))
        plot.legendPlacement = .hidden
        let blank = try PNGReader.decode(try Figure(plot).render(width: 320, height: 300).pngData())
        // Finite up to (0, 0.5); after the NaN, finite points again far away: they belong to
        // no drawable path and must leave the figure untouched.
        let finite = [PlotPoint(-1.5, -1), PlotPoint(0, -1), PlotPoint(0, 0.5)]
        plot.trajectories = [Trajectory(label: "diverges", points: finite + [PlotPoint(.nan, .nan), PlotPoint(1.5, 1.5), PlotPoint(1.5, -1.5)],
                                        color: probeMagenta)]
        let image = try Figure(plot).render(width: 320, height: 300)
        saveSample(image, "diverged-cross")
        let drawn = try PNGReader.decode(try image.pngData())
        let area = try #require(image.plotAreas.first)
        let path = finite.map { area.pixel(for: $0) }
        let last = try #require(path.last)
        // The ✗ (size 1.5 × 8 px, arms at ±45°) is centred on the last finite point: its
        // centre and both upper arms (away from the incoming vertical segment) are magenta.
        for (dx, dy) in [(0.0, 0.0), (-3.0, -3.0), (3.0, -3.0)] {
            let c = drawn.rgba(x: Int(last.x + dx), y: Int(last.y + dy))
            #expect(isProbeMagenta(c), "✗ pixel at offset (\(dx), \(dy)) from \(last) is \(c)")
        }
        // Between the arms (straight up) there is no ✗ ink: it is a cross, not a blob.
        #expect(!isProbeMagenta(drawn.rgba(x: Int(last.x), y: Int(last.y - 5))))
        // Every changed pixel lies within the ✗'s reach of the finite path: its arms end
        // 5.4·√2 ≈ 7.6 px from the centre, plus 2.7 px of round-capped black halo.
        let changed = differences(blank, drawn)
        #expect(changed.count > 200)
        let far = changed.filter { distance($0, toPolyline: path) > 11 }
        #expect(far.isEmpty, "\(far.count) pixels changed away from the finite path, e.g. \(far.prefix(3))")
        for p in [PlotPoint(1.5, 1.5), PlotPoint(1.5, 0), PlotPoint(1.5, -1.5)] {
            let q = area.pixel(for: p)
            #expect(drawn.rgba(x: Int(q.x), y: Int(q.y)) == blank.rgba(x: Int(q.x), y: Int(q.y)), "drawn beyond the divergence at \(p)")
        }
    }

    @Test func divergedLossCurveEndsInACrossAndNothingBeyond() throws {
        func chart(_ values: [Double]) -> LineChart {
            var c = LineChart(series: [LineSeries(label: "diverges", values: values, color: probeMagenta)])
            c.xRange = 0...100
            c.yRange = 0.01...10
            c.markersPerSeries = 0
            c.legendPlacement = .hidden
            return c
        }
        let finite = (0..<60).map { 5 * exp(-Double($0) / 20) }
        // The same axes with nothing drawn (one point far below the range), to diff against.
        let blank = try PNGReader.decode(try Figure(chart([1e-9])).render(width: 360, height: 260).pngData())
        let image = try Figure(chart(finite + [.nan] + Array(repeating: 1.0, count: 39))).render(width: 360, height: 260)
        saveSample(image, "diverged-loss-cross")
        let drawn = try PNGReader.decode(try image.pngData())
        let area = try #require(image.plotAreas.first)
        let path = finite.enumerated().map { area.pixel(for: PlotPoint(Double($0.offset), $0.element)) }
        let last = try #require(path.last)
        for (dx, dy) in [(0.0, 0.0), (3.0, -3.0), (3.0, 3.0)] {
            let c = drawn.rgba(x: Int(last.x + dx), y: Int(last.y + dy))
            #expect(isProbeMagenta(c), "✗ pixel at offset (\(dx), \(dy)) from \(last) is \(c)")
        }
        let far = differences(blank, drawn).filter { distance($0, toPolyline: path) > 11 }
        #expect(far.isEmpty, "\(far.count) pixels changed away from the finite curve, e.g. \(far.prefix(3))")
    }

    @Test func coincidingFinalMarkersFanOutAroundTheStar() throws {
        let star = PlotPoint(100, 100)
        let size = 8.0
        let finals = [PlotPoint(100, 100), PlotPoint(101, 99), PlotPoint(99.5, 100.5), PlotPoint(160, 100), PlotPoint(30, 30), PlotPoint(33, 31)]
        let placed = FinalMarkerLayout.positions(of: finals, avoiding: [star], markerSize: size)
        func d(_ a: PlotPoint, _ b: PlotPoint) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
        // The three on the star move off it, onto a ring where they do not touch each other.
        for i in 0..<3 { #expect(d(placed[i], star) >= 1.75 * size - 1e-9) }
        for i in 0..<3 { for j in 0..<i { #expect(d(placed[i], placed[j]) >= 1.5 * size - 1e-9) } }
        // A lone marker away from everything stays; an overlapping pair away from the star splits.
        #expect(placed[3] == finals[3])
        #expect(d(placed[4], placed[5]) >= 1.5 * size - 1e-9 && placed[4] != finals[4])

        // Rendered: two runs ending on the minimum both show their colour, and the ★ its gold.
        let domain = try PlotDomain(x: -1...1, y: -1...1)
        var plot = try ContourPlot(field: { x, y in x * x + y * y }, domain: domain, resolution: 40)
        plot.legendPlacement = .hidden
        plot.minima = [PlotPoint(0, 0)]
        plot.trajectories = [
            Trajectory(label: "a", points: [PlotPoint(-0.8, 0.8), PlotPoint(0, 0)], color: probeMagenta),
            Trajectory(label: "b", points: [PlotPoint(0.8, 0.8), PlotPoint(0.001, 0)], color: probeCyan, marker: .square),
        ]
        let image = try Figure(plot).render(width: 300, height: 300)
        saveSample(image, "final-markers-fanned")
        let r = try PNGReader.decode(try image.pngData())
        let area = try #require(image.plotAreas.first)
        let centre = area.pixel(for: PlotPoint(0, 0))
        let fanned = FinalMarkerLayout.positions(of: [centre, area.pixel(for: PlotPoint(0.001, 0))], avoiding: [centre], markerSize: PlotStyle().markerSize)
        #expect(isProbeMagenta(r.rgba(x: Int(fanned[0].x), y: Int(fanned[0].y))))
        #expect(isProbeCyan(r.rgba(x: Int(fanned[1].x), y: Int(fanned[1].y))))
        let gold = r.rgba(x: Int(centre.x), y: Int(centre.y))
        #expect(gold.r > 220 && gold.g > 170 && gold.b < 90, "★ centre is \(gold)")
    }

    @Test func startMarkerOnTheFrameIsDrawnWhole() throws {
        let domain = try PlotDomain(x: 0...1, y: 0...1)
        var plot = try ContourPlot(field: { x, _ in x }, domain: domain, resolution: 20, levels: .linear(count: 6))
        plot.legendPlacement = .hidden
        plot.trajectories = [Trajectory(label: "from the edge", points: [PlotPoint(0, 0.53), PlotPoint(0.5, 0.53)], color: probeMagenta)]
        let image = try Figure(plot).render(width: 260, height: 260)
        saveSample(image, "start-on-frame")
        let r = try PNGReader.decode(try image.pngData())
        let start = try #require(image.plotAreas.first).pixel(for: PlotPoint(0, 0.53))
        // The white circle (8 px, black edge) is whole: its left half lies in the white margin,
        // its edge 4 px left of the frame line; the frame does not cut through its centre.
        let edge = r.rgba(x: Int(start.x - 4), y: Int(start.y))
        #expect(edge.g < 150, "left edge of the start marker is \(edge)")
        for dx in [-2.0, 0, 2] {
            let c = r.rgba(x: Int(start.x + dx), y: Int(start.y))
            #expect(c.r > 235 && c.g > 235 && c.b > 235, "start marker at offset \(dx) is \(c)")
        }
    }

    @Test func figureLegendSitsUnderTheTitleAndShrinksThePanels() throws {
        let domain = try PlotDomain(x: 0...1, y: 0...1)
        var plot = try ContourPlot(field: { x, y in x + y }, domain: domain, resolution: 20)
        plot.legendPlacement = .hidden
        var figure = Figure(columns: 2, panels: [plot, plot], title: "Two panels")
        let without = try figure.render(width: 600, height: 320)
        figure.legend = [LegendItem(label: "magenta run", color: probeMagenta, lineWidth: 2, marker: .circle),
                         LegendItem(label: "cyan run", color: probeCyan, lineWidth: 2, dash: [6, 3], marker: .square),
                         LegendItem(label: "minimum", color: .black, marker: .star, markerFill: PlotColor(hex: 0xFFD21F))]
        let with = try figure.render(width: 600, height: 320)
        saveSample(with, "figure-legend")
        let r = try PNGReader.decode(try with.pngData())
        let top = try #require(with.plotAreas.first).rect.minY
        let topWithout = try #require(without.plotAreas.first).rect.minY
        #expect(top > topWithout + 10)
        // Both run colours appear in the band between the title and the panels.
        var magenta = 0, cyan = 0
        for y in 30..<Int(top) - 20 {
            for x in 0..<r.width {
                let c = r.rgba(x: x, y: y)
                if isProbeMagenta(c) { magenta += 1 }
                if isProbeCyan(c) { cyan += 1 }
            }
        }
        #expect(magenta > 20 && cyan > 20, "legend colours in the header: magenta \(magenta), cyan \(cyan)")
    }

    @Test func noisiestCurveIsDrawnFirst() throws {
        // A smooth curve at y = 1 and a zig-zag crossing it at every step.
        let smooth = LineSeries(label: "smooth", values: Array(repeating: 1.0, count: 401), color: probeCyan)
        let noisy = LineSeries(label: "noisy", values: (0...400).map { $0 % 2 == 0 ? 0.4 : 2.5 }, color: probeMagenta)
        var chart = LineChart(series: [smooth, noisy])
        chart.markersPerSeries = 0
        chart.legendPlacement = .hidden
        chart.yRange = 0.1...10
        func cyanShare(_ order: SeriesDrawOrder) throws -> Double {
            chart.drawOrder = order
            let image = try Figure(chart).render(width: 400, height: 260)
            let r = try PNGReader.decode(try image.pngData())
            let area = try #require(image.plotAreas.first)
            let xs = stride(from: 20.0, through: 380, by: 2).map { area.pixel(for: PlotPoint($0, 1)) }
            return Double(xs.filter { isProbeCyan(r.rgba(x: Int($0.x), y: Int($0.y))) }.count) / Double(xs.count)
        }
        #expect(try cyanShare(.noisiestFirst) == 1)
        #expect(try cyanShare(.given) < 0.8)
        #expect(LineChart.verticalTravelPerPixel([[PlotPoint(0, 0), PlotPoint(10, 0)]]) == 0)
        #expect(LineChart.verticalTravelPerPixel([[PlotPoint(0, 0), PlotPoint(1, 5), PlotPoint(2, 0)]]) == 5)
    }
}
