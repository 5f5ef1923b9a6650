/// Powell's singular function (Moré, Garbow & Hillstrom 1981, problem 13; extended to
/// d = 4k by repeating it on consecutive groups of four):
/// f = Σ_groups (a + 10b)² + 5(c − e)² + (b − 2c)⁴ + 10(a − e)⁴.
///
/// The Hessian at the minimiser 0 is singular (rank 2 per group: the quartic directions have
/// zero curvature there), so Newton-type and Hessian-preconditioned methods lose their
/// quadratic model near the solution.
public struct PowellSingular: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "powell-singular", displayName: "Powell singular",
        formula: "f(x) = (x₁ + 10x₂)² + 5(x₃ − x₄)² + (x₂ − 2x₃)⁴ + 10(x₁ − x₄)⁴  (per group of 4)",
        purpose: "singular Hessian at the minimum",
        dimensions: .multiple(of: 4), defaultDimension: 4, minimumSummary: "0 at x = 0",
        notes: ["For d = 4k the formula applies to each consecutive group of four coordinates.",
                "Hessian at 0 has rank d/2: diag blocks [[2, 20], [20, 200]] and [[10, −10], [−10, 10]]."],
        source: "Powell 1962; Moré, Garbow & Hillstrom 1981 (problem 13)")

    public let dimension: Int

    public init(dimension: Int = 4) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
        self.dimension = dimension
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: dimension) }
    public var viewDomain: FunctionDomain { .cube(-4...4, dimension: dimension) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [Array(repeating: 0, count: dimension)], note: nil)
    }
    public var startPoints: [[Double]] { [(0..<dimension).map { [3.0, -1, 0, 1][$0 % 4] }] }

    public func value(at x: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for k in stride(from: 0, to: dimension, by: 4) {
            let a = x[k], b = x[k + 1], c = x[k + 2], e = x[k + 3]
            let p = a + 10 * b, q = c - e, u = b - 2 * c, v = a - e
            sum += p * p + 5 * q * q + u * u * u * u + 10 * v * v * v * v
        }
        return sum
    }

    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for k in stride(from: 0, to: dimension, by: 4) {
            let a = x[k], b = x[k + 1], c = x[k + 2], e = x[k + 3]
            let p = a + 10 * b, q = c - e, u = b - 2 * c, v = a - e
            sum += p * p + 5 * q * q + u * u * u * u + 10 * v * v * v * v
            g[k] = 2 * p + 40 * v * v * v
            g[k + 1] = 20 * p + 4 * u * u * u
            g[k + 2] = 10 * q - 8 * u * u * u
            g[k + 3] = -10 * q - 40 * v * v * v
        }
        return sum
    }

    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h.update(repeating: 0)
        let d = dimension
        for k in stride(from: 0, to: d, by: 4) {
            let u = x[k + 1] - 2 * x[k + 2], v = x[k] - x[k + 3]
            let a = k, b = k + 1, c = k + 2, e = k + 3
            h[a * d + a] = 2 + 120 * v * v
            h.addSymmetric(a, b, 20, dimension: d)
            h.addSymmetric(a, e, -120 * v * v, dimension: d)
            h[b * d + b] = 200 + 12 * u * u
            h.addSymmetric(b, c, -24 * u * u, dimension: d)
            h[c * d + c] = 10 + 48 * u * u
            h.addSymmetric(c, e, -10, dimension: d)
            h[e * d + e] = 10 + 120 * v * v
        }
    }

    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        for k in stride(from: 0, to: dimension, by: 4) {
            let u = x[k + 1] - 2 * x[k + 2], v = x[k] - x[k + 3]
            h[k] = 2 + 120 * v * v
            h[k + 1] = 200 + 12 * u * u
            h[k + 2] = 10 + 48 * u * u
            h[k + 3] = 10 + 120 * v * v
        }
    }
}
