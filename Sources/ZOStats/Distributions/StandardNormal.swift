/// The standard normal distribution N(0, 1).
///
/// Accuracy (tested against mpmath at 40 digits):
/// - ``cdf(_:)`` / ``survival(_:)``: relative error ≤ 1e-14 down to 1e-300 (x ≈ ∓37). Built on
///   the C library's `erfc` (fdlibm-derived, < 1 ulp on glibc and Apple's libm) with the
///   rounding of x/√2 corrected to first order; without that correction the relative error
///   would grow like x²·ε (≈ 1.5e-13 at x = −37).
/// - ``quantile(_:)`` / ``upperQuantile(_:)``: relative error ≤ 1e-14 for p ∈ [1e-300, 1]
///   (Acklam's rational approximation, relative error 1.15e-9, refined by one Halley step on
///   the accurate CDF). ``quantile(_:)`` of p > ½ uses 1 − p, which is exact in binary
///   floating point, so it is accurate relative to the p it is given — but p itself cannot
///   resolve upper tails below ~1e-16: for z_{1−α} with small α call ``upperQuantile(_:)``
///   with α.
public enum StandardNormal {
    /// φ(x) = e^(−x²/2)/√(2π), with x² split so that the exponent is exact (R's dnorm trick):
    /// relative error ~1e-16 for all x.
    public static func density(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let ax = abs(x)
        if ax < 5 { return invSqrt2Pi * libmExp(-0.5 * ax * ax) }
        if ax > 40 { return 0 }
        let x1 = (ax * 65536).rounded(.down) / 65536  // exact, and x1² is exact
        let x2 = ax - x1
        return invSqrt2Pi * (libmExp(-0.5 * x1 * x1) * libmExp((-0.5 * x2 - x1) * x2))
    }

    /// Φ(x) = P(Z ≤ x). NaN for NaN; 0 and 1 at ∓∞.
    public static func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return 0.5 * correctedErfc(-x)
    }

    /// 1 − Φ(x) = P(Z > x), computed without cancellation for large x.
    public static func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return 0.5 * correctedErfc(x)
    }

    /// Φ⁻¹(p): the z with P(Z ≤ z) = p. −∞ at 0 and +∞ at 1.
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` for p ∉ [0, 1] or NaN.
    public static func quantile(_ p: Double) throws(StatsError) -> Double {
        try requireClosedProbability(p, "p")
        if p == 0.5 { return 0 }
        return p < 0.5 ? lowerTailQuantile(p) : -lowerTailQuantile(1 - p)
    }

    /// The z with P(Z > z) = q, i.e. z_{1−q}, accurate for tiny q (where 1 − q would round).
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` for q ∉ [0, 1] or NaN.
    public static func upperQuantile(_ q: Double) throws(StatsError) -> Double {
        try requireClosedProbability(q, "q")
        if q == 0.5 { return 0 }
        return q < 0.5 ? -lowerTailQuantile(q) : lowerTailQuantile(1 - q)
    }

    // MARK: Implementation

    /// erfc(x/√2) with the rounding of x·(1/√2) corrected: x/√2 = t + dt exactly to ~1e-32,
    /// and erfc(t + dt) ≈ erfc(t) − (2/√π) e^(−t²) dt.
    static func correctedErfc(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? 0 : 2 }
        let hi = 0.7071067811865476  // 1/√2 = hi + lo
        let lo = -4.8336466567264565e-17
        let t = x * hi
        let dt = (-t).addingProduct(x, hi) + x * lo  // fma(x, hi, −t) + x·lo
        // 2/√π = 1.1283791670955126
        return libmErfc(t) - 1.1283791670955126 * libmExp(-t * t) * dt
    }

    /// Φ⁻¹(p) for 0 ≤ p < ½.
    static func lowerTailQuantile(_ p: Double) -> Double {
        if p == 0 { return -.infinity }
        var x = acklam(p)
        // One Halley step on Φ(x) − p: relative error 1e-9 → below the CDF's own error. In
        // the centre Φ(x) − p is formed as ½ erf(x/√2) − (p − ½) (p − ½ is exact), so x keeps
        // relative accuracy as it approaches 0.
        let e = p > 0.25 ? 0.5 * libmErf(x * 0.7071067811865476) - (p - 0.5) : cdf(x) - p
        let f = density(x)
        if f > 0 && e.isFinite {
            let u = e / f
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }

    /// Peter Acklam's rational approximation to Φ⁻¹(p), p ≤ ½ (relative error < 1.15e-9).
    private static func acklam(_ p: Double) -> Double {
        if p < 0.02425 {
            let q = (-2 * libmLog(p)).squareRoot()
            let num = ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                        - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00
            let den = (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                       + 3.754408661907416e+00) * q + 1
            return num / den
        }
        let q = p - 0.5
        let r = q * q
        let num = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                     + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
        let den = ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                    + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1
        return num / den
    }
}
