import Foundation
import Testing
import ZOCore
@testable import ZOPlot

@Suite("Scalar grids, levels, marching squares")
struct ContourTests {
    static let square = try! PlotDomain(x: -2...2, y: -2...2)

    @Test func gridLayoutAndSampling() throws {
        let g = try ScalarGrid(sampling: { x, y in 10 * x + y }, domain: Self.square, columns: 5, rows: 3)
        #expect(g.values.count == 15)
        #expect(g[0, 0] == -22 && g[4, 0] == 18 && g[0, 2] == -18 && g[4, 2] == 22)
        #expect(g.x(4) == 2 && g.y(1) == 0)
        #expect(abs(g.interpolated(at: PlotPoint(0.5, 0.5)) - 5.5) < 1e-12)
        #expect(g.interpolated(at: PlotPoint(3, 0)).isNaN)
        // Parallel and serial sampling agree exactly.
        let f: (Double, Double) -> Double = { x, y in sin(3 * x) * cos(2 * y) + x * y }
        let a = try ScalarGrid(sampling: f, domain: Self.square, columns: 300, rows: 200, parallel: true)
        let b = try ScalarGrid(sampling: f, domain: Self.square, columns: 300, rows: 200, parallel: false)
        #expect(a.values == b.values)
    }

    @Test func slicesOfHigherDimensionalFunctions() throws {
        let f: ([Double]) -> Double = { v in v.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element * $1.element } }
        let g = try ScalarGrid(slicing: f, through: [0, 0, 0.5, 1], xAxis: 1, yAxis: 3, domain: Self.square, columns: 5, rows: 5)
        // x ↦ coordinate 1 (weight 2), y ↦ coordinate 3 (weight 4), coordinate 2 fixed at 0.5 (weight 3).
        let corner: Double = 2.0 * 4.0 + 3.0 * 0.25 + 4.0 * 4.0
        #expect(g[4, 0] == corner)
        #expect(g[2, 2] == 0.75)
        #expect(throws: PlotError.self) { try ScalarGrid(slicing: f, through: [0, 0], xAxis: 0, yAxis: 2, domain: Self.square, columns: 3, rows: 3) }
        #expect(throws: PlotError.self) { try ScalarGrid(slicing: f, through: [0, 0], xAxis: 1, yAxis: 1, domain: Self.square, columns: 3, rows: 3) }
    }

    @Test func gridRejectsBadShapes() {
        #expect(throws: PlotError.self) { try ScalarGrid(sampling: { _, _ in 0 }, domain: Self.square, columns: 1, rows: 10) }
        #expect(throws: PlotError.self) { try ScalarGrid(domain: Self.square, columns: 3, rows: 3, values: [1, 2, 3]) }
        #expect(throws: PlotError.self) { try ScalarGrid(sampling: { _, _ in 0 }, domain: Self.square, columns: 100_000, rows: 100_000) }
    }

    @Test func domainsRejectDegenerateBounds() {
        #expect(throws: PlotError.self) { try PlotDomain(xMin: 1, xMax: 1, yMin: 0, yMax: 1) }
        #expect(throws: PlotError.self) { try PlotDomain(xMin: 0, xMax: 1, yMin: 2, yMax: 1) }
        #expect(throws: PlotError.self) { try PlotDomain(xMin: .nan, xMax: 1, yMin: 0, yMax: 1) }
        #expect(throws: PlotError.self) { try PlotDomain(xMin: 0, xMax: .infinity, yMin: 0, yMax: 1) }
        #expect(throws: PlotError.self) {
            try PlotDomain(xMin: -Double.greatestFiniteMagnitude, xMax: Double.greatestFiniteMagnitude, yMin: 0, yMax: 1)
        }
    }

    @Test func circleContoursLieOnTheCircle() throws {
        // f = x² + y²: the level r² is the circle of radius r. Linear interpolation along an
        // edge of length h misplaces the crossing by at most h²/(8r)-ish; allow h²/r.
        let n = 101
        let grid = try ScalarGrid(sampling: { x, y in x * x + y * y }, domain: Self.square, columns: n, rows: n)
        let h = 4.0 / Double(n - 1)
        for r in [0.5, 1.0, 1.7] {
            let segments = MarchingSquares.segments(grid: grid, levels: [r * r])
            #expect(segments.count > 20)
            for s in segments {
                for p in [s.a, s.b] {
                    let err = abs((p.x * p.x + p.y * p.y).squareRoot() - r)
                    #expect(err < h * h / r, "r = \(r), point \(p), error \(err)")
                }
            }
            // Joined: one closed loop per circle, first point repeated last.
            let lines = MarchingSquares.polylines(from: segments, levels: [r * r])
            #expect(lines.count == 1)
            #expect(lines[0].isClosed)
            #expect(lines[0].points.first == lines[0].points.last)
            #expect(lines[0].points.count == segments.count + 1)
        }
    }

    @Test func lineContoursOfAPlaneAreExact() throws {
        // f = x + 2y is bilinear, so crossings are exact (up to rounding).
        let grid = try ScalarGrid(sampling: { x, y in x + 2 * y }, domain: Self.square, columns: 17, rows: 9)
        let set = try ContourSet(grid: grid, levels: [-1, 0, 2.5])
        #expect(set.lines.count == 3)
        for line in set.lines {
            #expect(!line.isClosed)
            for p in line.points { #expect(abs(p.x + 2 * p.y - line.level) < 1e-12) }
        }
    }

    @Test func optimisedPathMatchesNaiveTwin() throws {
        // A field with saddles, plateaus exactly at a level, and NaN / ∞ holes.
        var rng = PhiloxRandom(seed: 42)
        var values: [Double] = []
        for j in 0..<60 {
            for i in 0..<70 {
                let x = Double(i) / 7, y = Double(j) / 6
                var v = sin(x) * cos(y) + 0.3 * (rng.nextUniform() - 0.5)
                if (i * 7 + j * 3) % 97 == 0 { v = .nan }
                if (i + j) % 131 == 0 { v = .infinity }
                if i == 30 { v = 0.25 }  // a column exactly on a level
                values.append(v)
            }
        }
        let grid = try ScalarGrid(domain: Self.square, columns: 70, rows: 60, values: values)
        let levels = [-0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75]
        func key(_ s: ContourSegment) -> [Double] { [Double(s.levelIndex), Double(s.edgeA), Double(s.edgeB), s.a.x, s.a.y, s.b.x, s.b.y] }
        let fast = MarchingSquares.segments(grid: grid, levels: levels).map(key).sorted { $0.lexicographicallyPrecedes($1) }
        let naive = MarchingSquaresReference.segments(grid: grid, levels: levels).map(key).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(fast.count > 500)
        #expect(fast == naive)
    }

    @Test func saddleIsResolvedByTheCentreValue() throws {
        // One cell, corners v00 = 1, v10 = 0, v11 = 1, v01 = 0: a saddle at level 0.5.
        let domain = try PlotDomain(x: 0...1, y: 0...1)
        let above = try ScalarGrid(domain: domain, columns: 2, rows: 2, values: [1, 0, 0, 1.2])  // mean 0.55 ≥ 0.5
        let below = try ScalarGrid(domain: domain, columns: 2, rows: 2, values: [1, 0, 0, 0.9])  // mean 0.475 < 0.5
        let sa = MarchingSquares.segments(grid: above, levels: [0.5])
        let sb = MarchingSquares.segments(grid: below, levels: [0.5])
        #expect(sa.count == 2 && sb.count == 2)
        // Centre above: the two "below" corners (1,0) and (0,1) are cut off → segments near them.
        let nearBelowCorners = sa.allSatisfy { s in
            let m = PlotPoint((s.a.x + s.b.x) / 2, (s.a.y + s.b.y) / 2)
            return (m.x > 0.5 && m.y < 0.5) || (m.x < 0.5 && m.y > 0.5)
        }
        #expect(nearBelowCorners)
        let nearAboveCorners = sb.allSatisfy { s in
            let m = PlotPoint((s.a.x + s.b.x) / 2, (s.a.y + s.b.y) / 2)
            return (m.x < 0.5 && m.y < 0.5) || (m.x > 0.5 && m.y > 0.5)
        }
        #expect(nearAboveCorners)
    }

    @Test func nonFiniteCellsAreSkipped() throws {
        let g = try ScalarGrid(sampling: { x, y in x * x + y * y < 0.5 ? .nan : x * x + y * y }, domain: Self.square, columns: 41, rows: 41)
        let segments = MarchingSquares.segments(grid: g, levels: [0.3, 2])
        #expect(segments.allSatisfy { $0.levelIndex == 1 })  // level 0.3 lies inside the hole
        let clamped = try ScalarGrid(sampling: { x, _ in x > 1 ? .infinity : x }, domain: Self.square, columns: 21, rows: 21)
        #expect(MarchingSquares.segments(grid: clamped, levels: [1.5]).isEmpty)
        let filled = clamped.handlingNonFinite(.clampInfinities)
        #expect(filled.nonFiniteCount == 0)
        #expect(!MarchingSquares.segments(grid: filled, levels: [1.5]).isEmpty)
    }

    @Test func logarithmicLevels() throws {
        let levels = ContourLevels.logarithmicLevels(from: 1e-3, to: 2.5e3, count: 20)
        // p = round(20 / 6.4) = 3 per decade: constant ratio 10^(1/3), decades included.
        let ratio = pow(10, 1.0 / 3)
        for (a, b) in zip(levels, levels.dropFirst()) { #expect(abs(b / a - ratio) < 1e-9) }
        for k in -3...3 { #expect(levels.contains(pow(10, Double(k)))) }
        #expect(levels.first! >= 1e-3 && levels.last! <= 2.5e3)
        #expect(levels.count == 19 + 1)
        // A sub-decade range still gives increasing levels inside it.
        let narrow = ContourLevels.logarithmicLevels(from: 2, to: 3, count: 5)
        #expect(narrow.count >= 2 && narrow.first! >= 2 && narrow.last! <= 3)
        #expect(zip(narrow, narrow.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func levelsResolveAgainstTheGrid() throws {
        let rosen = try ScalarGrid(sampling: { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) },
                                   domain: PlotDomain(x: -2...2, y: -1...3), columns: 101, rows: 101)
        let log = try ContourLevels.logarithmic(count: 20).resolve(for: rosen)
        let (_, hi) = rosen.finiteRange!
        #expect(log.first! >= hi * ContourLevels.defaultLogFloor && log.last! <= hi)
        #expect(zip(log, log.dropFirst()).allSatisfy { $0 < $1 })
        let lin = try ContourLevels.linear(count: 10).resolve(for: rosen)
        #expect(lin.count >= 5 && lin.count <= 12)
        #expect(try ContourLevels.logarithmic(count: 10, minimum: 1).resolve(for: rosen).first == 1)
        // Bad requests are typed errors; empty data gives no levels.
        #expect(throws: PlotError.self) { try ContourLevels.explicit([2, 1]).resolve(for: rosen) }
        #expect(throws: PlotError.self) { try ContourLevels.explicit([]).resolve(for: rosen) }
        #expect(throws: PlotError.self) { try ContourLevels.linear(count: 0).resolve(for: rosen) }
        #expect(throws: PlotError.self) { try ContourLevels.logarithmic(count: 5, minimum: -1).resolve(for: rosen) }
        let nan = try ScalarGrid(sampling: { _, _ in .nan }, domain: Self.square, columns: 3, rows: 3)
        #expect(try ContourLevels.linear(count: 5).resolve(for: nan).isEmpty)
        let negative = try ScalarGrid(sampling: { x, _ in -1 - x * x }, domain: Self.square, columns: 3, rows: 3)
        #expect(try ContourLevels.logarithmic(count: 5).resolve(for: negative).isEmpty)
        let flat = try ScalarGrid(sampling: { _, _ in 3 }, domain: Self.square, columns: 3, rows: 3)
        #expect(try ContourLevels.linear(count: 5).resolve(for: flat) == [3])
    }
}
