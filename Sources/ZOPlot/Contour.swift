/// One straight piece of an iso-line inside one grid cell.
///
/// Each end lies on a grid edge, named by `edgeA < edgeB`: the horizontal edge from node
/// (i, j) to (i+1, j) is `2·(j·columns + i)`, the vertical edge from (i, j) to (i, j+1) is
/// `2·(j·columns + i) + 1`. The crossing point on an edge is linear interpolation between the
/// edge's two node values, so iso-lines of a bilinear field are exact at the edges, and for a
/// smooth field the error is O(h²) in the grid spacing h.
public struct ContourSegment: Hashable, Sendable {
    public var levelIndex: Int
    public var edgeA: Int
    public var edgeB: Int
    public var a: PlotPoint
    public var b: PlotPoint
}

/// An iso-line as a polyline in data coordinates; closed lines repeat their first point last.
public struct ContourLine: Sendable {
    public var levelIndex: Int
    public var level: Double
    public var points: [PlotPoint]
    public var isClosed: Bool
}

/// Iso-lines of a grid at a set of levels (marching squares), joined into polylines.
public struct ContourSet: Sendable {
    public let grid: ScalarGrid
    public let levels: [Double]
    public let lines: [ContourLine]

    /// Contours `grid` at `levels` (strictly increasing). Cells touching a non-finite node are
    /// skipped (holes). Cost: O(cells · log levels + segments).
    public init(grid: ScalarGrid, levels: [Double]) throws {
        guard levels.allSatisfy(\.isFinite), zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PlotError.invalidLevels("levels must be finite and strictly increasing")
        }
        self.grid = grid
        self.levels = levels
        let segments = MarchingSquares.segments(grid: grid, levels: levels)
        lines = MarchingSquares.polylines(from: segments, levels: levels)
    }

    /// Resolves `levels` for `grid` (see ``ContourLevels/resolve(for:)``), then contours.
    public init(grid: ScalarGrid, levels: ContourLevels) throws {
        try self.init(grid: grid, levels: try levels.resolve(for: grid))
    }
}

/// Marching squares over a ``ScalarGrid``.
///
/// A node is "above" a level L when value ≥ L. The 16 above/below patterns of a cell's corners
/// give 0, 1 or 2 segments; the two saddle patterns (diagonal corners alike) are resolved by
/// the cell-centre mean: corners whose class differs from the centre's are cut off. This
/// optimised path visits each cell once, finds the levels inside the cell's [min, max] by
/// binary search, and looks the segments up in a table. ``MarchingSquaresReference`` is its
/// naive twin (every level × every cell, edges tested one by one); tests require identical
/// output.
public enum MarchingSquares {
    // Cell edges: 0 bottom (v00–v10), 1 right (v10–v11), 2 top (v01–v11), 3 left (v00–v01).
    // Case bits: 1 = v00, 2 = v10, 4 = v11, 8 = v01 above. Saddles 5 and 10 get two entries:
    // index [0] when the centre is below, [1] when it is above.
    static let table: [[(Int, Int)]] = [
        [], [(0, 3)], [(0, 1)], [(1, 3)], [(1, 2)], [], [(0, 2)], [(2, 3)],
        [(2, 3)], [(0, 2)], [], [(1, 2)], [(1, 3)], [(0, 1)], [(0, 3)], [],
    ]
    static let saddle5: [[(Int, Int)]] = [[(0, 3), (1, 2)], [(0, 1), (2, 3)]]
    static let saddle10: [[(Int, Int)]] = [[(0, 1), (2, 3)], [(0, 3), (1, 2)]]

    /// All segments, ordered by cell then level.
    public static func segments(grid: ScalarGrid, levels: [Double]) -> [ContourSegment] {
        guard !levels.isEmpty else { return [] }
        var out: [ContourSegment] = []
        let nx = grid.columns
        grid.values.withUnsafeBufferPointer { v in
            for j in 0..<(grid.rows - 1) {
                for i in 0..<(nx - 1) {
                    let v00 = v[j * nx + i], v10 = v[j * nx + i + 1]
                    let v01 = v[(j + 1) * nx + i], v11 = v[(j + 1) * nx + i + 1]
                    guard v00.isFinite, v10.isFinite, v01.isFinite, v11.isFinite else { continue }
                    let lo = min(min(v00, v10), min(v01, v11)), hi = max(max(v00, v10), max(v01, v11))
                    // Levels L with lo < L ≤ hi make some corners above and some below.
                    var k = firstIndex(in: levels, greaterThan: lo)
                    while k < levels.count && levels[k] <= hi {
                        let level = levels[k]
                        var code = 0
                        if v00 >= level { code |= 1 }
                        if v10 >= level { code |= 2 }
                        if v11 >= level { code |= 4 }
                        if v01 >= level { code |= 8 }
                        let pairs: [(Int, Int)]
                        if code == 5 || code == 10 {
                            let centreAbove = (v00 + v10 + v01 + v11) * 0.25 >= level
                            pairs = (code == 5 ? saddle5 : saddle10)[centreAbove ? 1 : 0]
                        } else {
                            pairs = table[code]
                        }
                        for (e1, e2) in pairs {
                            out.append(segment(grid, i, j, level: level, levelIndex: k, e1, e2))
                        }
                        k += 1
                    }
                }
            }
        }
        return out
    }

