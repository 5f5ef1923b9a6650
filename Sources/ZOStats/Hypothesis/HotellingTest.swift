extension SignificanceTest {
    /// Hotelling's one-sample T² test of H₀: μ = μ₀ for a d-dimensional mean:
    /// T² = n (x̄ − μ₀)ᵀ S⁻¹ (x̄ − μ₀), and (n − d)/(d(n − 1)) · T² ~ F(d, n − d) under H₀ for
    /// normal data (asymptotically χ²_d/d-like otherwise). The result's `statistic` is T²; its
    /// reference is F(d, n − d).
    ///
    /// Numerics: S is scaled to the correlation matrix R = D^(−½) S D^(−½) (T² is invariant under
    /// coordinate scaling) and factored R = LLᵀ by Cholesky; T² = n‖L⁻¹D^(−½)(x̄ − μ₀)‖². The
    /// squared Cholesky pivot of coordinate j is the fraction of its variance not explained by
    /// the coordinates before it (1 − R²ⱼ); if it falls below `singularityTolerance` the
    /// covariance is treated as singular and the test refuses: T² would then be dominated by
    /// rounding and by the noise in the near-zero direction of S.
    ///
    /// - Throws: ``StatsError/tooFewSamples(what:needed:got:)`` for n ≤ d (S is singular),
    ///   ``StatsError/singularCovariance(dimension:coordinate:residual:tolerance:)`` for a
    ///   constant or (nearly) linearly dependent coordinate, and the usual input errors.
    public static func hotellingT2(
        _ sample: RunningMeanCovariance, nullMean: [Double]? = nil, singularityTolerance: Double = 1e-10
    ) throws(StatsError) -> TestResult {
        let d = sample.dimension
        try sample.validate("sample", needed: d + 1)
        guard singularityTolerance > 0 && singularityTolerance < 1 else {
            throw .invalidParameter(name: "singularity tolerance", value: singularityTolerance,
                                    requirement: "must lie in (0, 1)")
        }
        let mu0 = try checkedNullMean(nullMean, dimension: d)
        let n = sample.count
        let s = sample.covariance  // [d × d]
        let mean = sample.mean
        // u = D^(−½)(x̄ − μ₀) [d]
        var scale = [Double](repeating: 0, count: d)
        for i in 0..<d {
            let v = s[i * d + i]
            guard v > 0 else {
                throw .singularCovariance(dimension: d, coordinate: i, residual: 0, tolerance: singularityTolerance)
            }
            scale[i] = 1 / v.squareRoot()
        }
        var r = [Double](repeating: 0, count: d * d)  // correlation [d × d]
        for i in 0..<d {
            for j in 0..<d { r[i * d + j] = s[i * d + j] * scale[i] * scale[j] }
            r[i * d + i] = 1
        }
        let l = try choleskyFactor(r, dimension: d, tolerance: singularityTolerance)
        var w = [Double](repeating: 0, count: d)
        for i in 0..<d { w[i] = (mean[i] - mu0[i]) * scale[i] }
        forwardSubstitute(l, dimension: d, &w)
        var norm2 = 0.0
        for v in w { norm2 += v * v }
        let t2 = Double(n) * norm2
        let d1 = Double(d), d2 = Double(n - d)
        let f = d2 / (d1 * Double(n - 1)) * t2
        let distribution = try FisherF(numeratorDegreesOfFreedom: d1, denominatorDegreesOfFreedom: d2)
        return TestResult(test: "Hotelling one-sample T²", statistic: t2, pValue: distribution.survival(f),
                          alternative: .twoSided, reference: .fisherF(numerator: d1, denominator: d2),
                          sampleCount: n, estimate: .nan)
    }

    /// The F value (n − d)/(d(n − 1)) · T² that ``hotellingT2(_:nullMean:singularityTolerance:)``
    /// compares with F(d, n − d).
    public static func hotellingF(t2: Double, dimension d: Int, sampleCount n: Int) -> Double {
        Double(n - d) / (Double(d) * Double(n - 1)) * t2
    }
}
