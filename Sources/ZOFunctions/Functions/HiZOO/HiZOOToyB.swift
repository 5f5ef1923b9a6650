/// HiZOO Figure 3 (b) — a ZOLab RECONSTRUCTION (the seed text lost the formula, and it is
/// not in the public HiZOO code). Defined to match the paper's description, "moderate"
/// heterogeneous curvature with a non-quadratic term:
/// f(x, y) = 15(x − 1)² + ½(y + 1)² + ¼(x − 1)²(y + 1)².
///
/// With u = x − 1, v = y + 1: ∇f = (u(30 + ½v²), v(1 + ½u²)), so (1, −1) is the only
/// critical point and, as every term is ≥ 0, the global minimum (value 0).
/// ∇²f(1, −1) = diag(30, 1): curvature ratio 30 (the spec asks for ≈ 10–50; tested).
/// The coupling term makes the curvatures move along the path: at the start (−0.5, 3) they
/// are 38 and 2.125 (ratio ≈ 18), with an off-diagonal entry uv = −6.
public struct HiZOOToyB: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "hizoo-b", displayName: "HiZOO toy (b) — reconstruction",
        formula: "f(x, y) = 15(x − 1)² + ½(y + 1)² + ¼(x − 1)²(y + 1)²",
        purpose: "HiZOO Fig. 3(b) reconstructed: moderate heterogeneity (ratio 30) with a non-quadratic coupling",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "0 at (1, −1)",
        notes: ["RECONSTRUCTION: HiZOO's formula was lost; ZOLab defined this one to match \"moderate heterogeneous curvature\".",
                "Curvature ratio at the minimum 30 (∇² = diag(30, 1)); ≈ 18 at the start (−0.5, 3)."],
        source: "ZOLab reconstruction of HiZOO (seed 004) Fig. 3(b)", isReconstruction: true)

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: 2) }
    public var viewDomain: FunctionDomain { .rectangle(x: -1.5...3, y: -3...5) }
    public var minimum: GlobalMinimum { .attained(value: 0, points: [[1, -1]], note: nil) }
    public var startPoints: [[Double]] { [[-0.5, 3]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let u = p[0] - 1, v = p[1] + 1
        return 15 * u * u + 0.5 * v * v + 0.25 * u * u * v * v
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let u = p[0] - 1, v = p[1] + 1
        g[0] = u * (30 + 0.5 * v * v)
        g[1] = v * (1 + 0.5 * u * u)
        return 15 * u * u + 0.5 * v * v + 0.25 * u * u * v * v
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let u = p[0] - 1, v = p[1] + 1
        h[0] = 30 + 0.5 * v * v
        h[1] = u * v
        h[2] = u * v
        h[3] = 1 + 0.5 * u * u
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let u = p[0] - 1, v = p[1] + 1
        h[0] = 30 + 0.5 * v * v
        h[1] = 1 + 0.5 * u * u
    }
}
