/// Sample sizes and detectable shifts for the per-coordinate z/t tests of CHECKS.md.
///
/// For K two-sided tests, each at level α/K (Bonferroni), to detect a mean shift Δ in a
/// coordinate of standard deviation σ with power 1 − β:
///
///     n = ((z_{1−α/(2K)} + z_{1−β}) σ / Δ)²
///
/// It is the normal-theory formula: it neglects the opposite tail's rejection probability
/// (< α/(2K)) and the t-test's heavier tails when σ is estimated; at the sample sizes the
/// checks use (thousands) the t correction adds well under 1% to n (t_ν quantiles exceed z by
/// a factor ≈ 1 + (z² + 1)/(4ν)). The z quantiles are upper-tail quantiles computed from α/(2K)
/// and β directly (never from 1 − α/(2K), which would round).
public enum PowerAnalysis {
    /// The exact (unrounded) n of the formula above.
    /// - Throws: ``StatsError`` for Δ or σ not finite and > 0, α or β ∉ (0, 1), K < 1.
    public static func requiredSampleSize(
        shift: Double, standardDeviation: Double = 1, alpha: Double, beta: Double, tests: Int = 1
    ) throws(StatsError) -> Double {
        try requirePositiveFinite(shift, "shift Δ")
        try requirePositiveFinite(standardDeviation, "standard deviation σ")
        let zSum = try criticalSum(alpha: alpha, beta: beta, tests: tests)
        let root = zSum * standardDeviation / shift
        return root * root
    }

    /// ``requiredSampleSize(shift:standardDeviation:alpha:beta:tests:)`` rounded up.
    /// - Throws: as that function, and if n does not fit in Int.
    public static func sampleSize(
        shift: Double, standardDeviation: Double = 1, alpha: Double, beta: Double, tests: Int = 1
    ) throws(StatsError) -> Int {
        let n = try requiredSampleSize(shift: shift, standardDeviation: standardDeviation, alpha: alpha,
                                       beta: beta, tests: tests).rounded(.up)
        guard n < 9e18 else {
            throw .invalidParameter(name: "shift Δ", value: shift, requirement: "too small: the sample size overflows")
        }
        return Int(n)
    }

    /// The smallest shift detectable with power 1 − β from n samples:
    /// Δ = (z_{1−α/(2K)} + z_{1−β}) σ / √n. Every check states this as its resolution.
    /// - Throws: ``StatsError`` for n < 1, σ not finite and > 0, α or β ∉ (0, 1), K < 1.
    public static func detectableShift(
        sampleCount n: Int, standardDeviation: Double = 1, alpha: Double, beta: Double, tests: Int = 1
    ) throws(StatsError) -> Double {
        guard n >= 1 else { throw .tooFewSamples(what: "planned sample", needed: 1, got: n) }
        try requirePositiveFinite(standardDeviation, "standard deviation σ")
        let zSum = try criticalSum(alpha: alpha, beta: beta, tests: tests)
        return zSum * standardDeviation / Double(n).squareRoot()
    }

    /// The power 1 − β of the K-fold Bonferroni two-sided z-test against a shift Δ with n
    /// samples: Φ(Δ√n/σ − z_{1−α/(2K)}) + Φ(−Δ√n/σ − z_{1−α/(2K)}) (both tails counted).
    /// - Throws: ``StatsError`` for n < 1, Δ < 0 or non-finite, σ not finite and > 0, α ∉ (0, 1), K < 1.
    public static func power(
        shift: Double, sampleCount n: Int, standardDeviation: Double = 1, alpha: Double, tests: Int = 1
    ) throws(StatsError) -> Double {
        guard n >= 1 else { throw .tooFewSamples(what: "planned sample", needed: 1, got: n) }
        guard shift >= 0 && shift.isFinite else {
            throw .invalidParameter(name: "shift Δ", value: shift, requirement: "must be finite and ≥ 0")
        }
        try requirePositiveFinite(standardDeviation, "standard deviation σ")
        try requireOpenProbability(alpha, "α")
        guard tests >= 1 else {
            throw .invalidParameter(name: "number of tests K", value: Double(tests), requirement: "must be ≥ 1")
        }
        let zAlpha = try StandardNormal.upperQuantile(alpha / (2 * Double(tests)))
        let delta = shift * Double(n).squareRoot() / standardDeviation
        return StandardNormal.survival(zAlpha - delta) + StandardNormal.cdf(-delta - zAlpha)
    }

    /// z_{1−α/(2K)} + z_{1−β}.
    private static func criticalSum(alpha: Double, beta: Double, tests: Int) throws(StatsError) -> Double {
        try requireOpenProbability(alpha, "α")
        try requireOpenProbability(beta, "β")
        guard tests >= 1 else {
            throw .invalidParameter(name: "number of tests K", value: Double(tests), requirement: "must be ≥ 1")
        }
        return try StandardNormal.upperQuantile(alpha / (2 * Double(tests))) + StandardNormal.upperQuantile(beta)
    }
}
