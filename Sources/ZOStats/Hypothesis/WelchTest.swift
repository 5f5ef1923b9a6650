extension SignificanceTest {
    /// Welch's two-sample t-test of H₀: μ_a − μ_b = δ₀, not assuming equal variances:
    /// t = (x̄_a − x̄_b − δ₀)/√(s_a²/n_a + s_b²/n_b) against t(ν) with the Welch–Satterthwaite
    /// ν = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)) (real).
    /// The t(ν) null is an approximation (Welch 1947); its level holds closely already for
    /// n = 5 and 15 with a 3× ratio of standard deviations (tested by simulation at α = 0.05).
    ///
    /// - Throws: ``StatsError`` for an empty, unclean or one-element sample, non-finite δ₀, or
    ///   when both samples have zero variance.
    public static func welchT(
        _ a: RunningMoments, _ b: RunningMoments, nullDifference: Double = 0,
        alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try requireFinite(nullDifference, "null difference δ₀")
        try a.validate("first sample", needed: 2)
        try b.validate("second sample", needed: 2)
        let va = a.variance / Double(a.count)
        let vb = b.variance / Double(b.count)
        let se2 = va + vb
        guard se2 > 0 else { throw .zeroVariance(what: "both samples") }
        let t = (a.mean - b.mean - nullDifference) / se2.squareRoot()
        let nu = se2 * se2 / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let distribution = try StudentT(degreesOfFreedom: nu)
        let p = alternative.symmetricPValue(t, cdf: distribution.cdf, survival: distribution.survival)
        return TestResult(test: "Welch two-sample t", statistic: t, pValue: p, alternative: alternative,
                          reference: .studentT(degreesOfFreedom: nu), sampleCount: a.count + b.count,
                          estimate: a.mean - b.mean)
    }

    /// ``welchT(_:_:nullDifference:alternative:)`` on arrays.
    public static func welchT(
        _ a: [Double], _ b: [Double], nullDifference: Double = 0, alternative: Alternative = .twoSided
    ) throws(StatsError) -> TestResult {
        try welchT(RunningMoments(a), RunningMoments(b), nullDifference: nullDifference, alternative: alternative)
    }
}
