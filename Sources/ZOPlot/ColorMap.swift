/// A continuous colour map t ∈ [0, 1] → colour (t outside is clamped; NaN maps to 0).
///
/// ``viridis`` is evaluated from a degree-6 polynomial fit per channel (coefficients
/// published with the "viridis polynomial approximation", fitted to matplotlib's 256-entry
/// table; max channel error ≈ 0.013 at the endpoints, tested against the published control
/// colours #440154, #3B528B, #21908C, #5DC863, #FDE725). ``init(controlPoints:)`` gives a
/// piecewise-linear map through given stops (in sRGB).
public struct ColorMap: Sendable {
    public let name: String
    private let evaluate: @Sendable (Double) -> PlotColor

    public init(name: String, _ evaluate: @escaping @Sendable (Double) -> PlotColor) {
        self.name = name
        self.evaluate = evaluate
    }

    /// Piecewise-linear interpolation through evenly spaced stops (at least two).
    public init(name: String, controlPoints: [PlotColor]) {
        precondition(controlPoints.count >= 2, "a colour map needs at least two control points")
        let stops = controlPoints
        self.init(name: name) { t in
            let s = t * Double(stops.count - 1)
            let i = min(stops.count - 2, max(0, Int(s.rounded(.down))))
            return stops[i].mixed(with: stops[i + 1], s - Double(i))
        }
    }

    /// The colour at `t`, clamped to [0, 1].
    public func color(at t: Double) -> PlotColor {
        evaluate(t.isNaN ? 0 : min(1, max(0, t)))
    }

    /// Perceptually uniform dark-purple → blue → green → yellow map (polynomial fit).
    public static let viridis = ColorMap(name: "viridis") { t in
        // Horner evaluation of c0 + c1 t + … + c6 t⁶ per channel.
        func poly(_ c: [Double]) -> Double { c.reversed().reduce(0) { $0 * t + $1 } }
        return PlotColor(red: poly(ViridisFit.red), green: poly(ViridisFit.green), blue: poly(ViridisFit.blue))
    }

    /// Light grey → black, for print.
    public static let grays = ColorMap(name: "grays", controlPoints: [PlotColor(hex: 0xF0F0F0), PlotColor(hex: 0x101010)])

    /// The five published viridis control colours at t = 0, ¼, ½, ¾, 1 (R's `viridis(5)`).
    public static let viridisControlPoints: [PlotColor] = [0x440154, 0x3B528B, 0x21908C, 0x5DC863, 0xFDE725]
        .map { PlotColor(hex: $0) }
}

/// Coefficients c0…c6 of the per-channel polynomial fit of viridis.
enum ViridisFit {
    static let red: [Double] = [0.2777273272234177, 0.1050930431085774, -0.3308618287255563,
                                -4.634230498983486, 6.228269936347081, 4.776384997670288, -5.435455855934631]
    static let green: [Double] = [0.005407344544966578, 1.404613529898575, 0.214847559468213,
                                  -5.799100973351585, 14.17993336680509, -13.74514537774601, 4.645852612178535]
    static let blue: [Double] = [0.3340998053353061, 1.384590162594685, 0.09509516302823659,
                                 -19.33244095627987, 56.69055260068105, -65.35303263337234, 26.3124352495832]
}
