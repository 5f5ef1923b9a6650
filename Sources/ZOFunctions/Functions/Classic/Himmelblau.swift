/// Himmelblau's function f(x, y) = (x² + y − 11)² + (x + y² − 7)².
///
/// Four global minima (value 0), one local maximum at (−0.270845, −0.923039)
/// (f ≈ 181.617) and four saddles: which minimum an optimizer reaches depends on the start.
/// Minimisers and critical points to 17 digits (Newton in 30-digit arithmetic).
public struct Himmelblau: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "himmelblau", displayName: "Himmelblau",
        formula: "f(x, y) = (x² + y − 11)² + (x + y² − 7)²",
        purpose: "four minima, saddles, a local maximum",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "0 at 4 points",
        source: "Himmelblau 1972")

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-5...5, dimension: 2) }
    public var minimum: GlobalMinimum {
        .attained(value: 0, points: [
            [3, 2],
            [-2.8051180869527449, 3.1313125182505730],
            [-3.7793102533777469, -3.2831859912861694],
            [3.5844283403304917, -1.8481265269644036],
        ], note: nil)
    }
    public var criticalPoints: [CriticalPoint] {
        [CriticalPoint(.localMaximum, [-0.27084459066734761, -0.92303855647998146], value: 181.61652152258270),
         CriticalPoint(.saddle, [0.086677504555396352, 2.8842547011747761], value: 67.719150087526140),
         CriticalPoint(.saddle, [-3.0730257507643896, -0.081353044287967512], value: 104.01516291755811),
         CriticalPoint(.saddle, [3.3851541836070209, 0.073851879837749288], value: 13.311926270405590),
         CriticalPoint(.saddle, [-0.12796134673068007, -1.9537149802445764], value: 178.33723920192746)]
    }
    /// (2, 2) → (3, 2) by gradient descent; (0, 0) beside the local maximum; two others
    /// that reach different minima.
    public var startPoints: [[Double]] { [[2, 2], [0, 0], [-3, -3], [-3, 3]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        let a = x * x + y - 11, b = x + y * y - 7
        return a * a + b * b
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        let a = x * x + y - 11, b = x + y * y - 7
        g[0] = 4 * x * a + 2 * b
        g[1] = 2 * a + 4 * y * b
        return a * a + b * b
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x = p[0], y = p[1]
        h[0] = 12 * x * x + 4 * y - 42
        h[1] = 4 * (x + y)
        h[2] = h[1]
        h[3] = 4 * x + 12 * y * y - 26
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x = p[0], y = p[1]
        h[0] = 12 * x * x + 4 * y - 42
        h[1] = 4 * x + 12 * y * y - 26
    }
}
