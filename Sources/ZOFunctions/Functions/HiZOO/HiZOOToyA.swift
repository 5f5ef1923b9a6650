/// HiZOO Figure 3 (a), taken from Sophia's 2-D toy (Liu et al. 2023, as recalled in the
/// project's spec; HiZOO App. C cites it as "from [26]"):
/// f(x, y) = 8(x − 1)²(1.3x² + 2x + 1) + ½(y − 4)².
///
/// Verified numerically by the tests: 1.3x² + 2x + 1 > 0 (discriminant 4 − 5.2 < 0), so
/// f ≥ 0 with the global minimum 0 at (1, 4); ∇²f(1, 4) = diag(68.8, 1) — sharp in x, flat in
/// y, curvature ratio 68.8. ∂f/∂x = 8x(x − 1)(5.2x + 3.4), so the x-section also has a local
/// maximum at x = 0 (a saddle (0, 4) of f, value 8) and a local minimum at x = −17/26
/// ≈ −0.6538 (f = 5.4283): starts with x < 0 descend into that local minimum.
public struct HiZOOToyA: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "hizoo-a", displayName: "HiZOO toy (a) — Sophia's 2-D function",
        formula: "f(x, y) = 8(x − 1)²(1.3x² + 2x + 1) + ½(y − 4)²",
        purpose: "HiZOO Fig. 3(a): sharp in x, flat in y (curvature ratio 68.8 at the minimum)",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "0 at (1, 4)",
        notes: ["Formula as recalled from Sophia (Liu et al. 2023); HiZOO App. C cites it, the seed text lost it.",
                "Local minimum (−17/26, 4), f ≈ 5.4283, and saddle (0, 4), f = 8: start with x > 0."],
        source: "Liu et al. 2023 (Sophia), via HiZOO (seed 004) §3.5 / App. C")

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: 2) }
    public var viewDomain: FunctionDomain { .rectangle(x: -1.5...2, y: 0...8) }
    public var minimum: GlobalMinimum { .attained(value: 0, points: [[1, 4]], note: nil) }
    public var criticalPoints: [CriticalPoint] {
        [CriticalPoint(.localMinimum, [-17.0 / 26.0, 4], value: 5.4283340919435594),
         CriticalPoint(.saddle, [0, 4], value: 8)]
    }
    public var startPoints: [[Double]] { [[0.2, 1]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1], u = x - 1, v = y - 4
        return 8 * u * u * (1.3 * x * x + 2 * x + 1) + 0.5 * v * v
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0]
        g[0] = 8 * x * (x - 1) * (5.2 * x + 3.4)
        g[1] = p[1] - 4
        return value(at: p)
    }

    /// ∂²f/∂x² = 124.8x² − 28.8x − 27.2.
    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x = p[0]
        h[0] = 124.8 * x * x - 28.8 * x - 27.2
        h[1] = 0
        h[2] = 0
        h[3] = 1
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x = p[0]
        h[0] = 124.8 * x * x - 28.8 * x - 27.2
        h[1] = 1
    }
}
