// Saddle-point building blocks of Catherine Loader, "Fast and accurate computation of
// binomial probabilities" (2000), as used by R's nmath: densities of the binomial, Poisson,
// beta, gamma, t and F families written as exp(−(stirling error) − (deviance)) so that no two
// large logarithms are ever subtracted. They are the prefactors of the incomplete beta and
// gamma functions, which is what keeps those accurate for large parameters.

/// stirlerr(n) = ln Γ(n + 1) − (n + ½) ln n + n − ln √(2π), n > 0.
///
/// For n ≥ 8 this is exactly Stirling's correction series of ln Γ(n) (no cancellation,
/// relative error ~1e-16); below 8 it is evaluated directly, with absolute error ≲ 5e-15
/// (the size of the cancelling terms times ε).
@inline(__always)
func stirlerr(_ n: Double) -> Double {
    if n >= 8 { return stirlingCorrection(n) }
    return logGamma(n + 1) - (n + 0.5) * libmLog(n) + n - lnSqrt2Pi
}

/// bd0(x, m) = x ln(x/m) + m − x ≥ 0, the deviance term, for x ≥ 0, m > 0.
///
/// When x and m are close the direct formula cancels; there the series
/// 2x Σ v^(2j+1)/(2j+1) − (x − m)v with v = (x − m)/(x + m) is summed instead (relative
/// error ~1e-16).
@inline(__always)
func bd0(_ x: Double, _ m: Double) -> Double {
    if x == 0 { return m }
    if !(m > 0) || !x.isFinite || !m.isFinite { return x == m ? 0 : .infinity }
    let d = x - m
    if abs(d) < 0.1 * (x + m) {
        var v = d / (x + m)
        var s = d * v
        if abs(s) < Double.leastNormalMagnitude { return s }
        var ej = 2 * x * v
        v *= v
        var j = 1
        while j < 1000 {
            ej *= v
            let s1 = s + ej / Double(2 * j + 1)
            if s1 == s { return s1 }
            s = s1
            j += 1
        }
        return s
    }
    return x * libmLog(x / m) + m - x
}

/// ln of the (real-argument) binomial density Γ(n + 1)/(Γ(x + 1) Γ(n − x + 1)) pˣ qⁿ⁻ˣ,
/// 0 ≤ x ≤ n, q = 1 − p given separately so callers keep precision near p = 1, and n − x
/// given separately when n = x + (n − x) was rounded (the incomplete beta passes b for
/// n = a + b): ln(1 − x/n) must not be formed from a rounded x/n near 1, whose absolute
/// error ε becomes a relative error ε·n/(n − x) in 1 − x/n.
func logBinomialDensityRaw(_ x: Double, _ n: Double, _ p: Double, _ q: Double, nMinusX: Double? = nil) -> Double {
    let r = nMinusX ?? (n - x)
    if p == 0 { return x == 0 ? 0 : -.infinity }
    if q == 0 { return r == 0 ? 0 : -.infinity }
    if x == 0 {
        if n == 0 { return 0 }
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * libmLog(q)
    }
    if r == 0 {
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * libmLog(p)
    }
    if x < 0 || r < 0 { return -.infinity }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(r) - bd0(x, n * p) - bd0(r, n * q)
    // ln(2π x (n − x)/n)
    let lf = ln2Pi + libmLog(x) + (x < r ? libmLog1p(-x / n) : libmLog(r / n))
    return lc - 0.5 * lf
}

/// The (real-argument) Poisson density λˣ e^(−λ) / Γ(x + 1), x ≥ 0, λ ≥ 0.
func poissonDensityRaw(_ x: Double, _ lambda: Double) -> Double {
    if lambda == 0 { return x == 0 ? 1 : 0 }
    if x == 0 { return libmExp(-lambda) }
    if !lambda.isFinite { return 0 }
    if x < 0 { return 0 }
    return libmExp(-stirlerr(x) - bd0(x, lambda)) / (2 * Double.pi * x).squareRoot()
}

/// ln of `poissonDensityRaw`.
func logPoissonDensityRaw(_ x: Double, _ lambda: Double) -> Double {
    if lambda == 0 { return x == 0 ? 0 : -.infinity }
    if x == 0 { return -lambda }
    if !lambda.isFinite || x < 0 { return -.infinity }
    return -stirlerr(x) - bd0(x, lambda) - 0.5 * libmLog(2 * Double.pi * x)
}
