/// The six-hump camel function f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y².
///
/// Six minima: two global (±(0.0898420, −0.7126564), f = −1.0316284534898774) and four
/// local; seven saddles (one at the origin) and two local maxima — all listed in
/// ``criticalPoints`` (found by Newton from a grid in 30-digit arithmetic).
public struct SixHumpCamel: TestFunction {
    public static let descriptor = FunctionDescriptor(
        id: "six-hump-camel", displayName: "Six-hump camel",
        formula: "f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
        purpose: "saddles and local minima",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "−1.0316285 at ±(0.0898, −0.7127)",
        source: "Dixon & Szegő 1978")

    public static let minimumValue = -1.0316284534898774

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .rectangle(x: -3...3, y: -2...2) }
    public var viewDomain: FunctionDomain { .rectangle(x: -2...2, y: -1...1) }
    public var minimum: GlobalMinimum {
        .attained(value: Self.minimumValue, points: [
            [0.089842013100318062, -0.71265640302073963],
            [-0.089842013100318062, 0.71265640302073963],
        ], note: nil)
    }
    public var criticalPoints: [CriticalPoint] {
        [CriticalPoint(.localMinimum, [-1.7036067149699808, 0.79608356867262512], value: -0.21546382438371764),
         CriticalPoint(.localMinimum, [1.7036067149699808, -0.79608356867262512], value: -0.21546382438371764),
         CriticalPoint(.localMinimum, [-1.6071047529201972, -0.56865145488413137], value: 2.1042503103112583),
         CriticalPoint(.localMinimum, [1.6071047529201972, 0.56865145488413137], value: 2.1042503103112583),
         CriticalPoint(.saddle, [0, 0], value: 0),
         CriticalPoint(.saddle, [1.1092053368047864, -0.76826809250953984], value: 0.54371860097818514),
         CriticalPoint(.saddle, [-1.1092053368047864, 0.76826809250953984], value: 0.54371860097818514),
         CriticalPoint(.saddle, [-1.6380679841897786, -0.22867406904439407], value: 2.2293571975307147),
         CriticalPoint(.saddle, [1.6380679841897786, 0.22867406904439407], value: 2.2293571975307147),
         CriticalPoint(.saddle, [1.2960702671671092, 0.6050843880386585], value: 2.2294708180298599),
         CriticalPoint(.saddle, [-1.2960702671671092, -0.6050843880386585], value: 2.2294708180298599),
         CriticalPoint(.localMaximum, [-1.2302298765166526, -0.16233458445899497], value: 2.4962953510235769),
         CriticalPoint(.localMaximum, [1.2302298765166526, 0.16233458445899497], value: 2.4962953510235769)]
    }
    public var startPoints: [[Double]] { [[-1.5, -1], [1.5, 1]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1], x2 = x * x, y2 = y * y
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1], x2 = x * x, y2 = y * y
        g[0] = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y
        g[1] = x - 8 * y + 16 * y2 * y
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x2 = p[0] * p[0]
        h[0] = 8 - 25.2 * x2 + 10 * x2 * x2
        h[1] = 1
        h[2] = 1
        h[3] = -8 + 48 * p[1] * p[1]
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let x2 = p[0] * p[0]
        h[0] = 8 - 25.2 * x2 + 10 * x2 * x2
        h[1] = -8 + 48 * p[1] * p[1]
    }
}
