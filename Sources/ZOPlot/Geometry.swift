/// A point, either in data coordinates (x, y of the function) or in pixels (y down).
public struct PlotPoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public init(_ x: Double, _ y: Double) { self.init(x: x, y: y) }

    /// Both coordinates are finite (neither NaN nor ±∞).
    public var isFinite: Bool { x.isFinite && y.isFinite }

    public var description: String { "(\(x), \(y))" }
}

/// An axis-aligned rectangle in pixels (origin top-left, y down).
public struct PlotRect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// The rectangle shrunk by `dx` on the left and right and `dy` on the top and bottom.
    public func insetBy(dx: Double, dy: Double) -> PlotRect {
        PlotRect(x: x + dx, y: y + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }

    /// The rectangle with each side moved inwards by its own amount.
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> PlotRect {
        PlotRect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }

    public func contains(_ p: PlotPoint) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }

    public func intersects(_ other: PlotRect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}

/// The rectangle [xMin, xMax] × [yMin, yMax] of data space a 2-D figure shows.
///
/// Construction validates: bounds must be finite and each side must have positive length, so
/// every later mapping data → pixel is well defined.
public struct PlotDomain: Hashable, Sendable, CustomStringConvertible {
    public let xMin: Double
    public let xMax: Double
    public let yMin: Double
    public let yMax: Double

    /// Throws ``PlotError/degenerateDomain(_:)`` for non-finite bounds or a zero/negative side.
    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) throws {
        guard xMin.isFinite, xMax.isFinite, yMin.isFinite, yMax.isFinite else {
            throw PlotError.degenerateDomain("bounds x∈[\(xMin), \(xMax)], y∈[\(yMin), \(yMax)] must be finite")
        }
        guard xMax > xMin, yMax > yMin else {
            throw PlotError.degenerateDomain("x∈[\(xMin), \(xMax)], y∈[\(yMin), \(yMax)] needs xMax > xMin and yMax > yMin")
        }
        guard (xMax - xMin).isFinite, (yMax - yMin).isFinite else {
            throw PlotError.degenerateDomain("side lengths of x∈[\(xMin), \(xMax)], y∈[\(yMin), \(yMax)] overflow")
        }
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
    }

    /// `PlotDomain(x: -2...2, y: -1...3)`.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>) throws {
        try self.init(xMin: x.lowerBound, xMax: x.upperBound, yMin: y.lowerBound, yMax: y.upperBound)
    }

    public var width: Double { xMax - xMin }
    public var height: Double { yMax - yMin }

    public func contains(_ p: PlotPoint) -> Bool { p.x >= xMin && p.x <= xMax && p.y >= yMin && p.y <= yMax }

    public var description: String { "[\(xMin), \(xMax)] × [\(yMin), \(yMax)]" }
}

/// Line clipping used before handing coordinates to Cairo.
///
/// Cairo stores path coordinates in 24.8 fixed point, so pixels beyond about ±8·10⁶ wrap
/// around; a diverging trajectory easily produces such values. Clipping each segment to a
/// rectangle slightly larger than the visible area keeps the visible part exact.
enum Clipping {
    /// The part of segment a→b inside `rect` (Liang–Barsky), or nil when it misses.
    static func clip(_ a: PlotPoint, _ b: PlotPoint, to rect: PlotRect) -> (PlotPoint, PlotPoint)? {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        let checks: [(Double, Double)] = [
            (-dx, a.x - rect.minX), (dx, rect.maxX - a.x),
            (-dy, a.y - rect.minY), (dy, rect.maxY - a.y),
        ]
        for (p, q) in checks {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return nil }
                    if r > t0 { t0 = r }
                } else {
                    if r < t0 { return nil }
                    if r < t1 { t1 = r }
                }
            }
        }
        let p0 = t0 == 0 ? a : PlotPoint(x: a.x + t0 * dx, y: a.y + t0 * dy)
        let p1 = t1 == 1 ? b : PlotPoint(x: a.x + t1 * dx, y: a.y + t1 * dy)
        return (p0, p1)
    }

    /// Splits a polyline (pixels, all finite) into the runs that are visible inside `rect`.
    static func clip(polyline points: [PlotPoint], to rect: PlotRect) -> [[PlotPoint]] {
        guard points.count >= 2 else {
            if let p = points.first, rect.contains(p) { return [[p]] }
            return []
        }
        var runs: [[PlotPoint]] = []
        var current: [PlotPoint] = []
        for i in 1..<points.count {
            guard let (p, q) = clip(points[i - 1], points[i], to: rect) else {
                if current.count >= 2 { runs.append(current) }
                current = []
                continue
            }
            if current.isEmpty || current.last! != p {
                if current.count >= 2 { runs.append(current) }
                current = [p]
            }
            current.append(q)
        }
        if current.count >= 2 { runs.append(current) }
        return runs
    }
}
