import Foundation
import Testing
@testable import ZOPlot

@Suite("Interval charts")
struct IntervalChartTests {
    @Test func pointsAndIntervalsLandWhereTheAxesSay() throws {
        var chart = IntervalChart(items: [IntervalItem(label: "a", value: 1, lower: 0.5, upper: 1.5, expected: 1.2),
                                          IntervalItem(label: "b", value: 3, lower: 2, upper: 4)],
                                  references: [("ref", 2.5)])
        chart.yRange = 0...5
        chart.title = "t"
        let image = try Figure(chart).render(width: 400, height: 300)
        let area = try #require(image.plotAreas.first)
        #expect(area.x.lower == -0.5 && area.x.upper == 1.5)
        let r = try image.raster()
        // The estimate of category 1 is a filled blue marker at (1, 3).
        let p = area.pixel(for: PlotPoint(1, 3))
        let c = r.color(x: Int(p.x), y: Int(p.y))
        #expect(c.blue > c.red && c.blue > 0.4, "expected the palette's blue at the estimate, got \(c)")
        // Nothing is drawn far from the data (top-left of the plot area is white).
        let empty = area.pixel(for: PlotPoint(-0.4, 4.9))
        #expect(r.color(x: Int(empty.x) + 2, y: Int(empty.y) + 2) == PlotColor.white)
    }

    @Test func nonFiniteAndNonPositiveValuesAreSkipped() throws {
        var chart = IntervalChart(items: [IntervalItem(label: "nan", value: .nan), IntervalItem(label: "neg", value: -1),
                                          IntervalItem(label: "ok", value: 10, lower: 5, upper: 20)], yScale: .logarithmic)
        chart.title = "log"
        let image = try Figure(chart).render(width: 400, height: 300)
        let area = try #require(image.plotAreas.first)
        #expect(area.y.lower > 0 && area.y.upper >= 20)
    }

    @Test func aDegenerateFixedRangeIsRefused() {
        var chart = IntervalChart(items: [IntervalItem(label: "a", value: 1)])
        chart.yRange = 1...1
        #expect(throws: PlotError.self) { try Figure(chart).render(width: 300, height: 200) }
    }
}
