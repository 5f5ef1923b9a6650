import Foundation
import Testing
@testable import ZOFunctions

/// Stated minima: values, vanishing gradients, PSD Hessians, no lower neighbours; the
/// published constants; the other listed critical points.
@Suite("Minima and critical points")
struct MinimaTests {
    @Test(arguments: FunctionCatalog.names)
    func minimaAreStationaryWithTheStatedValue(name: String) throws {
        for f in try Cases.functions(name) {
            guard case .attained(let value, let points, _) = f.minimum else {
                #expect(name == "powell-1973", "\(name) claims no minimum")
                continue
            }
            #expect(!points.isEmpty)
            for x in points {
                #expect(x.count == f.dimension)
                let (fx, g) = f.valueAndGradient(x)
                #expect(abs(fx - value) <= 1e-12 * max(1, abs(value)), "\(name) d=\(f.dimension): f(x*) = \(fx), stated \(value)")
                // Gradient ~ 0 relative to the curvature scale at x* (‖H‖·|x*| rounding).
                let h = f.hessian(x)
                let scale = max(1, h.map(abs).max()!) * max(1, x.map(abs).max()!)
                let gNorm = g.map(abs).max()!
                #expect(gNorm <= 1e-12 * scale, "\(name) d=\(f.dimension): ‖∇f(x*)‖∞ = \(gNorm)")
                let c = CurvatureSummary(f, at: x)
                #expect(c.definiteness == .positiveDefinite || c.definiteness == .positiveSemidefinite,
                        "\(name) d=\(f.dimension): Hessian at the minimum is \(String(describing: c.definiteness))")
            }
        }
    }

    /// Random nearby points (radius 1e-3 and 1e-1, relative to the scale of x*) are not lower.
    @Test(arguments: FunctionCatalog.names)
    func nearbyPointsAreNotLower(name: String) throws {
        for f in try Cases.functions(name) {
            guard let value = f.minimum.value else { continue }
            for (k, x) in f.minimum.points.enumerated() {
                for radius in [1e-3, 1e-1] {
                    let box = FunctionDomain(lower: x.map { $0 - radius * max(1, abs($0)) },
                                             upper: x.map { $0 + radius * max(1, abs($0)) })
                    for y in TestPoints.uniform(in: box, count: 50, seed: 7, stream: UInt64(k)) {
                        let fy = f.value(y)
                        #expect(fy >= value - 1e-12 * max(1, abs(value)), "\(name) d=\(f.dimension): f(\(y)) = \(fy) < \(value)")
                    }
                }
            }
        }
    }

    @Test(arguments: FunctionCatalog.names)
    func criticalPointsAreStationaryOfTheirKind(name: String) throws {
        for f in try Cases.functions(name) {
            for c in f.criticalPoints {
                let (fx, g) = f.valueAndGradient(c.point)
                #expect(abs(fx - c.value) <= 1e-12 * max(1, abs(c.value)), "\(name): f = \(fx), listed \(c.value)")
                let scale = max(1, f.hessian(c.point).map(abs).max()!) * max(1, c.point.map(abs).max()!)
                #expect(g.map(abs).max()! <= 1e-12 * scale, "\(name): ∇f ≠ 0 at \(c.point): \(g)")
                let definiteness = CurvatureSummary(f, at: c.point).definiteness
                switch c.kind {
                case .localMinimum: #expect(definiteness == .positiveDefinite, "\(name) \(c.point)")
                case .localMaximum: #expect(definiteness == .negativeDefinite, "\(name) \(c.point)")
                case .saddle: #expect(definiteness == .indefinite, "\(name) \(c.point)")
                }
                if c.kind == .localMinimum, let global = f.minimum.value { #expect(c.value > global) }
            }
        }
    }

    @Test func startPointsHaveTheRightLengthAndLieInTheDomain() throws {
        for name in FunctionCatalog.names {
            for f in try Cases.functions(name) {
                #expect(!f.startPoints.isEmpty)
                for s in f.startPoints {
                    #expect(s.count == f.dimension, "\(name)")
                    #expect(f.domain.contains(s), "\(name) d=\(f.dimension): start \(s) outside \(f.domain)")
                    #expect(f.viewDomain.contains(s), "\(name) d=\(f.dimension): start \(s) outside the view box")
                }
                for x in f.minimum.points { #expect(f.viewDomain.contains(x), "\(name): minimiser outside the view box") }
            }
        }
    }

    // MARK: Published constants

    @Test func sixHumpCamelMinimumIsMinus1Point0316285() throws {
        let f = try SixHumpCamel()
        for x in f.minimum.points { #expect(abs(f.value(x) - (-1.0316285)) < 5e-8) }
        #expect(f.minimum.points.count == 2)
    }

    @Test(arguments: [1, 2, 5, 10])
    func styblinskiTangMinimumIsMinus39Point16617TimesD(d: Int) throws {
        let f = try StyblinskiTang(dimension: d)
        let x = try #require(f.minimum.points.first)
        #expect(abs(f.value(x) - (-39.16617 * Double(d))) < 1e-5 * Double(d))
        #expect(x.allSatisfy { abs($0 - (-2.903534)) < 1e-6 })
        // The root really is the global one-dimensional minimiser: scan [−5, 5].
        let g = try StyblinskiTang(dimension: 1)
        let scan = stride(from: -5.0, through: 5.0, by: 1e-3).map { g.value([$0]) }.min()!
        #expect(scan >= StyblinskiTang.minimumPerCoordinate - 1e-12)
    }

    @Test(arguments: [1, 2, 3, 6, 10])
    func tridMinimumFollowsTheFormula(d: Int) throws {
        let f = try Trid(dimension: d)
        let x = (1...d).map { Double($0 * (d + 1 - $0)) }
        #expect(f.minimum.points == [x])
        let stated = -Double(d * (d + 4) * (d - 1)) / 6
        #expect(f.value(x) == stated)
        #expect(f.gradient(x).allSatisfy { $0 == 0 })
    }

    @Test(arguments: [1, 2, 3, 10, 40])
    func dixonPriceMinimiserFollowsTheFormula(d: Int) throws {
        let f = try DixonPrice(dimension: d)
        let formula = (1...d).map { i in pow(2.0, -(pow(2.0, Double(i)) - 2) / pow(2.0, Double(i))) }
        let x = DixonPrice.minimiser(dimension: d)
        for i in 0..<d { #expect(abs(x[i] - formula[i]) <= 1e-15, "x[\(i)]") }
        #expect(f.value(x) <= 1e-28)
        #expect(f.minimum.points.count == (d >= 2 ? 2 : 1))
        for p in f.minimum.points { #expect(f.value(p) <= 1e-28) }
    }

    @Test func rosenbrockConditionNumberAtTheMinimumIs2508() throws {
        let c = CurvatureSummary(try Rosenbrock(dimension: 2), at: [1, 1])
        let k = try #require(c.conditionNumber)
        #expect(abs(k - 2508.0) < 0.5, "κ = \(k)")
    }

    /// The documented local minima of Rosenbrock for d = 4 and d = 10 (Newton with the exact
    /// Hessian from the stated approximations).
    @Test(arguments: [(4, [-0.7757, 0.6131, 0.3821, 0.1460], 3.7014), (10, [-1.0] + Array(repeating: 1.0, count: 9), 3.9866)])
    func rosenbrockHasTheDocumentedLocalMinimum(d: Int, guess: [Double], value: Double) throws {
        let f = try Rosenbrock(dimension: d)
        var x = guess
        for _ in 0..<30 {
            let step = try #require(DenseMatrix.solveSymmetricPositiveDefinite(f.hessian(x), f.gradient(x)))
            for i in 0..<d { x[i] -= step[i] }
        }
        #expect(f.gradient(x).map(abs).max()! < 1e-10)
        #expect(CurvatureSummary(f, at: x).definiteness == .positiveDefinite)
        #expect(abs(f.value(x) - value) < 1e-3, "f = \(f.value(x))")
        #expect(x[0] < 0)
    }

    @Test func powellSingularHessianIsSingularAtTheMinimum() throws {
        let c = CurvatureSummary(try PowellSingular(dimension: 8), at: Array(repeating: 0, count: 8))
        #expect(c.definiteness == .positiveSemidefinite)
        let ev = try #require(c.eigenvalues)
        #expect(ev.filter { abs($0) < 1e-9 }.count == 4)
    }

    @Test func himmelblauHasFourZeroMinimaAndAMaximum() throws {
        let f = try Himmelblau()
        #expect(Set(f.minimum.points).count == 4)
        for x in f.minimum.points { #expect(f.value(x) < 1e-25) }
        #expect(f.criticalPoints.filter { $0.kind == .localMaximum }.count == 1)
    }

    @Test func sumOfDifferentPowersHessianAtZeroIsDiagTwoZeroZero() throws {
        let f = try SumOfDifferentPowers(dimension: 3)
        #expect(f.hessian([0, 0, 0]) == [2, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(f.gradient([0, 0, 0]) == [0, 0, 0])
    }

    @Test func ackleyIsExactlyZeroAtZeroWithTheDocumentedGeneralisedDerivatives() throws {
        for d in [1, 2, 7] {
            let f = try Ackley(dimension: d)
            let zero = Array(repeating: 0.0, count: d)
            #expect(f.value(zero) == 0)
            #expect(f.gradient(zero) == zero)
            let expected = 4 * Double.pi * Double.pi * exp(1.0) / Double(d)
            for v in f.hessianDiagonal(zero) { #expect(abs(v - expected) <= 1e-12 * expected) }
            // Just off 0 the cone's curvature is large (∝ 1/‖x‖): the convention is a choice.
            let near = [1e-8] + Array(repeating: 0.0, count: d - 1)
            #expect(f.hessianDiagonal(near).count == d)
            #expect(f.value(near) > 0)
        }
    }
}
