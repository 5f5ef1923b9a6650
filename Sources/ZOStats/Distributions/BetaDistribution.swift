/// The Beta(a, b) distribution, a, b > 0 — the quantiles behind the Clopper–Pearson interval.
///
/// - CDF / survival: ``regularizedBeta(_:_:x:y:)`` (relative error ≤ 1e-13, see there).
/// - Density: Loader's form for a, b > 2 (R's `dbeta`), the direct formula otherwise.
/// - Quantiles: safeguarded Newton on (0, 1); relative error ≤ 1e-13 (tested against mpmath
///   for a, b from 0.5 to 951). Near 1 the answer has absolute, not relative, accuracy
///   (~1e-16): x cannot resolve 1 − x below that.
public struct BetaDistribution: Sendable, Equatable {
    public let alpha: Double
    public let beta: Double

    /// - Throws: ``StatsError/invalidParameter(name:value:requirement:)`` unless both are finite and > 0.
    public init(alpha: Double, beta: Double) throws(StatsError) {
        try requirePositiveFinite(alpha, "shape a")
        try requirePositiveFinite(beta, "shape b")
        self.alpha = alpha
        self.beta = beta
    }

    /// f(x); 0 outside [0, 1].
    public func density(_ x: Double) -> Double {
        let a = alpha, b = beta
        if x.isNaN { return .nan }
        if x < 0 || x > 1 { return 0 }
        if x == 0 { return a < 1 ? .infinity : (a == 1 ? b : 0) }
        if x == 1 { return b < 1 ? .infinity : (b == 1 ? a : 0) }
        if a <= 2 || b <= 2 {
            return libmExp((a - 1) * libmLog(x) + (b - 1) * libmLog1p(-x) - logBeta(a, b))
        }
        return (a + b - 1) * libmExp(logBinomialDensityRaw(a - 1, a + b - 2, x, 1 - x))
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        return regularizedBeta(alpha, beta, x: x).lower
    }

    /// P(X > x).
    public func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        return regularizedBeta(alpha, beta, x: x).upper
    }

    /// The x with P(X ≤ x) = p.
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` for p ∉ [0, 1].
    public func quantile(_ p: Double) throws(StatsError) -> Double {
        try requireClosedProbability(p, "p")
        return solve(lower: p, upper: 1 - p, useLower: p <= 0.5)
    }

    /// The x with P(X > x) = q.
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` for q ∉ [0, 1].
    public func upperQuantile(_ q: Double) throws(StatsError) -> Double {
        try requireClosedProbability(q, "q")
        return solve(lower: 1 - q, upper: q, useLower: q > 0.5)
    }

    private func solve(lower p: Double, upper q: Double, useLower: Bool) -> Double {
        if (useLower && p == 0) || (!useLower && q == 1) { return 0 }
        if (useLower && p == 1) || (!useLower && q == 0) { return 1 }
        let a = alpha, b = beta
        let lnB = logBeta(a, b)
        let mean = a / (a + b)
        // Tail starts: Iₓ(a, b) ≈ xᵃ/(a B(a, b)) near 0, 1 − Iₓ ≈ (1 − x)ᵇ/(b B(a, b)) near 1.
        var guess = mean
        if useLower {
            let g = libmExp((libmLog(p) + libmLog(a) + lnB) / a)
            if g > 0 && g < mean { guess = g }
        } else {
            let g = 1 - libmExp((libmLog(q) + libmLog(b) + lnB) / b)
            if g > mean && g < 1 { guess = g }
        }
        return invertMonotone(
            target: useLower ? p : q, increasing: useLower, domain: .unit, guess: guess,
            tail: { x in useLower ? self.cdf(x) : self.survival(x) }, density: { x in self.density(x) })
    }
}
