import Foundation
import Testing
import ZOStats

@Suite("DKWM and Kolmogorov–Smirnov")
struct GoodnessOfFitTests {
    @Test func dkwmEpsilonAndSampleCount() throws {
        // ε = √(ln(2/α)/(2n)): n = 1000, α = 0.05 → √(ln 40 / 2000) = 0.042947…
        #expect(relativeError(try DKWM.epsilon(sampleCount: 1000, alpha: 0.05), (log(40.0) / 2000).squareRoot()) <= 1e-15)
        #expect(relativeError(try DKWM.epsilon(sampleCount: 1000, alpha: 0.05), 0.04294694083467376) <= 1e-14)
        // The n for ε = 0.01, α = 1e-3: ⌈ln 2000 / 2e-4⌉ = ⌈38004.51…⌉.
        #expect(try DKWM.sampleCount(epsilon: 0.01, alpha: 1e-3) == 38005)
        // Round trip: the returned n achieves ε, n − 1 does not.
        for (eps, alpha) in [(0.05, 0.01), (0.02, 1e-6), (0.1, 0.5)] {
            let n = try DKWM.sampleCount(epsilon: eps, alpha: alpha)
            #expect(try DKWM.epsilon(sampleCount: n, alpha: alpha) <= eps)
            #expect(try DKWM.epsilon(sampleCount: n - 1, alpha: alpha) > eps)
            #expect(try DKWM.exceedanceBound(sampleCount: n, epsilon: eps) <= alpha)
        }
        #expect(try DKWM.exceedanceBound(sampleCount: 1, epsilon: 0) == 1)
    }

    @Test func ksStatisticMatchesSciPy() throws {
        // scipy.stats.kstest(data, "norm").statistic
        let data = [0.31, -1.2, 0.05, 1.7, -0.44, 0.9, -0.15, 2.3, -0.8, 0.6, -1.9, 0.2]
        #expect(relativeError(try KolmogorovSmirnov.statistic(data, cdf: StandardNormal.cdf), 0.12210120390812362) <= 1e-14)
        #expect(relativeError(try KolmogorovSmirnov.statistic(HypothesisTests.a, cdf: StandardNormal.cdf), 0.955434537241457) <= 1e-14)
        let r = try KolmogorovSmirnov.dkwmTest(data, cdf: StandardNormal.cdf)
        #expect(try !r.rejects(at: 0.05))
        // The DKWM p-value bounds SciPy's exact one (0.98425…) from above (here capped at 1).
        #expect(r.pValue >= 0.9842558696020404)
    }

    @Test func dkwmDecisionIsEquivalentToTheEpsilonBand() throws {
        // rejects(at: α) ⇔ D ≥ ε(n, α), for data placed to give D on either side of ε.
        let n = 200, alpha = 0.01
        let eps = try DKWM.epsilon(sampleCount: n, alpha: alpha)
        for shift in [eps * 0.98, eps * 1.02] {
            // Points i/n + shift, i = 0…n−1, against U(0, 1): D = max(shift, 1/n − shift) = shift.
            let data = (0..<n).map { Double($0) / Double(n) + shift }
            let r = try KolmogorovSmirnov.dkwmTest(data) { Swift.min(1, Swift.max(0, $0)) }
            #expect(abs(r.statistic - shift) <= 1e-12)
            #expect(try r.rejects(at: alpha) == (shift >= eps), "shift / ε = \(shift / eps)")
        }
    }

    @Test func ksInputIsValidated() {
        #expect(throws: StatsError.emptySample(what: "KS sample")) { try KolmogorovSmirnov.statistic([]) { $0 } }
        #expect(throws: StatsError.nonFiniteData(what: "KS sample", count: 1)) { try KolmogorovSmirnov.statistic([1, .nan]) { $0 } }
        #expect(throws: StatsError.self) { try KolmogorovSmirnov.statistic([0.5]) { _ in 1.5 } }
        #expect(throws: StatsError.self) { try DKWM.sampleCount(epsilon: 0, alpha: 0.1) }
        #expect(throws: StatsError.self) { try DKWM.epsilon(sampleCount: 0, alpha: 0.1) }
    }
}
