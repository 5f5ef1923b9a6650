import Foundation

/// f(x) = Σᵢ |xᵢ|^{i+1} (i = 1 … d: exponents 2, 3, …, d + 1).
///
/// Curvature vanishes unevenly at the minimum: ∇²f(0) = diag(2, 0, …, 0). Smoothness: every
/// term is C² (|v|^p with p ≥ 2), so the gradient p|v|^{p−1} sign(v) and the Hessian
/// p(p−1)|v|^{p−2} are the classical derivatives everywhere, including at 0 (where the term
/// with p = 2 has curvature 2 and the others 0). Only the third derivative of the p = 3
/// term jumps at 0 (6|v|), so finite-difference Hessian checks must stay ≥ 2h away from 0.
public struct SumOfDifferentPowers: SeparableFunction {
    public static let descriptor = FunctionDescriptor(
        id: "sum-of-different-powers", displayName: "Sum of different powers",
        formula: "f(x) = Σᵢ |xᵢ|^(i+1)",
        purpose: "curvature vanishes unevenly",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "0 at x = 0",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d coordinate terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["C² everywhere: the Hessian at 0 is the classical one, diag(2, 0, …, 0); the third derivative of |x₂|³ jumps at 0."],
        source: "Surjanovic & Bingham (virtual library of simulation experiments)")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-1...1, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [Array(repeating: 0.8, count: dimension)] }

    public func component(_ index: Int, _ v: Double) -> (value: Double, slope: Double, curvature: Double) {
        let p = Double(index + 2), a = abs(v)
        let sign: Double = v < 0 ? -1 : (v > 0 ? 1 : 0)
        if index == 0 { return (v * v, 2 * v, 2) }
        let ap2 = pow(a, p - 2)  // |v|^{p−2}, p ≥ 3
        return (ap2 * a * a, p * ap2 * a * sign, p * (p - 1) * ap2)
    }
}
