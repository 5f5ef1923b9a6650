/// The Trid function f(x) = Σᵢ (xᵢ − 1)² − Σ_{i≥2} xᵢ x_{i−1}.
///
/// A convex quadratic with the tridiagonal Hessian tridiag(−1, 2, −1). Minimum
/// −d(d + 4)(d − 1)/6 at xᵢ = i(d + 1 − i); the domain [−d², d²]ᵈ grows with d.
public struct Trid: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "trid", displayName: "Trid",
        formula: "f(x) = Σᵢ (xᵢ − 1)² − Σ_{i≥2} xᵢ x_{i−1}",
        purpose: "tridiagonal Hessian",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "−d(d+4)(d−1)/6 at xᵢ = i(d+1−i)",
        source: "Trid (Surjanovic & Bingham's library)")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain {
        let d2 = Double(dimension * dimension)
        return .cube(-d2...d2, dimension: dimension)
    }
    public var minimum: GlobalMinimum {
        let d = Double(dimension)
        return .attained(value: -d * (d + 4) * (d - 1) / 6,
                         points: [(1...dimension).map { Double($0 * (dimension + 1 - $0)) }], note: nil)
    }
    public var startPoints: [[Double]] { [Array(repeating: 0, count: dimension)] }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            sum += (x[i] - 1) * (x[i] - 1)
            if i > 0 { sum -= x[i] * x[i - 1] }
        }
        return sum
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        for i in 0..<dimension {
            var gi = 2 * (x[i] - 1)
            if i > 0 { gi -= x[i - 1] }
            if i < dimension - 1 { gi -= x[i + 1] }
            g[i] = gi
        }
        return value(at: x)
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h.update(repeating: 0)
        let n = dimension
        for i in 0..<n {
            h[i * n + i] = 2
            if i > 0 { h.addSymmetric(i, i - 1, -1, dimension: n) }
        }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dimension { h[i] = 2 }
    }
}