    /// Index of the first level > x (levels.count if none).
    @inline(__always) static func firstIndex(in levels: [Double], greaterThan x: Double) -> Int {
        var lo = 0, hi = levels.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if levels[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Global id and crossing point of cell (i, j)'s local edge `e` at `level`.
    @inline(__always) static func edgeCrossing(_ grid: ScalarGrid, _ i: Int, _ j: Int, _ e: Int, level: Double) -> (Int, PlotPoint) {
        let nx = grid.columns
        // Each edge runs from its lower-index node a to its higher-index node b.
        let (ia, ja, ib, jb, vertical): (Int, Int, Int, Int, Bool)
        switch e {
        case 0: (ia, ja, ib, jb, vertical) = (i, j, i + 1, j, false)
        case 1: (ia, ja, ib, jb, vertical) = (i + 1, j, i + 1, j + 1, true)
        case 2: (ia, ja, ib, jb, vertical) = (i, j + 1, i + 1, j + 1, false)
        default: (ia, ja, ib, jb, vertical) = (i, j, i, j + 1, true)
        }
        let va = grid[ia, ja], vb = grid[ib, jb]
        let t = (level - va) / (vb - va)
        let id = 2 * (ja * nx + ia) + (vertical ? 1 : 0)
        if vertical {
            let y0 = grid.y(ja), y1 = grid.y(jb)
            return (id, PlotPoint(x: grid.x(ia), y: y0 + t * (y1 - y0)))
        } else {
            let x0 = grid.x(ia), x1 = grid.x(ib)
            return (id, PlotPoint(x: x0 + t * (x1 - x0), y: grid.y(ja)))
        }
    }

    /// The segment between local edges e1 and e2 of cell (i, j), with edgeA < edgeB.
    static func segment(_ grid: ScalarGrid, _ i: Int, _ j: Int, level: Double, levelIndex: Int, _ e1: Int, _ e2: Int) -> ContourSegment {
        let (id1, p1) = edgeCrossing(grid, i, j, e1, level: level)
        let (id2, p2) = edgeCrossing(grid, i, j, e2, level: level)
        return id1 < id2
            ? ContourSegment(levelIndex: levelIndex, edgeA: id1, edgeB: id2, a: p1, b: p2)
            : ContourSegment(levelIndex: levelIndex, edgeA: id2, edgeB: id1, a: p2, b: p1)
    }

    /// Joins segments that share an edge crossing into polylines, level by level. Every grid
    /// edge carries at most one crossing per level and belongs to at most two cells, so each
    /// crossing joins at most two segments and the chaining is exact (no distance tolerance).
    public static func polylines(from segments: [ContourSegment], levels: [Double]) -> [ContourLine] {
        var byLevel = [[Int]](repeating: [], count: levels.count)
        for (s, seg) in segments.enumerated() where seg.levelIndex < levels.count { byLevel[seg.levelIndex].append(s) }
        var lines: [ContourLine] = []
        for (k, indices) in byLevel.enumerated() where !indices.isEmpty {
            // edge id → the (one or two) segments touching it
            var touching: [Int: (Int, Int)] = [:]
            touching.reserveCapacity(indices.count * 2)
            for s in indices {
                for e in [segments[s].edgeA, segments[s].edgeB] {
                    if let pair = touching[e] { touching[e] = (pair.0, s) } else { touching[e] = (s, -1) }
                }
            }
            var used = Set<Int>()
            used.reserveCapacity(indices.count)
            func nextUnused(across e: Int) -> Int? {
                guard let (a, b) = touching[e] else { return nil }
                if !used.contains(a) { return a }
                if b >= 0 && !used.contains(b) { return b }
                return nil
            }
            func far(_ s: Int, from e: Int) -> (Int, PlotPoint) {
                let seg = segments[s]
                return seg.edgeA == e ? (seg.edgeB, seg.b) : (seg.edgeA, seg.a)
            }
            for start in indices where !used.contains(start) {
                used.insert(start)
                let seg = segments[start]
                var forward = [seg.a, seg.b]
                var edge = seg.edgeB
                var closed = false
                while let next = nextUnused(across: edge) {
                    used.insert(next)
                    let (e, p) = far(next, from: edge)
                    forward.append(p)
                    edge = e
                }
                if edge == seg.edgeA, forward.count > 3 {
                    closed = true
                } else {
                    var backward: [PlotPoint] = []
                    edge = seg.edgeA
                    while let next = nextUnused(across: edge) {
                        used.insert(next)
                        let (e, p) = far(next, from: edge)
                        backward.append(p)
                        edge = e
                    }
                    forward = backward.reversed() + forward
                }
                lines.append(ContourLine(levelIndex: k, level: levels[k], points: forward, isClosed: closed))
            }
        }
        return lines
    }
}
