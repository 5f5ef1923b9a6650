import Testing
@testable import ZOFunctions

/// HiZOO Figure 3: (a) as given (Sophia's function) is sharp in x, flat in y, minimum (1, 4);
/// the reconstructions (b) and (c) have the curvature ratios the spec asks for.
@Suite("HiZOO toy functions")
struct HiZOOToyTests {
    /// Curvature ratio λ_max/λ_min of the Hessian at the minimiser.
    static func ratio(_ f: any TestFunction) throws -> Double {
        let x = try #require(f.minimum.points.first)
        return try #require(CurvatureSummary(f, at: x).conditionNumber)
    }

    @Test func functionAIsSharpInXFlatInYWithMinimumAt1And4() throws {
        let f = try HiZOOToyA()
        #expect(f.value([1, 4]) == 0)
        #expect(f.gradient([1, 4]) == [0, 0])
        let h = f.hessian([1, 4])
        #expect(abs(h[0] - 68.8) < 1e-12)
        #expect(h[1] == 0 && h[2] == 0 && h[3] == 1)
        let r = try Self.ratio(f)
        #expect(abs(r - 68.8) < 1e-9, "ratio \(r)")
        // Global: f ≥ 0 on a grid over the view box, and 1.3x² + 2x + 1 has no real root.
        let discriminant: Double = 2 * 2 - 4 * 1.3 * 1
        #expect(discriminant < 0)
        var lowest = Double.infinity
        for x in stride(from: -3.0, through: 3.0, by: 0.01) {
            for y in stride(from: 0.0, through: 8.0, by: 0.05) { lowest = min(lowest, f.value([x, y])) }
        }
        #expect(lowest >= 0)
        // Sharp x versus flat y along the axes through the minimum.
        #expect(f.value([1.1, 4]) > 20 * f.value([1, 4.1]))
    }

    @Test func functionBIsAModerateNonQuadraticReconstruction() throws {
        let f = try HiZOOToyB()
        #expect(f.descriptor.isReconstruction)
        let r = try Self.ratio(f)
        #expect(r >= 10 && r <= 50, "ratio \(r)")
        #expect(abs(r - 30) < 1e-9)
        // Non-quadratic: the Hessian changes from point to point.
        #expect(f.hessian([1, -1]) != f.hessian(f.defaultStart))
        let start = CurvatureSummary(f, at: f.defaultStart)
        #expect(try #require(start.diagonalRatio) > 10)
    }

    @Test func functionCIsAnExtremeReconstruction() throws {
        let f = try HiZOOToyC()
        #expect(f.descriptor.isReconstruction)
        let r = try Self.ratio(f)
        #expect(r >= 1000, "ratio \(r)")
        #expect(r == 2000)
        // "The curvature of x is extremely bigger than y": in x.
        let h = f.hessianDiagonal([1, -1])
        #expect(h[0] > 1000 * h[1])
    }

    @Test func reconstructionsAreLabelledAndTheOriginalIsNot() throws {
        let flags = try ["hizoo-a", "hizoo-b", "hizoo-c"].map { try FunctionCatalog.descriptor(named: $0).isReconstruction }
        #expect(flags == [false, true, true])
        for name in ["hizoo-b", "hizoo-c"] {
            #expect(try FunctionCatalog.descriptor(named: name).notes.contains { $0.contains("RECONSTRUCTION") })
        }
    }
}
