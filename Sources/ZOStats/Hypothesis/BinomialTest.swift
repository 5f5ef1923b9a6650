extension SignificanceTest {
    /// The exact binomial test of H₀: P(success) = p₀ from k successes in n trials.
    ///
    /// One-sided p-values are the exact tails P(X ≥ k) (`.greater`) and P(X ≤ k) (`.less`).
    /// The two-sided p-value is the probability of all outcomes no more likely than k
    /// (the "minimum-likelihood" rule of R's `binom.test` and SciPy's `binomtest`, with the same
    /// relative tolerance 1 + 1e-7 for ties), which for asymmetric nulls is not twice a tail.
    /// All probabilities come from ``Binomial`` (log-space, exact to rounding).
    ///
    /// - Throws: ``StatsError`` for n < 1, k ∉ 0…n, or p₀ ∉ (0, 1).
    public static func exactBinomial(
        successes k: Int, trials n: Int, probability p0: Double, alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        guard n >= 1 else { throw .tooFewSamples(what: "binomial experiment", needed: 1, got: n) }
        guard k >= 0 && k <= n else {
            throw .invalidParameter(name: "successes k", value: Double(k), requirement: "must lie in 0…\(n) (the number of trials)")
        }
        try requireOpenProbability(p0, "null success probability p₀")
        let b = try Binomial(trials: n, probability: p0)
        let p: Double
        switch alternative {
        case .less: p = b.cdf(k)
        case .greater: p = b.survival(k - 1)
        case .twoSided: p = twoSidedMinimumLikelihood(b, k)
        }
        return TestResult(test: "exact binomial", statistic: Double(k), pValue: Swift.min(1, p),
                          alternative: alternative, reference: .binomial(trials: n, probability: p0),
                          sampleCount: n, estimate: Double(k) / Double(n))
    }

    /// Σ P(X = j) over all j with P(X = j) ≤ P(X = k)(1 + 1e-7). The PMF is unimodal, so the
    /// outcomes on the far side of the mean that qualify form a tail, found by bisection.
    private static func twoSidedMinimumLikelihood(_ b: Binomial, _ k: Int) -> Double {
        let n = b.trials
        let mean = Double(n) * b.probability
        let threshold = b.logPMF(k) + 1e-7  // ln(d · (1 + 1e-7)) ≈ ln d + 1e-7
        if Double(k) == mean { return 1 }
        if Double(k) < mean {
            // Smallest j ≥ ⌈np⌉ with pmf(j) ≤ d; the PMF is non-increasing on [⌈np⌉, n].
            var lo = Int(mean.rounded(.up)), hi = n + 1  // answer in [lo, hi]; hi = n + 1: none
            while lo < hi {
                let mid = (lo + hi) / 2
                if b.logPMF(mid) <= threshold { hi = mid } else { lo = mid + 1 }
            }
            return b.cdf(k) + (lo <= n ? b.survival(lo - 1) : 0)
        } else {
            // Largest j ≤ ⌊np⌋ with pmf(j) ≤ d; the PMF is non-decreasing on [0, ⌊np⌋].
            var lo = -1, hi = Int(mean.rounded(.down))  // answer in [lo, hi]; lo = −1: none
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if b.logPMF(mid) <= threshold { lo = mid } else { hi = mid - 1 }
            }
            return (lo >= 0 ? b.cdf(lo) : 0) + b.survival(k - 1)
        }
    }
}
