/// The one-sample Kolmogorov–Smirnov distance against a supplied CDF, with the DKWM decision.
public enum KolmogorovSmirnov {
    /// D = sup |Fₙ(x) − F(x)| = maxᵢ max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i − 1)/n) over the sorted
    /// sample (exact for continuous F; O(n log n) for the sort).
    ///
    /// F must be a continuous CDF: for a discrete F this formula can overstate D (it uses F at
    /// the atoms where the supremum needs left limits), so the test would reject too often —
    /// test discrete outcomes with ``SignificanceTest/exactBinomial(successes:trials:probability:alternative:)``
    /// or interval counts instead.
    ///
    /// - Throws: ``StatsError`` for an empty or non-finite sample, or if `cdf` returns a value
    ///   outside [0, 1] or NaN.
    public static func statistic(_ data: [Double], cdf: (Double) -> Double) throws(StatsError) -> Double {
        try requireFiniteSample(data, "KS sample")
        let sorted = data.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            guard f >= 0 && f <= 1 else {
                throw .invalidParameter(name: "cdf(\(x))", value: f, requirement: "a CDF must return a value in [0, 1]")
            }
            d = Swift.max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// The KS test of H₀: the data are i.i.d. from F, decided by DKWM: reject at level α when
    /// D > ε(n, α) = √(ln(2/α)/(2n)). The reported p-value is the DKWM bound
    /// min(1, 2e^(−2nD²)) — a conservative upper bound on the exact KS p-value, so
    /// `rejects(at: α)` is equivalent to D ≥ ε(n, α) and its false-rejection rate is ≤ α for any
    /// continuous F and any n.
    ///
    /// - Throws: as ``statistic(_:cdf:)``.
    public static func dkwmTest(_ data: [Double], cdf: (Double) -> Double) throws(StatsError) -> TestResult {
        let d = try statistic(data, cdf: cdf)
        let p = try DKWM.exceedanceBound(sampleCount: data.count, epsilon: d)
        return TestResult(test: "Kolmogorov–Smirnov (DKWM)", statistic: d, pValue: p, alternative: .twoSided,
                          reference: .dkwmBound(sampleCount: data.count), sampleCount: data.count)
    }
}
