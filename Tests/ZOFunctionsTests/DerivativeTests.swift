import Testing
@testable import ZOFunctions

/// Exact gradients and Hessians against 5-point finite differences at seeded random points
/// (view box and inner box), for every catalog function in its example dimensions.
///
/// Stated tolerances: per component, |exact − FD| ≤ 1e-6 · max(|exact|, 1e-3·max|exact|,
/// 1e-6·(1 + |f|)) for the gradient and the same with |f| → max|∇f| for the Hessian.
@Suite("Derivatives against finite differences")
struct DerivativeTests {
    static let tolerance = 1e-6

    @Test(arguments: FunctionCatalog.names)
    func gradientMatchesFiniteDifferences(name: String) throws {
        for f in try Cases.functions(name) {
            let points = TestPoints.points(for: f)
            #expect(points.count >= 4, "\(name): too few smooth test points")
            for x in points {
                let (value, g) = f.valueAndGradient(x)
                #expect(value == f.value(x), "\(name) d=\(f.dimension): valueAndGradient's value differs from value")
                let fd = FiniteDifferences.gradient({ f.value($0) }, at: x)
                let error = FiniteDifferences.worstRelativeError(g, fd, floor: abs(value))
                #expect(error <= Self.tolerance, "\(name) d=\(f.dimension) at \(x): gradient error \(error)")
            }
        }
    }

    @Test(arguments: FunctionCatalog.names)
    func hessianMatchesFiniteDifferencesOfTheGradient(name: String) throws {
        for f in try Cases.functions(name) {
            let d = f.dimension
            for x in TestPoints.points(for: f) {
                let h = f.hessian(x)
                let fd = FiniteDifferences.hessian({ f.gradient($0) }, at: x)
                let gradientScale = f.gradient(x).map(abs).max() ?? 0
                let error = FiniteDifferences.worstRelativeError(h, fd, floor: gradientScale)
                #expect(error <= Self.tolerance, "\(name) d=\(d) at \(x): Hessian error \(error)")
                for i in 0..<d {
                    for j in 0..<i { #expect(h[i * d + j] == h[j * d + i], "\(name): Hessian not symmetric at (\(i), \(j))") }
                }
                let diagonal = f.hessianDiagonal(x)
                for i in 0..<d {
                    let full = h[i * d + i]
                    #expect(abs(diagonal[i] - full) <= 1e-12 * max(1, abs(full)),
                            "\(name) d=\(d): hessianDiagonal[\(i)] = \(diagonal[i]) but hessian has \(full)")
                }
            }
        }
    }

    /// The same checks on minibatch estimates of the sum-structured functions.
    @Test(arguments: ["rosenbrock", "extended-rosenbrock", "dixon-price", "styblinski-tang", "rastrigin",
                      "diagonal-quadratic", "sum-of-different-powers", "noisy-least-squares"])
    func minibatchDerivativesMatchFiniteDifferences(name: String) throws {
        let f = try FunctionCatalog.make(name, dimension: name == "extended-rosenbrock" ? 8 : 7,
                                         parameters: FunctionParameters(seed: 5, batchSize: 3))
        guard let s = f as? any StochasticTestFunction else { Issue.record("\(name) with batch-size 3 should be stochastic"); return }
        for index in [0, 1, 17] {
            let batch = s.minibatch(index)
            for x in TestPoints.points(for: f, count: 2, seed: UInt64(index)) {
                let g = s.gradient(x, batch: batch)
                let value = s.value(x, batch: batch)
                let fd = FiniteDifferences.gradient({ s.value($0, batch: batch) }, at: x)
                #expect(FiniteDifferences.worstRelativeError(g, fd, floor: abs(value)) <= Self.tolerance, "\(name) batch \(index)")
                let h = s.hessian(x, batch: batch)
                let fdh = FiniteDifferences.hessian({ s.gradient($0, batch: batch) }, at: x)
                let scale = g.map(abs).max() ?? 0
                #expect(FiniteDifferences.worstRelativeError(h, fdh, floor: scale) <= Self.tolerance, "\(name) batch \(index)")
            }
        }
    }

    /// Negative control: the comparison catches a gradient with one wrong coefficient.
    @Test func finiteDifferenceCheckDetectsAWrongGradient() throws {
        let f = try Rosenbrock(dimension: 3)
        let x = [0.3, -0.7, 1.1]
        var g = f.gradient(x)
        g[1] *= 1.001
        let fd = FiniteDifferences.gradient({ f.value($0) }, at: x)
        #expect(FiniteDifferences.worstRelativeError(g, fd, floor: f.value(x)) > Self.tolerance)
    }
}
