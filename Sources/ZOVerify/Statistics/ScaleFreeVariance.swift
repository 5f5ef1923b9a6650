import ZOStats

/// The scale-free second moment of a gradient estimator,
/// R = ‖∇L‖² E‖ĝ‖² / (E[ĝᵀ∇L])²,
/// from paired per-draw values A = ‖ĝ‖², B = ĝᵀ∇L, with a delta-method interval.
///
/// R is invariant to rescaling ĝ (a learning-rate change), so estimators with different
/// scales — SubZero's projection versus MeZO's full Gaussian — compare fairly: the best
/// rescaled estimator c·ĝ has relative MSE min_c E‖cĝ − ∇L‖²/‖∇L‖² = 1 − 1/R, and the descent
/// per step at the best learning rate is ∝ 1/R (for an L-smooth objective). R = d + 2 for MeZO.
/// Delta method for f(ā, b̄) = ā/b̄²: Var f ≈ (s_AA/b̄⁴ − 4ā s_AB/b̄⁵ + 4ā² s_BB/b̄⁶)/n; assumes
/// b̄ well away from 0 relative to its standard error (true here: E[B] = ‖∇L‖²·(scale)).
struct ScaleFreeVariance {
    var pairs = RatioOfMeans()
    let gradientNorm2: Double

    init(gradientNorm2: Double) { self.gradientNorm2 = gradientNorm2 }

    mutating func add(_ g: [Double], gradient: [Double]) {
        pairs.add(Sampling.squaredNorm(g), Sampling.dot(g, gradient))
    }

    var value: Double { gradientNorm2 * pairs.meanA / (pairs.meanB * pairs.meanB) }

    var standardError: Double {
        let a = pairs.meanA, b = pairs.meanB, n = Double(pairs.count)
        let v = pairs.varianceA / (b * b * b * b) - 4 * a * pairs.covariance / (b * b * b * b * b)
            + 4 * a * a * pairs.varianceB / (b * b * b * b * b * b)
        return gradientNorm2 * (max(v, 0) / n).squareRoot()
    }

    /// E‖ĝ‖²/‖∇L‖² (the raw, scale-dependent second moment).
    var rawSecondMoment: Double { pairs.meanA / gradientNorm2 }
    var rawStandardError: Double { (pairs.varianceA / Double(pairs.count)).squareRoot() / gradientNorm2 }

    func interval(alpha: Double) throws -> IntervalEstimate {
        let z = try StandardNormal.upperQuantile(alpha / 2)
        return IntervalEstimate(lower: value - z * standardError, upper: value + z * standardError, confidence: 1 - alpha)
    }
}
