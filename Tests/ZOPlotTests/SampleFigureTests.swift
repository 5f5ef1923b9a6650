import Foundation
import Testing
@testable import ZOPlot

/// The sample figures a reader would see: rendered at full size, decoded, checked. Set
/// ZOPLOT_SAMPLE_DIR to keep the PNGs (contour + trajectories, loss panel, multi-panel).
@Suite("Sample figures")
struct SampleFigureTests {
    func check(_ image: PlotImage, _ name: String) throws {
        saveSample(image, name)
        let r = try PNGReader.decode(try image.pngData())
        #expect(r.width == image.width && r.height == image.height)
        #expect(r.distinctColorCount > 50)
        #expect(r.luminanceVariance > 100)
    }

    @Test func contourWithTrajectories() throws {
        let plot = try SampleData.rosenbrockFigure()
        #expect(plot.trajectories[3].divergenceStep != nil)
        let image = try Figure(plot).render(width: 800, height: 800)
        try check(image, "sample-rosenbrock")
        // Every finite iterate of Adam inside the domain maps inside the plot area.
        let area = try #require(image.plotAreas.first)
        for p in plot.trajectories[1].finitePoints where (try! PlotDomain(x: -2...2, y: -1...3)).contains(p) {
            let q = area.pixel(for: p)
            #expect(q.x >= area.rect.minX - 0.5 && q.x <= area.rect.maxX + 0.5)
        }
    }

    @Test func lossPanel() throws {
        let chart = SampleData.rosenbrockLosses(try SampleData.rosenbrockFigure(resolution: 20))
        try check(try Figure(chart).render(width: 800, height: 500), "sample-loss")
    }

    @Test func multiPanelLayout() throws {
        // Functions × optimizers: 2 rows (Rosenbrock, a 4-D quadratic sliced at x₃ = x₄ = 0.5)
        // × 2 columns (two optimizers), plus their loss curves in a third column.
        let rosen = try SampleData.rosenbrockFigure(resolution: 120, steps: 300)
        let quartic: ([Double]) -> Double = { v in v.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element * $1.element } }
        let slice: (Double, Double) -> Double = { x, y in quartic([x, y, 0.5, 0.5]) }
        let sliceDomain = try PlotDomain(x: -2...2, y: -2...2)
        var panels: [PlotPanel?] = []
        for (k, t) in rosen.trajectories.prefix(2).enumerated() {
            var p = rosen
            p.trajectories = [t]
            p.title = k == 0 ? "GD + momentum" : "Adam"
            p.settings = nil
            p.showsColorBar = k == 1
            panels.append(p)
        }
        panels.append(SampleData.rosenbrockLosses(rosen))
        for (k, lr) in [0.05, 0.45].enumerated() {
            var p = try ContourPlot(field: slice, domain: sliceDomain, resolution: 100, levels: .linear(count: 12))
            p.trajectories = [Trajectory(label: "GD (η = \(lr))", points: SampleData.momentum(
                start: PlotPoint(-1.8, 1.7), lr: lr, beta: 0, steps: 60, gradient: { x, y in (2 * x, 4 * y) }))]
            p.minima = [PlotPoint(0, 0)]
            p.title = "η = \(lr)"
            p.showsColorBar = k == 1
            p.equalAspect = true
            panels.append(p)
        }
        panels.append(TextPanel(lines: ["4-D quadratic Σ i·xᵢ², shown as the slice x₃ = x₄ = 0.5",
                                        "GD from (−1.8, 1.7, 0.5, 0.5); η = 0.45 oscillates in y"]))
        var figure = Figure(columns: 3, panels: panels, title: "Functions × optimizers", subtitle: "seed 7 · 300 steps")
        figure.rowTitles = ["Rosenbrock", "quadratic (slice)"]
        let image = try figure.render(width: 1500, height: 1000)
        try check(image, "sample-grid")
        #expect(image.plotAreas.count == 5)
    }
}
