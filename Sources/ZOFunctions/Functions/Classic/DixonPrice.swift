import Foundation

/// The Dixon–Price function f(x) = (x₁ − 1)² + Σ_{i=2}^{d} i(2xᵢ² − x_{i−1})².
///
/// A non-convex valley. Minimum 0 at xᵢ = 2^{−(2^i − 2)/2^i} (computed as 2^{2^{1−i} − 1},
/// which stays accurate for large i). Since xᵢ² = x_{i−1}/2 needs x_{i−1} ≥ 0, only the last
/// coordinate may flip sign: for d ≥ 2 there are exactly two global minimisers, both listed.
/// A sum of d terms (term 1 is (x₁ − 1)²).
public struct DixonPrice: SumOfTerms {
    public static let descriptor = FunctionDescriptor(
        id: "dixon-price", displayName: "Dixon–Price",
        formula: "f(x) = (x₁ − 1)² + Σ_{i≥2} i(2xᵢ² − x_{i−1})²",
        purpose: "non-convex valley",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "0 at xᵢ = 2^(−(2^i − 2)/2^i)",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["For d ≥ 2 the minimiser's last coordinate may take either sign: two global minimisers."],
        source: "Dixon & Price 1989")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    /// xᵢ = 2^{−(2^i − 2)/2^i}, i = 1 … d.
    public static func minimiser(dimension: Int) -> [Double] {
        (1...dimension).map { i in pow(2, pow(2, Double(1 - i)) - 1) }
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-10...10, dimension: dimension) }
    public var minimum: GlobalMinimum {
        let x = Self.minimiser(dimension: dimension)
        guard dimension >= 2 else { return .attained(value: 0, points: [x], note: nil) }
        var flipped = x
        flipped[dimension - 1].negate()
        return .attained(value: 0, points: [x, flipped], note: "the last coordinate may take either sign")
    }
    public var startPoints: [[Double]] { [Array(repeating: 2, count: dimension)] }

    public var termCount: Int { dimension }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double {
        if t == 0 { return (x[0] - 1) * (x[0] - 1) }
        let w = 2 * x[t] * x[t] - x[t - 1]
        return Double(t + 1) * w * w
    }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        if t == 0 {
            g[0] += scale * 2 * (x[0] - 1)
            return (x[0] - 1) * (x[0] - 1)
        }
        let c = Double(t + 1), w = 2 * x[t] * x[t] - x[t - 1]
        g[t] += scale * 8 * c * x[t] * w
        g[t - 1] -= scale * 2 * c * w
        return c * w * w
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        if t == 0 {
            h[0] += scale * 2
            return
        }
        let c = Double(t + 1)
        h[t * d + t] += scale * 8 * c * (6 * x[t] * x[t] - x[t - 1])
        h.addSymmetric(t, t - 1, scale * (-8 * c * x[t]), dimension: d)
        h[(t - 1) * d + t - 1] += scale * 2 * c
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        if t == 0 {
            h[0] += scale * 2
            return
        }
        let c = Double(t + 1)
        h[t] += scale * 8 * c * (6 * x[t] * x[t] - x[t - 1])
        h[t - 1] += scale * 2 * c
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
