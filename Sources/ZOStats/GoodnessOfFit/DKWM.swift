/// The Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant (1990): for n i.i.d.
/// draws from any distribution F (continuous or not) with empirical CDF Fₙ,
/// P(sup |Fₙ − F| > ε) ≤ 2 e^(−2nε²) for every ε > 0.
///
/// It is distribution-free and non-asymptotic, hence the method of choice for bounded
/// statistics (cosines, probabilities) in CHECKS.md: the band Fₙ ± ε covers F with
/// probability ≥ 1 − α when ε = √(ln(2/α)/(2n)). The price is mild conservatism: as n → ∞ the
/// exceedance probability tends to Kolmogorov's 2 Σₖ (−1)^(k−1) e^(−2k²nε²) = α − α⁴/8 + …,
/// so for small α the bound is asymptotically tight to a relative O(α³).
public enum DKWM {
    /// ε = √(ln(2/α)/(2n)): the band half-width that holds with probability ≥ 1 − α.
    /// - Throws: ``StatsError`` for n < 1 or α ∉ (0, 1).
    public static func epsilon(sampleCount n: Int, alpha: Double) throws(StatsError) -> Double {
        guard n >= 1 else { throw .tooFewSamples(what: "DKWM sample", needed: 1, got: n) }
        try requireOpenProbability(alpha, "α")
        return (libmLog(2 / alpha) / (2 * Double(n))).squareRoot()
    }

    /// The smallest n with 2e^(−2nε²) ≤ α: ⌈ln(2/α)/(2ε²)⌉.
    /// - Throws: ``StatsError`` for ε ∉ (0, 1] or α ∉ (0, 1), or if n would not fit in Int.
    public static func sampleCount(epsilon: Double, alpha: Double) throws(StatsError) -> Int {
        guard epsilon > 0 && epsilon <= 1 else {
            throw .invalidParameter(name: "ε", value: epsilon, requirement: "must lie in (0, 1]")
        }
        try requireOpenProbability(alpha, "α")
        let n = (libmLog(2 / alpha) / (2 * epsilon * epsilon)).rounded(.up)
        guard n < 9e18 else {
            throw .invalidParameter(name: "ε", value: epsilon, requirement: "too small: the sample size overflows")
        }
        return Swift.max(1, Int(n))
    }

    /// The bound min(1, 2e^(−2nε²)) on P(sup |Fₙ − F| > ε).
    /// - Throws: ``StatsError`` for n < 1 or ε < 0 or non-finite.
    public static func exceedanceBound(sampleCount n: Int, epsilon: Double) throws(StatsError) -> Double {
        guard n >= 1 else { throw .tooFewSamples(what: "DKWM sample", needed: 1, got: n) }
        guard epsilon >= 0 && epsilon.isFinite else {
            throw .invalidParameter(name: "ε", value: epsilon, requirement: "must be finite and ≥ 0")
        }
        return Swift.min(1, 2 * libmExp(-2 * Double(n) * epsilon * epsilon))
    }
}
