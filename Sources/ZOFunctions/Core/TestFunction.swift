/// An analytic test function f: Rᵈ → R in Float64 with exact derivatives.
///
/// Contract (checked for every catalog function by `ZOFunctionsTests`):
/// - `value`, `valueAndGradient`, `hessian` and `hessianDiagonal` take a point `x` with
///   exactly `dimension` elements; they never allocate per call beyond O(1) scratch unless
///   stated, and they do not check `x` for finiteness (``FunctionObjective`` and
///   ``TestFunction/checkedValue(_:)`` do).
/// - The gradient and the Hessian are exact (hand-derived formulas, rounding only); the
///   tests compare them with 5-point central finite differences at seeded random points.
/// - `hessian` writes the full d×d matrix row-major (it overwrites every entry) and is
///   symmetric; `hessianDiagonal` equals its diagonal and costs O(d) where the structure
///   allows.
/// - Where a function is not twice differentiable at a point (kinks of |·| or (·)₊), the
///   type's documentation states which one-sided or generalised derivative it returns.
public protocol TestFunction: Sendable {
    /// Catalog metadata: id, display name, formula, dimension rule, parameters, notes.
    var descriptor: FunctionDescriptor { get }
    /// d, the number of coordinates.
    var dimension: Int { get }
    /// The standard search box (may be unbounded in some or all coordinates).
    var domain: FunctionDomain { get }
    /// A finite box for plots and for the tests' random points (defaults to `domain` when
    /// that is bounded).
    var viewDomain: FunctionDomain { get }
    /// The global minimum (value and minimisers), or that f is unbounded below.
    var minimum: GlobalMinimum { get }
    /// Other known critical points (local minima, saddles, maxima) worth marking on plots.
    var criticalPoints: [CriticalPoint] { get }
    /// Standard start points; the first is the default.
    var startPoints: [[Double]] { get }
    /// Coordinate groups that block-coordinate methods should see (one block by default).
    var naturalBlocks: [FunctionBlock] { get }

    /// f(x).
    func value(at x: UnsafeBufferPointer<Double>) -> Double
    /// f(x), and ∇f(x) written into `gradient` (d elements, overwritten).
    func valueAndGradient(at x: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) -> Double
    /// ∇²f(x), row-major d×d, written into `hessian` (d² elements, overwritten).
    func hessian(at x: UnsafeBufferPointer<Double>, into hessian: UnsafeMutableBufferPointer<Double>)
    /// diag ∇²f(x) written into `diagonal` (d elements, overwritten).
    func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into diagonal: UnsafeMutableBufferPointer<Double>)
}

extension TestFunction {
    public var viewDomain: FunctionDomain { domain }
    public var criticalPoints: [CriticalPoint] { [] }
    public var naturalBlocks: [FunctionBlock] { [FunctionBlock(name: "x", range: 0..<dimension)] }

    /// The catalog id (kebab-case), e.g. `six-hump-camel`.
    public var name: String { descriptor.id }

    /// The default start point.
    public var defaultStart: [Double] { startPoints[0] }

    // MARK: Array conveniences (allocate; for tests, plots and small d)

    /// f(x) for an array `x` of `dimension` elements.
    public func value(_ x: [Double]) -> Double {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        return x.withUnsafeBufferPointer { value(at: $0) }
    }

    /// ∇f(x) as a new array.
    public func gradient(_ x: [Double]) -> [Double] {
        valueAndGradient(x).gradient
    }

    /// f(x) and ∇f(x) as a new array.
    public func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var g = [Double](repeating: 0, count: dimension)
        let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { valueAndGradient(at: xp, into: $0) } }
        return (f, g)
    }

    /// ∇²f(x) as a row-major d×d array.
    public func hessian(_ x: [Double]) -> [Double] {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var h = [Double](repeating: 0, count: dimension * dimension)
        x.withUnsafeBufferPointer { xp in h.withUnsafeMutableBufferPointer { hessian(at: xp, into: $0) } }
        return h
    }

    /// diag ∇²f(x) as a new array.
    public func hessianDiagonal(_ x: [Double]) -> [Double] {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var h = [Double](repeating: 0, count: dimension)
        x.withUnsafeBufferPointer { xp in h.withUnsafeMutableBufferPointer { hessianDiagonal(at: xp, into: $0) } }
        return h
    }

    /// f(x) after checking `x`: its length, that every coordinate is finite and, when
    /// `enforceDomain` is true, that it lies in ``domain``.
    /// - Throws: ``FunctionError/dimensionMismatch(function:expected:got:)``,
    ///   ``FunctionError/nonFiniteInput(_:)``, ``FunctionError/outsideDomain(function:coordinate:value:lower:upper:)``.
    public func checkedValue(_ x: [Double], enforceDomain: Bool = false) throws -> Double {
        try validate(point: x, enforceDomain: enforceDomain)
        return value(x)
    }

    /// Checks that `x` has `dimension` finite coordinates and, when `enforceDomain` is true,
    /// that it lies in ``domain``.
    public func validate(point x: [Double], enforceDomain: Bool = false) throws {
        guard x.count == dimension else {
            throw FunctionError.dimensionMismatch(function: name, expected: dimension, got: x.count)
        }
        if let i = x.firstIndex(where: { !$0.isFinite }) {
            throw FunctionError.nonFiniteInput("coordinate \(i + 1) of the point (\(x[i]))")
        }
        if enforceDomain, let (i, v) = x.withUnsafeBufferPointer({ domain.firstViolation($0) }) {
            throw FunctionError.outsideDomain(function: name, coordinate: i, value: v,
                                              lower: domain.lower[i], upper: domain.upper[i])
        }
    }
}

/// A named group of coordinates (a contiguous range of x) that block-coordinate methods
/// treat together; becomes a ``ParameterBlockInfo`` in a ``FunctionObjective``.
public struct FunctionBlock: Hashable, Sendable {
    public let name: String
    public let range: Range<Int>

    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }
}
