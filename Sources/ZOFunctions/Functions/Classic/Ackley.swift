import Foundation

/// Ackley's function f(x) = −20 e^{−0.2 r} − e^{C} + 20 + e, r = √(Σxᵢ²/d), C = Σ cos(2πxᵢ)/d.
///
/// A nearly flat outer region with a deep funnel at 0. Evaluated as
/// 20·(−expm1(−0.2r)) − e·expm1(C − 1) with C − 1 = −(2/d) Σ sin²(πxᵢ), so f(0) = 0 exactly
/// and small values keep their relative accuracy.
///
/// Non-smooth point: the first term is a cone at x = 0 (not differentiable there; its
/// curvature grows like 1/‖x‖). At x = 0 exactly this type returns the minimal-norm
/// subgradient, 0, as the gradient, and as the Hessian only that of the smooth cosine term,
/// (4π²e/d)·I — i.e. it drops the cone's unbounded contribution. Everywhere else the
/// derivatives are classical.
public struct Ackley: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "ackley", displayName: "Ackley",
        formula: "f(x) = −20 exp(−0.2 √(Σxᵢ²/d)) − exp(Σ cos(2πxᵢ)/d) + 20 + e",
        purpose: "flat outer region, funnel at 0",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "0 at x = 0",
        notes: ["Cone at x = 0: gradient there is the minimal-norm subgradient 0; the Hessian there is the cosine term's (4π²e/d)·I, the cone's unbounded curvature is left out."],
        source: "Ackley 1987")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-32.768...32.768, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    /// (25, −20, 25, …) in the flat outer region, and (2.5, −1.5, …) among the ripples.
    public var startPoints: [[Double]] {
        [(0..<dimension).map { $0 % 2 == 0 ? 25 : -20 }, (0..<dimension).map { $0 % 2 == 0 ? 2.5 : -1.5 }]
    }

    /// r, e^{−0.2r}, C − 1 (accurately), e^C.
    private func parts(_ x: UnsafeBufferPointer<Double>) -> (r: Double, decay: Double, cMinusOne: Double, expC: Double) {
        let d = Double(dimension)
        var squares = 0.0, sines = 0.0
        for v in x {
            squares += v * v
            let s = sin(Double.pi * v)
            sines += s * s
        }
        let r = (squares / d).squareRoot()
        let cm1 = -2 * sines / d
        return (r, exp(-0.2 * r), cm1, exp(1 + cm1))
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        let p = parts(x)
        return -20 * expm1(-0.2 * p.r) - exp(1.0) * expm1(p.cMinusOne)
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let p = parts(x), d = Double(dimension)
        let cone = p.r > 0 ? 4 * p.decay / (d * p.r) : 0
        let ripple = 2 * Double.pi / d * p.expC
        for i in 0..<dimension { g[i] = cone * x[i] + ripple * sin(2 * Double.pi * x[i]) }
        return -20 * expm1(-0.2 * p.r) - exp(1.0) * expm1(p.cMinusOne)
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let p = parts(x), d = Double(dimension), n = dimension
        // Cone: A(r) = −20e^{−0.2r}; H = A″ rᵢrⱼ + A′ rᵢⱼ with rᵢ = xᵢ/(d r),
        // rᵢⱼ = δᵢⱼ/(d r) − xᵢxⱼ/(d² r³), A′ = 4e^{−0.2r}, A″ = −0.8e^{−0.2r}.
        let hasCone = p.r > 0
        let a1 = 4 * p.decay, a2 = -0.8 * p.decay
        let outer = hasCone ? (a2 / (d * d * p.r * p.r) - a1 / (d * d * p.r * p.r * p.r)) : 0
        let identity = hasCone ? a1 / (d * p.r) : 0
        // Ripple: −e^C (CᵢCⱼ + Cᵢⱼ), Cᵢ = −2π sin(2πxᵢ)/d, Cᵢᵢ = −4π² cos(2πxᵢ)/d.
        var ci = [Double](repeating: 0, count: n)
        for i in 0..<n { ci[i] = -2 * Double.pi * sin(2 * Double.pi * x[i]) / d }
        for i in 0..<n {
            for j in i..<n {
                var v = outer * x[i] * x[j] - p.expC * ci[i] * ci[j]
                if i == j { v += identity + p.expC * 4 * Double.pi * Double.pi * cos(2 * Double.pi * x[i]) / d }
                h[i * n + j] = v
                h[j * n + i] = v
            }
        }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let p = parts(x), d = Double(dimension)
        let hasCone = p.r > 0
        let a1 = 4 * p.decay, a2 = -0.8 * p.decay
        let outer = hasCone ? (a2 / (d * d * p.r * p.r) - a1 / (d * d * p.r * p.r * p.r)) : 0
        let identity = hasCone ? a1 / (d * p.r) : 0
        for i in 0..<dimension {
            let c = -2 * Double.pi * sin(2 * Double.pi * x[i]) / d
            h[i] = outer * x[i] * x[i] + identity
                + p.expC * (4 * Double.pi * Double.pi * cos(2 * Double.pi * x[i]) / d - c * c)
        }
    }
}
