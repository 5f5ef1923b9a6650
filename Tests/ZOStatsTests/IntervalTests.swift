import Testing
import ZOStats

/// References: SciPy 1.17.1 `t.interval` / `norm.interval` and
/// `binomtest(k, n).proportion_ci(method="wilson")`; Clopper–Pearson endpoints by 200-step
/// bisection on the 60-digit mpmath incomplete beta (SciPy's "exact" interval agrees to ~1e-14).
@Suite("Confidence intervals")
struct IntervalTests {
    @Test func meanIntervalsMatchSciPy() throws {
        let m = RunningMoments(HypothesisTests.a)
        let t = try ConfidenceInterval.mean(m)
        #expect(relativeError(t.lower, 2.224038334328758) <= 1e-14 && relativeError(t.upper, 2.8426283323379082) <= 1e-14)
        let z = try ConfidenceInterval.mean(m, method: .z)
        #expect(relativeError(z.lower, 2.2579080057849734) <= 1e-14 && relativeError(z.upper, 2.808758660881693) <= 1e-14)
        let known = try ConfidenceInterval.mean(m, confidence: 0.99, knownStandardDeviation: 0.5)
        #expect(relativeError(known.lower, 2.161544397885712) <= 1e-14 && relativeError(known.upper, 2.9051222687809544) <= 1e-14)
        #expect(t.contains(m.mean) && t.width > z.width)
    }

    @Test func proportionIntervalsMatchSciPy() throws {
        let cases: [(k: Int, n: Int, wilson: (Double, Double), exact: (Double, Double), exact99: (Double, Double))] = [
            (7, 20, (0.1811918241010821, 0.5671457233147637), (0.15390920478454118, 0.592188534532828),
             (0.11387976326673217, 0.6565685842319213)),
            (0, 10, (0.0, 0.27753279986288926), (0.0, 0.3084971078187608), (0.0, 0.4112959813475253)),
            (10, 10, (0.7224672001371109, 1.0), (0.6915028921812393, 1.0), (0.5887040186524747, 1.0)),
            // SciPy's binomtest(...).proportion_ci("exact") root-finds loosely: 0.5222098369083777 here.
            (481, 1000, (0.45016456307559344, 0.5119808537468578), (0.4496275781166067, 0.5124845789334569),
             (0.43997355040867847, 0.5222098369083591)),
        ]
        for c in cases {
            let w = try ConfidenceInterval.wilson(successes: c.k, trials: c.n)
            #expect(abs(w.lower - c.wilson.0) <= 1e-14 && abs(w.upper - c.wilson.1) <= 1e-14, "Wilson \(c.k)/\(c.n): \(w)")
            let e = try ConfidenceInterval.clopperPearson(successes: c.k, trials: c.n)
            #expect(abs(e.lower - c.exact.0) <= 1e-14 && abs(e.upper - c.exact.1) <= 1e-14, "CP \(c.k)/\(c.n): \(e)")
            let e99 = try ConfidenceInterval.clopperPearson(successes: c.k, trials: c.n, confidence: 0.99)
            #expect(abs(e99.lower - c.exact99.0) <= 1e-14 && abs(e99.upper - c.exact99.1) <= 1e-14, "CP99 \(c.k)/\(c.n)")
        }
    }

    @Test func clopperPearsonCoverageIsAtLeastNominalForEveryP() throws {
        // Exact coverage C(p) = Σₖ P(X = k | p)·[p ∈ CI(k)], no simulation: Clopper–Pearson
        // guarantees C(p) ≥ 1 − α for all p; Wilson only on average (it dips below nominal).
        let n = 30
        let cp = try (0...n).map { try ConfidenceInterval.clopperPearson(successes: $0, trials: n, confidence: 0.95) }
        let wilson = try (0...n).map { try ConfidenceInterval.wilson(successes: $0, trials: n, confidence: 0.95) }
        var wilsonMean = 0.0, wilsonMin = 1.0
        let grid = stride(from: 0.01, through: 0.99, by: 0.0137).map { $0 }
        for p in grid {
            let b = try Binomial(trials: n, probability: p)
            var coverage = 0.0, wilsonCoverage = 0.0
            for k in 0...n {
                if cp[k].contains(p) { coverage += b.pmf(k) }
                if wilson[k].contains(p) { wilsonCoverage += b.pmf(k) }
            }
            #expect(coverage >= 0.95 - 1e-12, "p = \(p): Clopper–Pearson coverage \(coverage)")
            wilsonMean += wilsonCoverage / Double(grid.count)
            wilsonMin = Swift.min(wilsonMin, wilsonCoverage)
        }
        #expect(abs(wilsonMean - 0.95) <= 0.01)
        #expect(wilsonMin < 0.95)  // the documented caveat
    }

    @Test func intervalInputsAreValidated() {
        #expect(throws: StatsError.probabilityOutOfRange(name: "confidence 1 − α", value: 1.0)) {
            try ConfidenceInterval.wilson(successes: 1, trials: 2, confidence: 1)
        }
        #expect(throws: StatsError.self) { try ConfidenceInterval.clopperPearson(successes: 3, trials: 2) }
        #expect(throws: StatsError.tooFewSamples(what: "binomial experiment", needed: 1, got: 0)) {
            try ConfidenceInterval.wilson(successes: 0, trials: 0)
        }
        #expect(throws: StatsError.tooFewSamples(what: "sample", needed: 2, got: 1)) {
            try ConfidenceInterval.mean(RunningMoments([1]))
        }
    }
}
