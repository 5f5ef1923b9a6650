import Foundation

/// f(x) = ½ Σᵢ λᵢ xᵢ², λᵢ = κ^{(i−1)/(d−1)} (i = 1…d; λ₁ = 1 when d = 1).
///
/// The eigenvalues are log-spaced from 1 to κ, so κ is exactly the condition number; the
/// Hessian diag(λ) is constant. The workhorse of the convergence-rate checks (CHECKS.md 8:
/// HiZOO versus MeZO for κ = 10 … 10⁴). A sum of d terms fᵢ = ½ λᵢ xᵢ².
public struct DiagonalQuadratic: SumOfTerms {
    public static let descriptor = FunctionDescriptor(
        id: "diagonal-quadratic", displayName: "Diagonal quadratic",
        formula: "f(x) = ½ Σᵢ λᵢ xᵢ²,  λᵢ = κ^((i−1)/(d−1))",
        purpose: "condition number κ set exactly; diagonal Hessian known (HiZOO vs MeZO rates)",
        dimensions: .atLeast(1), defaultDimension: 10, minimumSummary: "0 at x = 0",
        parameters: [ParameterSpec(.conditionNumber, default: "100", "λ_max / λ_min (≥ 1)"),
                     ParameterSpec(.batchSize, default: "none", "sample this many of the d terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["Eigenvalues log-spaced from 1 to κ; for d = 1, λ₁ = 1 (κ is then unused)."],
        source: "standard")

    public let dimension: Int
    /// κ = λ_max / λ_min.
    public let conditionNumber: Double
    /// λᵢ, the Hessian's diagonal.
    public let eigenvalues: [Double]

    /// - Throws: ``FunctionError`` for d < 1 or κ < 1 / non-finite.
    public init(dimension: Int, conditionNumber: Double = 100) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        try ParameterCheck.finite(conditionNumber, atLeast: 1, .conditionNumber, function: Self.descriptor.id)
        self.dimension = dimension
        self.conditionNumber = conditionNumber
        self.eigenvalues = Self.logSpaced(conditionNumber, count: dimension)
    }

    /// κ^{i/(n−1)} for i = 0 ..< n (exactly 1 and κ at the ends; [1] for n = 1).
    static func logSpaced(_ kappa: Double, count n: Int) -> [Double] {
        n == 1 ? [1] : (0..<n).map { i in i == n - 1 ? kappa : pow(kappa, Double(i) / Double(n - 1)) }
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    public var viewDomain: FunctionDomain { .cube(-1.5...1.5, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [Array(repeating: 1, count: dimension)] }

    public var termCount: Int { dimension }

    public func termValue(_ t: Int, at x: UnsafeBufferPointer<Double>) -> Double {
        0.5 * eigenvalues[t] * x[t] * x[t]
    }

    public func addTermGradient(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                into g: UnsafeMutableBufferPointer<Double>) -> Double {
        g[t] += scale * eigenvalues[t] * x[t]
        return termValue(t, at: x)
    }

    public func addTermHessian(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                               into h: UnsafeMutableBufferPointer<Double>) {
        h[t * dimension + t] += scale * eigenvalues[t]
    }

    public func addTermHessianDiagonal(_ t: Int, at x: UnsafeBufferPointer<Double>, scale: Double,
                                       into h: UnsafeMutableBufferPointer<Double>) {
        h[t] += scale * eigenvalues[t]
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension { sum += eigenvalues[i] * x[i] * x[i] }
        return 0.5 * sum
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            g[i] = eigenvalues[i] * x[i]
            sum += g[i] * x[i]
        }
        return 0.5 * sum
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h.update(repeating: 0)
        for i in 0..<dimension { h[i * dimension + i] = eigenvalues[i] }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = eigenvalues[i] }
    }
}
