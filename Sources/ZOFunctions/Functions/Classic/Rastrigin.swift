import Foundation

/// Rastrigin's function f(x) = 10d + Σᵢ (xᵢ² − 10 cos 2πxᵢ), computed as
/// Σᵢ xᵢ² + 10(1 − cos 2πxᵢ) so that f(0) = 0 exactly.
///
/// A regular lattice of local minima near the integers; the global minimum 0 at x = 0.
public struct Rastrigin: SeparableFunction {
    public static let descriptor = FunctionDescriptor(
        id: "rastrigin", displayName: "Rastrigin",
        formula: "f(x) = 10d + Σᵢ (xᵢ² − 10 cos 2πxᵢ)",
        purpose: "many local minima",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "0 at x = 0",
        parameters: [ParameterSpec(.batchSize, default: "none", "sample this many of the d coordinate terms per batch"),
                     ParameterSpec(.seed, default: "0", "seed of the minibatches (with batch-size)")],
        notes: ["2-D view box [−4.5, 4.5]², start (−2, 3.5) (pytorch-optimizer's visualiser)."],
        source: "Rastrigin 1974")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-5.12...5.12, dimension: dimension) }
    public var viewDomain: FunctionDomain { dimension == 2 ? .cube(-4.5...4.5, dimension: 2) : domain }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    /// (−2, 3.5, −2, 3.5, …).
    public var startPoints: [[Double]] { [(0..<dimension).map { $0 % 2 == 0 ? -2 : 3.5 }] }

    public func component(_ index: Int, _ v: Double) -> (value: Double, slope: Double, curvature: Double) {
        let w = 2 * Double.pi * v
        return (v * v + 10 * (1 - cos(w)), 2 * v + 20 * Double.pi * sin(w), 2 + 40 * Double.pi * Double.pi * cos(w))
    }
}
