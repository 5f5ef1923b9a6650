/// The extended Rosenbrock function (Moré, Garbow & Hillstrom 1981, problem 21) in
/// least-squares form: f(x) = ½ Σ_{i=1}^{d/2} [10(x_{2i} − x_{2i−1}²)]² + (1 − x_{2i−1})², d even.
///
/// Decoupled pairs: the Hessian is block diagonal with 2×2 blocks, each ½ × the 2-D
/// Rosenbrock Hessian (condition ≈ 2508 at the minimum). A sum of d/2 terms (one per pair).
/// The ½ multiplies both squares (f = ½‖F‖² with MGH's residuals F).
public struct ExtendedRosenbrock: SumOfTerms {
    public static let descriptor = FunctionDescriptor(
        id: "extended-rosenbrock", displayName: "Extended Rosenbrock",
        formula: "f(x) = ½ Σ_{i=1}^{d/2} [10(x_{2i} − x_{2i−1}²)]² + (1 − x_{2i−1})²",
        purpose: "high-d block structure: independent 2-D Rosenbrock pairs",
        dimensions: .multiple(of: 2), defaultDimension: 10, minimumSummary: "0 at x = (1, …, 1)",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d/2 pairs per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["The ½ multiplies both squares: each pair is ½ × the 2-D Rosenbrock function."],
        source: "Moré, Garbow & Hillstrom 1981 (problem 21)")

    public let dimension: Int

    public init(dimension: Int = 10) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    public var viewDomain: FunctionDomain { .cube(-2...2, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 1, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [(0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1.0 }] }

    public var termCount: Int { dimension / 2 }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double {
        let u = x[2 * t], a = x[2 * t + 1] - u * u, b = 1 - u
        return 50 * a * a + 0.5 * b * b
    }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let u = x[2 * t], a = x[2 * t + 1] - u * u, b = 1 - u
        g[2 * t] += scale * (-200 * u * a - b)
        g[2 * t + 1] += scale * (100 * a)
        return 50 * a * a + 0.5 * b * b
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        let d = dimension, i = 2 * t, u = x[i]
        h[i * d + i] += scale * (600 * u * u - 200 * x[i + 1] + 1)
        h.addSymmetric(i, i + 1, scale * (-200 * u), dimension: d)
        h[(i + 1) * d + i + 1] += scale * 100
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        let i = 2 * t, u = x[i]
        h[i] += scale * (600 * u * u - 200 * x[i + 1] + 1)
        h[i + 1] += scale * 100
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double { valueFromTerms(at: x) }
    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        valueAndGradientFromTerms(at: x, into: g)
    }
    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        hessianFromTerms(at: x, into: h)
    }
    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        hessianDiagonalFromTerms(at: x, into: h)
    }
}
