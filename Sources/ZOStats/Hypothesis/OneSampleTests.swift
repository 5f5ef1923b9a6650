extension SignificanceTest {
    /// One-sample z-test of H₀: μ = μ₀: z = (x̄ − μ₀)/(σ/√n) against N(0, 1).
    ///
    /// With `standardDeviation` given, σ is that known value (exact under normality, and
    /// asymptotically by the CLT); with `nil`, σ is the sample s — the large-sample z-test,
    /// slightly anti-conservative for small n (use ``oneSampleT(_:nullMean:alternative:)``).
    ///
    /// - Throws: ``StatsError`` for an empty or unclean sample, n < 2 when σ is estimated,
    ///   σ ≤ 0 or non-finite, non-finite μ₀, or zero sample variance.
    public static func oneSampleZ(
        _ sample: RunningMoments, nullMean: Double = 0, standardDeviation: Double? = nil,
        alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try requireFinite(nullMean, "null mean μ₀")
        let sigma: Double
        if let known = standardDeviation {
            try requirePositiveFinite(known, "standard deviation σ")
            try sample.validate("sample", needed: 1)
            sigma = known
        } else {
            try sample.validate("sample", needed: 2)
            sigma = sample.standardDeviation
            guard sigma > 0 else { throw .zeroVariance(what: "sample") }
        }
        let n = sample.count
        let z = (sample.mean - nullMean) / (sigma / Double(n).squareRoot())
        let p = alternative.symmetricPValue(z, cdf: StandardNormal.cdf, survival: StandardNormal.survival)
        return TestResult(test: "one-sample z", statistic: z, pValue: p, alternative: alternative,
                          reference: .standardNormal, sampleCount: n, estimate: sample.mean)
    }

    /// ``oneSampleZ(_:nullMean:standardDeviation:alternative:)`` on an array.
    public static func oneSampleZ(
        _ data: [Double], nullMean: Double = 0, standardDeviation: Double? = nil,
        alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try oneSampleZ(RunningMoments(data), nullMean: nullMean, standardDeviation: standardDeviation,
                       alternative: alternative)
    }

    /// One-sample Student t-test of H₀: μ = μ₀: t = (x̄ − μ₀)/(s/√n) against t(n − 1).
    /// Exact for normal data; robust to non-normality for moderate n by the CLT (the p-value's
    /// error is O(skewness/√n)).
    ///
    /// - Throws: ``StatsError`` for an empty or unclean sample, n < 2, non-finite μ₀ or zero
    ///   sample variance.
    public static func oneSampleT(
        _ sample: RunningMoments, nullMean: Double = 0, alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try requireFinite(nullMean, "null mean μ₀")
        try sample.validate("sample", needed: 2)
        return try studentT(mean: sample.mean, variance: sample.variance, count: sample.count,
                            nullMean: nullMean, alternative: alternative, what: "sample")
    }

    /// ``oneSampleT(_:nullMean:alternative:)`` on an array.
    public static func oneSampleT(
        _ data: [Double], nullMean: Double = 0, alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try oneSampleT(RunningMoments(data), nullMean: nullMean, alternative: alternative)
    }

    /// The t-test from summary statistics (count ≥ 2 and finite values checked by callers).
    static func studentT(
        mean: Double, variance: Double, count: Int, nullMean: Double, alternative: Alternative, what: String
    ) throws(StatsError) -> TestResult {
        guard variance > 0 else { throw .zeroVariance(what: what) }
        let t = (mean - nullMean) / (variance / Double(count)).squareRoot()
        let distribution = try StudentT(degreesOfFreedom: Double(count - 1))
        let p = alternative.symmetricPValue(t, cdf: distribution.cdf, survival: distribution.survival)
        return TestResult(test: "one-sample t", statistic: t, pValue: p, alternative: alternative,
                          reference: .studentT(degreesOfFreedom: Double(count - 1)), sampleCount: count,
                          estimate: mean)
    }
}
