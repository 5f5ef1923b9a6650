extension ConfidenceInterval {
    /// The Wilson score interval for a binomial proportion from k successes in n trials:
    /// (k + z²/2 ± z √(k(n − k)/n + z²/4)) / (n + z²), z = z_{1−α/2}.
    ///
    /// Coverage is close to nominal on average (it can dip a few points below at some p for
    /// small n; Brown, Cai & DasGupta 2001); it never leaves [0, 1] and is sensible at k = 0
    /// and k = n, unlike the Wald interval. For guaranteed coverage use
    /// ``clopperPearson(successes:trials:confidence:)``.
    ///
    /// - Throws: ``StatsError`` for n < 1, k ∉ 0…n, or a confidence not in (0, 1).
    public static func wilson(successes k: Int, trials n: Int, confidence: Double = 0.95) throws(StatsError) -> ConfidenceInterval {
        try validateCounts(k, n)
        try requireOpenProbability(confidence, "confidence 1 − α")
        let z = try StandardNormal.upperQuantile((1 - confidence) / 2)
        let z2 = z * z
        let kd = Double(k), nd = Double(n)
        let center = (kd + z2 / 2) / (nd + z2)
        let half = z / (nd + z2) * (kd * (nd - kd) / nd + z2 / 4).squareRoot()
        return ConfidenceInterval(lower: Swift.max(0, center - half), upper: Swift.min(1, center + half),
                                  confidence: confidence, method: "Wilson")
    }

    /// The Clopper–Pearson "exact" interval: the proportions p for which an exact one-sided
    /// binomial test at level α/2 does not reject — lower = Beta(k, n − k + 1) quantile α/2
    /// (0 if k = 0), upper = Beta(k + 1, n − k) quantile 1 − α/2 (1 if k = n). Coverage is at
    /// least 1 − α for every p (conservative). Endpoints are accurate to ~1e-14 relative
    /// (absolute ~1e-16 near 1).
    ///
    /// - Throws: ``StatsError`` for n < 1, k ∉ 0…n, or a confidence not in (0, 1).
    public static func clopperPearson(successes k: Int, trials n: Int, confidence: Double = 0.95) throws(StatsError) -> ConfidenceInterval {
        try validateCounts(k, n)
        try requireOpenProbability(confidence, "confidence 1 − α")
        let halfAlpha = (1 - confidence) / 2
        let lower = try k == 0 ? 0 : BetaDistribution(alpha: Double(k), beta: Double(n - k + 1)).quantile(halfAlpha)
        let upper = try k == n ? 1 : BetaDistribution(alpha: Double(k + 1), beta: Double(n - k)).upperQuantile(halfAlpha)
        return ConfidenceInterval(lower: lower, upper: upper, confidence: confidence, method: "Clopper–Pearson")
    }

    private static func validateCounts(_ k: Int, _ n: Int) throws(StatsError) {
        guard n >= 1 else { throw .tooFewSamples(what: "binomial experiment", needed: 1, got: n) }
        guard k >= 0 && k <= n else {
            throw .invalidParameter(name: "successes k", value: Double(k), requirement: "must lie in 0…\(n) (the number of trials)")
        }
    }
}
