import ZOCore

/// A scalar field f(x, y) sampled on a regular `columns × rows` lattice over a domain.
///
/// Shape: `values[j * columns + i] = f(x_i, y_j)` with `x_i = xMin + i·(xMax − xMin)/(columns − 1)`
/// and `y_j = yMin + j·(yMax − yMin)/(rows − 1)` (row 0 is the bottom edge, y grows with j).
/// Values may be NaN or ±∞; how figures treat them is set by ``NonFiniteHandling``.
///
/// A function of more than two variables is shown as a 2-D slice: pass a closure that fixes
/// the other coordinates, e.g. `{ x, y in f([x, y, 1, 1]) }`.
public struct ScalarGrid: Sendable {
    public let domain: PlotDomain
    public let columns: Int
    public let rows: Int
    /// Row-major values, `columns × rows` (see the type's doc for the layout).
    public let values: [Double]

    /// The most nodes a grid may have (4096², 128 MiB of Double).
    public static let maximumNodes = 4096 * 4096

    /// Wraps precomputed values (row-major, row 0 at y = yMin).
    public init(domain: PlotDomain, columns: Int, rows: Int, values: [Double]) throws {
        try Self.validate(columns: columns, rows: rows)
        guard values.count == columns * rows else {
            throw PlotError.invalidGrid("\(values.count) values for a \(columns)×\(rows) grid (expected \(columns * rows))")
        }
        self.domain = domain
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// Samples `field(x, y)` at every node. With `parallel` (the default) rows are evaluated
    /// concurrently on ZOCore's worker threads, so `field` must be safe to call concurrently
    /// (a pure function is); pass `parallel: false` otherwise.
    public init(sampling field: (Double, Double) -> Double, domain: PlotDomain, columns: Int, rows: Int,
                parallel: Bool = true) throws {
        try Self.validate(columns: columns, rows: rows)
        let nx = columns, ny = rows
        let dx = domain.width / Double(nx - 1), dy = domain.height / Double(ny - 1)
        var values = [Double](repeating: .nan, count: nx * ny)
        values.withUnsafeMutableBufferPointer { out in
            func body(_ range: Range<Int>) {
                for j in range {
                    let y = j == ny - 1 ? domain.yMax : domain.yMin + Double(j) * dy
                    for i in 0..<nx {
                        let x = i == nx - 1 ? domain.xMax : domain.xMin + Double(i) * dx
                        out[j * nx + i] = field(x, y)
                    }
                }
            }
            if parallel {
                Parallel.forChunks(count: ny, minimumChunk: max(1, 4096 / nx)) { body($0) }
            } else {
                body(0..<ny)
            }
        }
        self.domain = domain
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// The 2-D slice of an n-dimensional function through `point`: coordinate `xAxis` varies
    /// over the domain's x range, `yAxis` over its y range, the others stay at `point`'s
    /// values. (For functions of more than two variables; their loss curves are the other view.)
    public init(slicing function: ([Double]) -> Double, through point: [Double], xAxis: Int = 0, yAxis: Int = 1,
                domain: PlotDomain, columns: Int, rows: Int, parallel: Bool = true) throws {
        guard point.indices.contains(xAxis), point.indices.contains(yAxis), xAxis != yAxis else {
            throw PlotError.invalidArgument("slice axes \(xAxis), \(yAxis) must be two different coordinates of a \(point.count)-D point")
        }
        try self.init(sampling: { x, y in
            var v = point
            v[xAxis] = x
            v[yAxis] = y
            return function(v)
        }, domain: domain, columns: columns, rows: rows, parallel: parallel)
    }

    private static func validate(columns: Int, rows: Int) throws {
        guard columns >= 2, rows >= 2 else {
            throw PlotError.invalidGrid("a grid needs at least 2×2 nodes, got \(columns)×\(rows)")
        }
        guard columns <= maximumNodes / rows else {
            throw PlotError.invalidGrid("\(columns)×\(rows) nodes exceed the limit of \(maximumNodes)")
        }
    }

    /// x of column `i` (exact at both ends).
    @inline(__always) public func x(_ i: Int) -> Double {
        i == columns - 1 ? domain.xMax : domain.xMin + Double(i) * (domain.width / Double(columns - 1))
    }

    /// y of row `j` (exact at both ends).
    @inline(__always) public func y(_ j: Int) -> Double {
        j == rows - 1 ? domain.yMax : domain.yMin + Double(j) * (domain.height / Double(rows - 1))
    }

    @inline(__always) public subscript(i: Int, j: Int) -> Double { values[j * columns + i] }

    /// Smallest and largest finite value, or nil when no value is finite.
    public var finiteRange: (min: Double, max: Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// Smallest finite value > 0, or nil.
    public var minimumPositive: Double? {
        var lo = Double.infinity
        for v in values where v.isFinite && v > 0 && v < lo { lo = v }
        return lo.isFinite ? lo : nil
    }

    /// Number of NaN or ±∞ values.
    public var nonFiniteCount: Int { values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }

    /// Bilinear interpolation at `p`; NaN outside the domain or in a cell with a non-finite node.
    public func interpolated(at p: PlotPoint) -> Double {
        guard domain.contains(p) else { return .nan }
        let fx = (p.x - domain.xMin) / domain.width * Double(columns - 1)
        let fy = (p.y - domain.yMin) / domain.height * Double(rows - 1)
        let i = min(columns - 2, max(0, Int(fx))), j = min(rows - 2, max(0, Int(fy)))
        let tx = fx - Double(i), ty = fy - Double(j)
        let v00 = self[i, j], v10 = self[i + 1, j], v01 = self[i, j + 1], v11 = self[i + 1, j + 1]
        guard v00.isFinite, v10.isFinite, v01.isFinite, v11.isFinite else { return .nan }
        return (v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty
    }

    /// A copy with ±∞ replaced per `handling` (NaN always stays NaN: a hole).
    public func handlingNonFinite(_ handling: NonFiniteHandling) -> ScalarGrid {
        guard handling == .clampInfinities, let (lo, hi) = finiteRange else { return self }
        let span = max(hi - lo, 1)
        let top = hi + span, bottom = lo - span
        let cleaned = values.map { v -> Double in v == .infinity ? top : v == -.infinity ? bottom : v }
        return try! ScalarGrid(domain: domain, columns: columns, rows: rows, values: cleaned)
    }
}

/// How a contour figure treats non-finite field values.
public enum NonFiniteHandling: Sendable, Hashable {
    /// Every grid cell touching a NaN or ±∞ node is left unfilled (drawn as a hatched grey
    /// hole) and carries no contour line. The default: nothing is invented.
    case hole
    /// ±∞ is replaced by max + (max − min) or min − (max − min) of the finite values, so it
    /// lands in the top or bottom band and contour lines run close to the finite side;
    /// NaN still leaves a hole.
    case clampInfinities
}
