import ZOStats

/// Three-way decisions from an interval, shared by the checks.
public enum IntervalDecision: String, Codable, Sendable {
    /// The interval lies inside the claim's region.
    case inside
    /// The interval lies outside it (disjoint).
    case outside
    /// The interval straddles its boundary: not resolved at this sample size.
    case straddles

    /// Equivalence: is the interval inside [lower, upper]?
    public static func equivalence(_ i: IntervalEstimate, lower: Double, upper: Double) -> IntervalDecision {
        if i.lower >= lower && i.upper <= upper { return .inside }
        if i.upper < lower || i.lower > upper { return .outside }
        return .straddles
    }

    /// One-sided claim "the quantity is below `bound`" (`inside` when the whole interval is
    /// below, `outside` when the whole interval is above).
    public static func below(_ i: IntervalEstimate, _ bound: Double) -> IntervalDecision {
        if i.upper < bound { return .inside }
        if i.lower > bound { return .outside }
        return .straddles
    }

    /// One-sided claim "the quantity is above `bound`".
    public static func above(_ i: IntervalEstimate, _ bound: Double) -> IntervalDecision {
        if i.lower > bound { return .inside }
        if i.upper < bound { return .outside }
        return .straddles
    }
}

/// Mean intervals and simple two-sample comparisons.
public enum Intervals {
    /// The t interval of a mean at confidence 1 − α.
    public static func mean(_ m: RunningMoments, alpha: Double) throws -> IntervalEstimate {
        let ci = try ConfidenceInterval.mean(m, confidence: 1 - alpha, method: .t)
        return IntervalEstimate(lower: ci.lower, upper: ci.upper, confidence: 1 - alpha)
    }

    /// Difference of two independent proportions p₁ − p₂ with Newcombe's hybrid score interval
    /// (method 10 of Newcombe 1998, built from the two Wilson intervals): unlike the normal
    /// interval it stays sensible when a proportion is 0 or 1. The returned standard error is the
    /// unpooled normal one (for power statements).
    public static func proportionDifference(successes k1: Int, trials n1: Int, successes k2: Int, trials n2: Int,
                                            alpha: Double) throws -> (difference: Double, interval: IntervalEstimate, standardError: Double) {
        let p1 = Double(k1) / Double(n1), p2 = Double(k2) / Double(n2)
        let se = (p1 * (1 - p1) / Double(n1) + p2 * (1 - p2) / Double(n2)).squareRoot()
        let w1 = try ConfidenceInterval.wilson(successes: k1, trials: n1, confidence: 1 - alpha)
        let w2 = try ConfidenceInterval.wilson(successes: k2, trials: n2, confidence: 1 - alpha)
        let lower = p1 - p2 - ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2)).squareRoot()
        let upper = p1 - p2 + ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower)).squareRoot()
        return (p1 - p2, IntervalEstimate(lower: lower, upper: upper, confidence: 1 - alpha), se)
    }

    /// Wilson and Clopper–Pearson intervals of k/n at confidence 1 − α.
    public static func proportion(successes k: Int, trials n: Int, alpha: Double) throws -> (wilson: IntervalEstimate, exact: IntervalEstimate) {
        let w = try ConfidenceInterval.wilson(successes: k, trials: n, confidence: 1 - alpha)
        let e = try ConfidenceInterval.clopperPearson(successes: k, trials: n, confidence: 1 - alpha)
        return (IntervalEstimate(lower: w.lower, upper: w.upper, confidence: 1 - alpha),
                IntervalEstimate(lower: e.lower, upper: e.upper, confidence: 1 - alpha))
    }
}

/// Ordinary least squares y = a + b x with the t interval of the slope (ν = n − 2).
/// Assumption: independent, homoscedastic errors around a straight line (on log–log scales,
/// the checks use replicate seeds at every x so the residual spread is estimated).
public struct LinearFit: Sendable {
    public let slope: Double
    public let intercept: Double
    public let slopeStandardError: Double
    public let count: Int

    public init(x: [Double], y: [Double]) throws {
        precondition(x.count == y.count)
        let n = x.count
        guard n >= 3 else { throw VerifyError.machinery(check: "fit", reason: "a slope interval needs ≥ 3 points, got \(n)") }
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0
        for i in 0..<n {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxy += (x[i] - mx) * (y[i] - my)
        }
        guard sxx > 0 else { throw VerifyError.machinery(check: "fit", reason: "all x values are equal") }
        slope = sxy / sxx
        intercept = my - slope * mx
        var rss = 0.0
        for i in 0..<n {
            let r = y[i] - intercept - slope * x[i]
            rss += r * r
        }
        slopeStandardError = (rss / Double(n - 2) / sxx).squareRoot()
        count = n
    }

    public func slopeInterval(alpha: Double) throws -> IntervalEstimate {
        let t = try StudentT(degreesOfFreedom: Double(count - 2)).upperQuantile(alpha / 2)
        return IntervalEstimate(lower: slope - t * slopeStandardError, upper: slope + t * slopeStandardError,
                                confidence: 1 - alpha)
    }
}
