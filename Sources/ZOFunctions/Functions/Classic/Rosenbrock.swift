/// Rosenbrock's chained function f(x) = Σ_{i<d} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)², d ≥ 2.
///
/// A curved valley; at the minimiser x = 1 the 2-D Hessian [[802, −400], [−400, 200]] has
/// condition number ≈ 2508. A sum of d − 1 terms (term t couples x_t and x_{t+1}).
/// For d ≥ 4 there is also a local minimum (Kok & Sandrock 2009; checked with BFGS when
/// this was written): f ≈ 3.7014 at (−0.7757, 0.6131, 0.3821, 0.1460) for d = 4, and
/// f ≈ 3.99 near (−1, 1, …, 1) for d ≥ 7. Not listed in ``criticalPoints``.
public struct Rosenbrock: SumOfTerms {
    public static let descriptor = FunctionDescriptor(
        id: "rosenbrock", displayName: "Rosenbrock",
        formula: "f(x) = Σ_{i<d} 100(x_{i+1} − xᵢ²)² + (1 − xᵢ)²",
        purpose: "curved valley, κ ≈ 2508 at the minimum (2-D)",
        dimensions: .atLeast(2), defaultDimension: 2, minimumSummary: "0 at x = (1, …, 1)",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d − 1 terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["For d ≥ 4 there is also a local minimum: f ≈ 3.70 for d = 4, f ≈ 3.99 near (−1, 1, …, 1) for d ≥ 7 (Kok & Sandrock 2009).",
                "2-D view box x ∈ [−2, 2], y ∈ [−1, 3] (pytorch-optimizer's visualiser); use log-spaced contours."],
        source: "Rosenbrock 1960")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-2...2, dimension: dimension) }
    public var viewDomain: FunctionDomain {
        dimension == 2 ? .rectangle(x: -2...2, y: -1...3) : domain
    }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 1, count: dimension)], note: nil)
    }
    /// (−1.2, 1, −1.2, 1, …) and, in 2-D, also (−2, 2) (the visualisers' start).
    public var startPoints: [[Double]] {
        let alternating = (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        return dimension == 2 ? [alternating, [-2, 2]] : [alternating]
    }

    public var termCount: Int { dimension - 1 }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double {
        let a = x[t + 1] - x[t] * x[t], b = 1 - x[t]
        return 100 * a * a + b * b
    }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let a = x[t + 1] - x[t] * x[t], b = 1 - x[t]
        g[t] += scale * (-400 * x[t] * a - 2 * b)
        g[t + 1] += scale * (200 * a)
        return 100 * a * a + b * b
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        h[t * d + t] += scale * (1200 * x[t] * x[t] - 400 * x[t + 1] + 2)
        h.addSymmetric(t, t + 1, scale * (-400 * x[t]), dimension: d)
        h[(t + 1) * d + t + 1] += scale * 200
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        h[t] += scale * (1200 * x[t] * x[t] - 400 * x[t + 1] + 2)
        h[t + 1] += scale * 200
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
