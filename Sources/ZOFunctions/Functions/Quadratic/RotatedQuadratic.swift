/// f(x) = ½ (x − c)ᵀ Qᵀ D Q (x − c), D = diag(λ), λᵢ = κ^{(i−1)/(d−1)}, c = (1, …, 1),
/// Q a seeded Haar-random orthogonal matrix.
///
/// Same spectrum as ``DiagonalQuadratic`` but with off-diagonal Hessian entries, so
/// per-coordinate (diagonal) preconditioning no longer captures the curvature. H = QᵀDQ is
/// formed once (O(d³)) and stored (d² doubles; d ≤ 1024); each evaluation costs O(d²).
/// Q is orthogonal to ≈ 1e-13 (tested); H is symmetrised exactly.
public struct RotatedQuadratic: TestFunction {
    public static let maximumDimension = 1024

    public static let descriptor = FunctionDescriptor(
        id: "rotated-quadratic", displayName: "Rotated quadratic",
        formula: "f(x) = ½ (x − c)ᵀ Qᵀ D Q (x − c),  D = diag(κ^((i−1)/(d−1))),  c = (1, …, 1),  Q seeded orthogonal",
        purpose: "off-diagonal curvature: breaks per-coordinate preconditioning",
        dimensions: .between(1...maximumDimension), defaultDimension: 10, minimumSummary: "0 at x = c = (1, …, 1)",
        parameters: [ParameterSpec(.conditionNumber, default: "100", "λ_max / λ_min (≥ 1)"),
                     ParameterSpec(.seed, default: "0", "seed of the rotation Q")],
        notes: ["Q is Haar-distributed: modified Gram–Schmidt (twice) on a Philox Gaussian matrix.",
                "Stores the d×d Hessian, hence d ≤ \(maximumDimension)."],
        source: "standard")

    public let dimension: Int
    public let conditionNumber: Double
    public let seed: UInt64
    /// λ, the eigenvalues of the Hessian (ascending).
    public let eigenvalues: [Double]
    /// Q, row-major d×d (H = Qᵀ diag(λ) Q: row k of Q is the eigenvector of λₖ).
    public let rotation: [Double]
    /// H = Qᵀ diag(λ) Q, row-major d×d, exactly symmetric.
    public let hessianMatrix: [Double]

    public init(dimension: Int, conditionNumber: Double = 100, seed: UInt64 = 0) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        try ParameterCheck.finite(conditionNumber, atLeast: 1, .conditionNumber, function: Self.descriptor.id)
        self.dimension = dimension
        self.conditionNumber = conditionNumber
        self.seed = seed
        let lambda = DiagonalQuadratic.logSpaced(conditionNumber, count: dimension)
        let q = DenseMatrix.randomOrthogonal(dimension, key: SeededDraws.key(seed: seed, purpose: .rotation))
        var h = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in i..<dimension {
                var s = 0.0
                for k in 0..<dimension { s += q[k * dimension + i] * lambda[k] * q[k * dimension + j] }
                h[i * dimension + j] = s
                h[j * dimension + i] = s
            }
        }
        self.eigenvalues = lambda
        self.rotation = q
        self.hessianMatrix = h
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var center: [Double] { Array(repeating: 1, count: dimension) }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    public var viewDomain: FunctionDomain { .cube(-0.5...2.5, dimension: dimension) }
    public var minimum: GlobalMinimum { .attained(value: 0, points: [center], note: nil) }
    public var startPoints: [[Double]] { [Array(repeating: 0, count: dimension)] }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        return hessianMatrix.withUnsafeBufferPointer { h in
            var sum = 0.0
            for i in 0..<d {
                var row = 0.0
                for j in 0..<d { row += h[i * d + j] * (x[j] - 1) }
                sum += (x[i] - 1) * row
            }
            return 0.5 * sum
        }
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = dimension
        return hessianMatrix.withUnsafeBufferPointer { h in
            var sum = 0.0
            for i in 0..<d {
                var row = 0.0
                for j in 0..<d { row += h[i * d + j] * (x[j] - 1) }
                g[i] = row
                sum += (x[i] - 1) * row
            }
            return 0.5 * sum
        }
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        _ = h.update(fromContentsOf: hessianMatrix)
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = hessianMatrix[i * dimension + i] }
    }
}
