/// Powell's (1973) function for cyclic coordinate descent:
/// f(x, y, z) = −(xy + yz + zx) + Σ_{v ∈ {x,y,z}} (|v| − 1)₊².
///
/// Cyclic exact coordinate minimisation from (−1−ε, 1+ε/2, −1−ε/4) cycles near six vertices
/// of the cube {±1}³ (those with mixed signs), where ‖∇f‖ ≥ 2 — non-stationary limit points
/// (CHECKS.md 6e). f is unbounded below: f(t, t, t) = 3 − 6t for t ≥ 1. In Float64 the cycle
/// survives only a few sweeps (ε shrinks 64× per six updates): use ε = 0.5 and ≤ 5 cycles.
///
/// Smoothness: q(v) = (|v| − 1)₊² is C¹ with q′(v) = 2(|v| − 1)₊ sign(v); q″ jumps from 0
/// to 2 at |v| = 1. This type returns q″(v) = 2 for |v| > 1 and 0 for |v| ≤ 1 (the inner
/// one-sided value at the kink |v| = 1 exactly).
public struct Powell1973: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "powell-1973", displayName: "Powell 1973 (cyclic CD)",
        formula: "f(x, y, z) = −(xy + yz + zx) + Σᵥ (|v| − 1)₊²",
        purpose: "cyclic coordinate descent fails (CHECKS.md 6e)",
        dimensions: .fixed(3), defaultDimension: 3, minimumSummary: "none (unbounded below)",
        parameters: [ParameterSpec(.startOffset, default: "0.5", "ε > 0 of the start (−1−ε, 1+ε/2, −1−ε/4)")],
        notes: ["Hessian at the kinks |v| = 1 uses the inner one-sided value q″ = 0 (2 for |v| > 1).",
                "Unbounded below: f(t, t, t) = 3 − 6t for t ≥ 1.",
                "Cyclic exact CD from the start cycles near the six mixed-sign cube vertices, where ‖∇f‖ ≥ 2."],
        source: "Powell 1973, \"On search directions for minimization algorithms\"")

    public let dimension = 3
    /// ε of the start point.
    public let startOffset: Double

    public init(dimension: Int = 3, startOffset: Double = 0.5) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        try ParameterCheck.finite(startOffset, atLeast: 0, .startOffset, function: Self.descriptor.id)
        guard startOffset > 0 else {
            throw FunctionError.invalidParameter(function: Self.descriptor.id, parameter: FunctionParameter.startOffset.rawValue,
                                                 reason: "must be > 0 (with ε = 0 the first coordinate minimiser is not unique)")
        }
        self.startOffset = startOffset
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: 3) }
    public var viewDomain: FunctionDomain { .cube(-2...2, dimension: 3) }
    public var minimum: GlobalMinimum { .unboundedBelow(note: "f(t, t, t) = 3 − 6t for t ≥ 1") }
    /// The origin: ∇f = 0, Hessian I − 11ᵀ with eigenvalues (−2, 1, 1).
    public var criticalPoints: [CriticalPoint] { [CriticalPoint(.saddle, [0, 0, 0], value: 0)] }
    public var startPoints: [[Double]] {
        let e = startOffset
        return [[-1 - e, 1 + e / 2, -1 - e / 4]]
    }

    /// The six mixed-sign vertices of {±1}³ near which cyclic coordinate descent cycles.
    public static let cycleVertices: [[Double]] = [
        [1, -1, 1], [1, -1, -1], [1, 1, -1], [-1, 1, -1], [-1, 1, 1], [-1, -1, 1],
    ]

    @inline(__always) private func q(_ v: Double) -> (value: Double, slope: Double, curvature: Double) {
        let excess = abs(v) - 1
        guard excess > 0 else { return (0, 0, 0) }
        return (excess * excess, 2 * excess * (v < 0 ? -1 : 1), 2)
    }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1], z = p[2]
        return -(x * y + y * z + z * x) + q(x).value + q(y).value + q(z).value
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1], z = p[2]
        g[0] = -(y + z) + q(x).slope
        g[1] = -(x + z) + q(y).slope
        g[2] = -(x + y) + q(z).slope
        return value(at: p)
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<3 { for j in 0..<3 { h[i * 3 + j] = i == j ? q(p[i]).curvature : -1 } }
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<3 { h[i] = q(p[i]).curvature }
    }
}
