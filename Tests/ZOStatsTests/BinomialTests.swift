import Testing
import ZOStats

/// References: exact sums of C(n, j) pʲ qⁿ⁻ʲ in mpmath (40 digits); the n = 10⁶ values from
/// SciPy 1.17.1 `binom.cdf` / `binom.sf` / `binom.pmf`.
@Suite("Binomial distribution")
struct BinomialTests {
    @Test func pmfCDFAndSurvivalMatchExactSums() throws {
        let cases: [(n: Int, p: Double, k: Int, pmf: Double, cdf: Double, sf: Double)] = [
            (20, 0.3, 5, 0.17886305056987975, 0.41637082944748144, 0.5836291705525186),
            (20, 0.3, 0, 0.0007979226629761202, 0.0007979226629761202, 0.9992020773370239),
            (20, 0.3, 20, 3.4867844009999975e-11, 1.0, 0.0),
            (1000, 0.01, 25, 2.6442557919022015e-05, 0.9999844133494706, 1.5586650529345428e-05),
            (1000, 0.5, 450, 0.00016939724527711568, 0.0008652680424881588, 0.9991347319575118),
            (1000, 0.5, 1, 9.332636185032189e-299, 9.341968821217221e-299, 1.0),
            (3000, 0.999, 2990, 0.0008048927315239455, 0.001094402823017238, 0.9989055971769828),
            (50, 0.15, 3, 0.03185806229121932, 0.0460465788923019, 0.9539534211076981),
        ]
        for c in cases {
            let b = try Binomial(trials: c.n, probability: c.p)
            // Relative error ≲ (1 + |ln P|)·4ε: ~3e-13 for P ≈ 1e-298.
            let tol = 1e-13 + 4e-16 * abs(Swift.min(0, b.logPMF(c.k)))
            #expect(relativeError(b.pmf(c.k), c.pmf) <= tol, "B(\(c.n), \(c.p)) pmf(\(c.k)) = \(b.pmf(c.k))")
            #expect(relativeError(b.cdf(c.k), c.cdf) <= tol, "B(\(c.n), \(c.p)) cdf(\(c.k)) = \(b.cdf(c.k))")
            #expect(relativeError(b.survival(c.k), c.sf) <= 1e-13, "B(\(c.n), \(c.p)) sf(\(c.k)) = \(b.survival(c.k))")
        }
    }

    @Test func largeNTailsMatchSciPy() throws {
        let b = try Binomial(trials: 1_000_000, probability: 0.5)
        #expect(relativeError(b.cdf(499_000), 0.0228041499326948) <= 1e-12)
        #expect(relativeError(b.survival(501_500), 0.0013454639783653305) <= 1e-12)
        #expect(relativeError(b.pmf(500_000), 0.0007978843613317499) <= 1e-13)
    }

    @Test func cdfAgreesWithTheIncompleteBetaIdentity() throws {
        // P(X ≤ k) = I_{1−p}(n − k, k + 1): an independent route through ZOStats' own code.
        let b = try Binomial(trials: 137, probability: 0.23)
        for k in stride(from: 0, to: 137, by: 9) {
            let viaBeta = regularizedBeta(Double(137 - k), Double(k + 1), x: 0.77, y: 0.23).lower
            #expect(relativeError(b.cdf(k), viaBeta) <= 1e-12, "k = \(k)")
        }
    }

    @Test func degenerateProbabilitiesAndRange() throws {
        let zero = try Binomial(trials: 10, probability: 0)
        #expect(zero.pmf(0) == 1 && zero.cdf(0) == 1 && zero.survival(0) == 0)
        let one = try Binomial(trials: 10, probability: 1)
        #expect(one.pmf(10) == 1 && one.cdf(9) == 0 && one.survival(9) == 1)
        let b = try Binomial(trials: 5, probability: 0.4)
        #expect(b.pmf(-1) == 0 && b.pmf(6) == 0 && b.cdf(-1) == 0 && b.cdf(5) == 1)
        var total = 0.0
        for k in 0...5 { total += b.pmf(k) }
        #expect(abs(total - 1) <= 1e-15)
        #expect(throws: StatsError.self) { try Binomial(trials: -1, probability: 0.5) }
        #expect(throws: StatsError.self) { try Binomial(trials: 3, probability: 1.2) }
    }
}
