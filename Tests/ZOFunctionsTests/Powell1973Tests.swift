import Testing
@testable import ZOFunctions

/// Powell's 1973 function: unboundedness, the kink convention, the non-stationary cycle.
@Suite("Powell 1973")
struct Powell1973Tests {
    func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }

    @Test func isUnboundedBelowAlongTheDiagonal() throws {
        let f = try Powell1973()
        #expect(f.minimum.value == nil)
        for t in [1.0, 1.5, 2, 10, 1e3, 1e6] {
            #expect(abs(f.value([t, t, t]) - (3 - 6 * t)) <= 1e-12 * max(1, 6 * t), "t = \(t)")
        }
    }

    @Test func kinkUsesTheInnerOneSidedCurvature() throws {
        let f = try Powell1973()
        #expect(f.hessianDiagonal([1, -1, 0.5]) == [0, 0, 0])
        #expect(f.hessianDiagonal([1.0000001, -1.5, 0]) == [2, 2, 0])
        // The gradient is continuous across the kink (C¹).
        let a = f.gradient([1, 0.3, 0.2]), b = f.gradient([1 + 1e-9, 0.3, 0.2])
        for i in 0..<3 { #expect(abs(a[i] - b[i]) < 1e-8) }
    }

    @Test func cycleVerticesAreNonStationaryWithGradientNormTwo() throws {
        let f = try Powell1973()
        for v in Powell1973.cycleVertices {
            let g = f.gradient(v)
            #expect(abs(norm(g) - 2) < 1e-15, "\(v): \(g)")
        }
    }

    /// Cyclic exact coordinate minimisation (closed form for this f: the minimiser of
    /// −v·s + (|v| − 1)₊² over v is sign(s)(1 + |s|/2)) from ε = 0.5 visits the
    /// neighbourhoods of the six mixed-sign vertices with ‖∇f‖ staying near 2.
    @Test func cyclicCoordinateDescentCyclesNearTheVertices() throws {
        let f = try Powell1973(startOffset: 0.5)
        var x = f.defaultStart
        var visited = Set<[Double]>()
        for _ in 0..<5 {  // ≤ 5 cycles (Float64 rounding breaks the cycle later; CHECKS.md 6e)
            for i in 0..<3 {
                let s = x.indices.filter { $0 != i }.map { x[$0] }.reduce(0, +)
                x[i] = (s < 0 ? -1 : 1) * (1 + abs(s) / 2)
                let g = f.gradient(x)
                #expect(norm(g) > 1.9)
                visited.insert(x.map { ($0 > 0 ? 1.0 : -1.0) })
            }
        }
        #expect(visited.count == 6)
        #expect(!visited.contains([1, 1, 1]) && !visited.contains([-1, -1, -1]))
    }

    @Test func startOffsetMustBePositiveAndFinite() {
        #expect(throws: FunctionError.self) { try Powell1973(startOffset: 0) }
        #expect(throws: FunctionError.nonFiniteInput("powell-1973: parameter epsilon (nan)")) {
            try Powell1973(startOffset: .nan)
        }
    }
}
