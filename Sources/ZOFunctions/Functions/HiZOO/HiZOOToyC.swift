/// HiZOO Figure 3 (c) — a ZOLab RECONSTRUCTION (formula lost from the seed text, not in the
/// public code). The paper: "the curvature of x is extremely bigger than y"; MeZO "is very
/// hard to converge". Defined as the separable quadratic
/// f(x, y) = 500(x − 1)² + ¼(y + 1)²,
/// with ∇² = diag(1000, ½) everywhere: curvature ratio 2000 (spec: ≥ 1000; tested).
/// A step size stable in x (η < 2/1000) moves y by a factor (1 − η/2) ≥ 0.999 per step,
/// which is the failure mode the figure shows for MeZO; a diagonal-Hessian preconditioner
/// removes it exactly.
public struct HiZOOToyC: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "hizoo-c", displayName: "HiZOO toy (c) — reconstruction",
        formula: "f(x, y) = 500(x − 1)² + ¼(y + 1)²",
        purpose: "HiZOO Fig. 3(c) reconstructed: extreme heterogeneity (curvature ratio 2000)",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "0 at (1, −1)",
        notes: ["RECONSTRUCTION: HiZOO's formula was lost; ZOLab defined this one to match \"curvature of x extremely bigger than y\".",
                "∇² = diag(1000, 0.5) everywhere: ratio 2000."],
        source: "ZOLab reconstruction of HiZOO (seed 004) Fig. 3(c)", isReconstruction: true)

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .unbounded(dimension: 2) }
    public var viewDomain: FunctionDomain { .rectangle(x: 0...2, y: -3...5) }
    public var minimum: GlobalMinimum { .attained(value: 0, points: [[1, -1]], note: nil) }
    public var startPoints: [[Double]] { [[0.2, 4]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let u = p[0] - 1, v = p[1] + 1
        return 500 * u * u + 0.25 * v * v
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let u = p[0] - 1, v = p[1] + 1
        g[0] = 1000 * u
        g[1] = 0.5 * v
        return 500 * u * u + 0.25 * v * v
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h[0] = 1000; h[1] = 0; h[2] = 0; h[3] = 0.5
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        h[0] = 1000; h[1] = 0.5
    }
}
