import Foundation
import Testing
import ZOStats

/// ln Γ, P(a, x), Iₓ(a, b) against 40–60 digit references. References: `mpmath.loggamma`
/// (mpmath 1.3.0, 40 digits); the incomplete functions by their series / continued fractions
/// evaluated in mpmath at 60 digits with the prefactor from 40-digit `loggamma` (independent of
/// ZOStats' double-double and saddle-point code), cross-checked against
/// `scipy.special.gammainc` / `betainc` (SciPy 1.17.1).
@Suite("Special functions")
struct SpecialFunctionTests {
    @Test func logGammaMatchesMpmath() {
        let cases: [(x: Double, value: Double)] = [
            (1e-300, 690.7755278982137), (1e-08, 18.42068073818021), (0.1, 2.252712651734206),
            (0.5, 0.5723649429247001), (0.9, 0.06637623973474295), (0.999999, 5.772164873855652e-07),
            (1.0, 0.0), (1.000001, -5.772148423874147e-07), (1.5, -0.12078223763524522),
            (1.999, -0.0004224618006921073), (2.0, 0.0), (2.0001, 4.2281658112919945e-05),
            (2.5, 0.2846828704729192), (3.7, 1.428072326665388), (7.99, 8.50501160608848),
            (8.0, 8.525161361065415), (12.5, 18.734347511936445), (100.0, 359.1342053695754),
            (10000.0, 82099.71749644238), (100000000.0, 1742068066.1038346), (1e+100, 2.2925850929940456e+102),
        ]
        for c in cases {
            // Relative accuracy also next to the zeros at 1 and 2 (the doc comment's claim).
            #expect(relativeError(logGamma(c.x), c.value) <= 1e-14, "lnΓ(\(c.x)) = \(logGamma(c.x)), want \(c.value)")
        }
    }

    @Test func logGammaRecurrenceAndDomain() {
        // ln Γ(x + 1) = ln Γ(x) + ln x across every branch boundary (0.5, 1.5, 2.5, 8).
        for x in stride(from: 0.05, through: 12.0, by: 0.173) {
            let lhs = logGamma(x + 1), rhs = logGamma(x) + log(x)
            #expect(abs(lhs - rhs) <= 4e-15 * Swift.max(1, abs(lhs)), "x = \(x)")
        }
        #expect(logGamma(0) == .infinity)
        #expect(logGamma(-1).isNaN)
        #expect(logGamma(.nan).isNaN)
    }

    @Test func regularizedGammaMatchesReference() {
        let cases: [(a: Double, x: Double, p: Double, q: Double)] = [
            (0.5, 0.01, 0.1124629160182849, 0.8875370839817152), (0.5, 3.0, 0.9856941215645704, 0.01430587843542964),
            (1.0, 1.0, 0.6321205588285577, 0.36787944117144233), (2.5, 0.1, 0.0008861387888124426, 0.9991138612111875),
            (3.0, 10.0, 0.9972306042844884, 0.002769395715511576), (10.0, 9.0, 0.4125917556680586, 0.5874082443319414),
            (10.0, 25.0, 0.9997785233617512, 0.00022147663824878357), (100.0, 80.0, 0.017108313035133115, 0.9828916869648668),
            (100.0, 130.0, 0.9972495916326934, 0.002750408367306526), (1000.0, 1000.0, 0.5042052441802155, 0.4957947558197845),
            (5000.0, 4700.0, 7.5970648619412704e-06, 0.999992402935138), (5000.0, 5400.0, 0.999999982793368, 1.7206631963239867e-08),
            (1000000.0, 1003000.0, 0.9986382593537824, 0.0013617406462175915),
            (1000000.0, 996000.0, 3.100711821108297e-05, 0.9999689928817889),
            (0.1, 0.001, 0.5267685683924451, 0.4732314316075549), (0.1, 2.0, 0.9943261760201885, 0.005673823979811528),
        ]
        for c in cases {
            let r = regularizedGamma(c.a, c.x)
            #expect(relativeError(r.lower, c.p) <= 1e-13, "P(\(c.a), \(c.x)) = \(r.lower)")
            #expect(relativeError(r.upper, c.q) <= 1e-13, "Q(\(c.a), \(c.x)) = \(r.upper)")
        }
        #expect(regularizedGamma(-1, 1).lower.isNaN)
        #expect(regularizedGamma(2, 0).lower == 0 && regularizedGamma(2, 0).upper == 1)
    }

    @Test func regularizedBetaMatchesReference() {
        let cases: [(a: Double, b: Double, x: Double, lower: Double, upper: Double, tol: Double)] = [
            (0.5, 0.5, 0.2, 0.2951672353008666, 0.7048327646991335, 1e-13),
            (1.0, 1.0, 0.3, 0.3, 0.7, 1e-13),
            (2.0, 3.0, 0.4, 0.5248, 0.47519999999999996, 1e-13),
            (0.5, 50.0, 0.001, 0.24763098003462322, 0.7523690199653768, 1e-13),
            (10.0, 10.0, 0.2, 0.0015791205491671046, 0.9984208794508329, 1e-13),
            (10.0, 10.0, 0.9, 0.9999960701176729, 3.929882327127992e-06, 1e-13),
            (100.0, 200.0, 0.25, 0.0006588924984657823, 0.9993411075015343, 1e-13),
            (2000.0, 1000.0, 0.65, 0.02709549568311508, 0.9729045043168849, 1e-13),
            // a ≫ b with x near 1: the regime where a Float64 continued fraction loses ~a·ε.
            (50000.0, 0.5, 0.99999, 0.317310507857966, 0.682689492142034, 1e-13),
            (0.5, 50000.0, 2e-05, 0.8427018307361872, 0.15729816926381282, 1e-13),
            (500000.0, 0.5, 0.9999947573709194, 0.022039801427427893, 0.9779601985725721, 1e-13),
            // Far tail of a, b ~ 1e6: the value's own sensitivity to x's last bit is ~1e3·ε.
            (300000.0, 700000.0, 0.2985, 0.0005262416910636799, 0.9994737583089364, 5e-13),
        ]
        for c in cases {
            let r = regularizedBeta(c.a, c.b, x: c.x)
            #expect(relativeError(r.lower, c.lower) <= c.tol, "I_\(c.x)(\(c.a), \(c.b)) = \(r.lower)")
            #expect(relativeError(r.upper, c.upper) <= c.tol, "1 − I_\(c.x)(\(c.a), \(c.b)) = \(r.upper)")
        }
    }

    @Test func regularizedBetaSymmetryAndDomain() {
        // Iₓ(a, b) = 1 − I₁₋ₓ(b, a), computed through different branches.
        for (a, b) in [(0.7, 3.2), (4.0, 9.0), (30.0, 2.5)] {
            for x in stride(from: 0.05, to: 1.0, by: 0.1) {
                let r = regularizedBeta(a, b, x: x)
                let s = regularizedBeta(b, a, x: 1 - x)
                #expect(abs(r.lower - s.upper) <= 1e-15, "a \(a) b \(b) x \(x)")
                #expect(abs(r.lower + r.upper - 1) <= 1e-15)
            }
        }
        #expect(regularizedBeta(1, 1, x: 1.5).lower.isNaN)
        #expect(regularizedBeta(0, 1, x: 0.5).lower.isNaN)
        #expect(regularizedBeta(2, 3, x: 0).lower == 0 && regularizedBeta(2, 3, x: 0).upper == 1)
        #expect(regularizedBeta(2, 3, x: 1).lower == 1 && regularizedBeta(2, 3, x: 1).upper == 0)
    }
}
