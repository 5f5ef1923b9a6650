import Testing
@testable import ZOPlot

@Suite("Colour maps")
struct ColorMapTests {
    func distance(_ a: PlotColor, _ b: PlotColor) -> Double {
        max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue))
    }

    @Test func viridisEndpointsMatchPublishedColours() {
        // #440154 at 0, #FDE725 at 1 (the polynomial fit is within 0.013 per channel).
        #expect(distance(ColorMap.viridis.color(at: 0), PlotColor(hex: 0x440154)) < 0.015)
        #expect(distance(ColorMap.viridis.color(at: 1), PlotColor(hex: 0xFDE725)) < 0.015)
    }

    @Test func viridisFollowsPublishedControlPoints() {
        for (k, c) in ColorMap.viridisControlPoints.enumerated() {
            let t = Double(k) / 4
            #expect(distance(ColorMap.viridis.color(at: t), c) < 0.02, "t = \(t)")
        }
    }

    @Test func viridisLuminanceIncreases() {
        // Perceptual ordering: lightness grows monotonically along the map.
        var previous = -1.0
        for k in 0...50 {
            let l = ColorMap.viridis.color(at: Double(k) / 50).luminance
            #expect(l > previous)
            previous = l
        }
    }

    @Test func clampsOutOfRangeAndNaN() {
        #expect(ColorMap.viridis.color(at: -3) == ColorMap.viridis.color(at: 0))
        #expect(ColorMap.viridis.color(at: 7) == ColorMap.viridis.color(at: 1))
        #expect(ColorMap.viridis.color(at: .nan) == ColorMap.viridis.color(at: 0))
        let c = ColorMap.viridis.color(at: 0.37)
        #expect([c.red, c.green, c.blue].allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func controlPointMapInterpolatesLinearly() {
        let m = ColorMap(name: "bw", controlPoints: [.black, .white])
        #expect(m.color(at: 0.5).red == 0.5)
        #expect(ColorMap(name: "v", controlPoints: ColorMap.viridisControlPoints).color(at: 0.25) == PlotColor(hex: 0x3B528B))
    }
}
