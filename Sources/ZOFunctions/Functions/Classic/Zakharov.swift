/// Zakharov's function f(x) = Σxᵢ² + S² + S⁴, S = Σᵢ 0.5·i·xᵢ.
///
/// The Hessian 2I + (2 + 12S²)·wwᵀ, w = (0.5·i)ᵢ, is dominated by one rank-one direction
/// whose curvature grows with S² — a single stiff direction that is not a coordinate axis.
public struct Zakharov: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "zakharov", displayName: "Zakharov",
        formula: "f(x) = Σxᵢ² + (Σ 0.5·i·xᵢ)² + (Σ 0.5·i·xᵢ)⁴",
        purpose: "dominant rank-one curvature",
        dimensions: .atLeast(1), defaultDimension: 2, minimumSummary: "0 at x = 0",
        source: "Zakharov (Surjanovic & Bingham's library)")

    public let dimension: Int

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-5...10, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [Array(repeating: 1, count: dimension)] }

    /// Σxᵢ² and S.
    private func sums(_ x: UnsafeBufferPointer<Double>) -> (squares: Double, s: Double) {
        var squares = 0.0, s = 0.0
        for i in 0..<dimension {
            squares += x[i] * x[i]
            s += 0.5 * Double(i + 1) * x[i]
        }
        return (squares, s)
    }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        let (q, s) = sums(x)
        let s2 = s * s
        return q + s2 + s2 * s2
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let (q, s) = sums(x)
        let s2 = s * s, slope = 2 * s + 4 * s2 * s
        for i in 0..<dimension { g[i] = 2 * x[i] + slope * 0.5 * Double(i + 1) }
        return q + s2 + s2 * s2
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let s = sums(x).s, c = 2 + 12 * s * s, n = dimension
        for i in 0..<n {
            for j in 0..<n { h[i * n + j] = c * 0.25 * Double((i + 1) * (j + 1)) + (i == j ? 2 : 0) }
        }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let s = sums(x).s, c = 2 + 12 * s * s
        for i in 0..<dimension { h[i] = 2 + c * 0.25 * Double((i + 1) * (i + 1)) }
    }
}
