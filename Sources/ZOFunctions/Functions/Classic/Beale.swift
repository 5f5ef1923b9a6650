/// Beale's function f(x, y) = Σ_{k=1}^{3} (c_k − x + x y^k)², c = (1.5, 2.25, 2.625).
///
/// Plateaus beside steep walls (values span 0 … 10⁵ on [−4.5, 4.5]²: use log-spaced
/// contours). Minimum 0 at (3, ½); saddles at (0, 1) (f = 14.203125; the whole line x = 0 is
/// the level set f = 14.203125) and at (0.10054, −2.64451).
public struct Beale: TestFunction {
    static let c = [1.5, 2.25, 2.625]

    public static let descriptor = FunctionDescriptor(
        id: "beale", displayName: "Beale",
        formula: "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        purpose: "plateaus beside walls: log contours",
        dimensions: .fixed(2), defaultDimension: 2, minimumSummary: "0 at (3, 0.5)",
        notes: ["Values span 0 … 10⁵ on the domain: plot log-spaced contour levels."],
        source: "Beale 1958; Moré, Garbow & Hillstrom 1981 (problem 5)")

    public let dimension = 2

    public init(dimension: Int = 2) throws {
        try ParameterCheck.dimension(dimension, Self.descriptor.dimensions, function: Self.descriptor.id)
    }

    public var descriptor: FunctionDescriptor { Self.descriptor }
    public var domain: FunctionDomain { .cube(-4.5...4.5, dimension: 2) }
    public var minimum: GlobalMinimum { .attained(value: 0, points: [[3, 0.5]], note: nil) }
    public var criticalPoints: [CriticalPoint] {
        [CriticalPoint(.saddle, [0, 1], value: 14.203125),
         CriticalPoint(.saddle, [0.10053793732415836, -2.644513585023125], value: 9.8645122847555602)]
    }
    /// (3, 4) (catalog start) and (1, 1) (Moré, Garbow & Hillstrom).
    public var startPoints: [[Double]] { [[3, 4], [1, 1]] }

    public func value(at p: UnsafeBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        var sum = 0.0, yk = 1.0
        for k in 0..<3 {
            yk *= y
            let r = Self.c[k] - x + x * yk
            sum += r * r
        }
        return sum
    }

    public func valueAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let x = p[0], y = p[1]
        var sum = 0.0, gx = 0.0, gy = 0.0, ykm1 = 1.0  // y^{k−1}
        for k in 1...3 {
            let yk = ykm1 * y
            let r = Self.c[k - 1] - x + x * yk
            sum += r * r
            gx += 2 * r * (yk - 1)
            gy += 2 * r * Double(k) * x * ykm1
            ykm1 = yk
        }
        g[0] = gx
        g[1] = gy
        return sum
    }

    /// Second partials of r_k = c_k + x(y^k − 1): r_xy = k y^{k−1}, r_yy = k(k−1) x y^{k−2}
    /// (written without negative powers, so y = 0 is safe).
    func secondDerivatives(_ x: Double, _ y: Double) -> (xx: Double, xy: Double, yy: Double) {
        var hxx = 0.0, hxy = 0.0, hyy = 0.0
        var ykm2 = 0.0, ykm1 = 1.0  // y^{k−2} (unused for k = 1), y^{k−1}
        for k in 1...3 {
            let kd = Double(k), yk = ykm1 * y
            let r = Self.c[k - 1] - x + x * yk
            let rx = yk - 1, ry = kd * x * ykm1
            let rxy = kd * ykm1, ryy = k >= 2 ? kd * (kd - 1) * x * ykm2 : 0
            hxx += 2 * rx * rx
            hxy += 2 * (rx * ry + r * rxy)
            hyy += 2 * (ry * ry + r * ryy)
            ykm2 = ykm1
            ykm1 = yk
        }
        return (hxx, hxy, hyy)
    }

    public func hessian(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let s = secondDerivatives(p[0], p[1])
        h[0] = s.xx; h[1] = s.xy; h[2] = s.xy; h[3] = s.yy
    }

    public func hessianDiagonal(at p: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let s = secondDerivatives(p[0], p[1])
        h[0] = s.xx; h[1] = s.yy
    }
}
