/// Which deviation from the null hypothesis a test looks for.
public enum Alternative: String, Sendable, CaseIterable, CustomStringConvertible {
    /// H₁: θ ≠ θ₀.
    case twoSided
    /// H₁: θ < θ₀.
    case less
    /// H₁: θ > θ₀.
    case greater

    public var description: String {
        switch self {
        case .twoSided: return "two-sided"
        case .less: return "less"
        case .greater: return "greater"
        }
    }

    /// The p-value of a statistic s with a null distribution symmetric about 0, from its
    /// distribution's CDF and survival function; evaluates one tail only (two-sided:
    /// 2·P(S > |s|), capped at 1).
    func symmetricPValue(_ s: Double, cdf: (Double) -> Double, survival: (Double) -> Double) -> Double {
        switch self {
        case .less: return cdf(s)
        case .greater: return survival(s)
        case .twoSided: return Swift.min(1, 2 * survival(abs(s)))
        }
    }
}

/// The null distribution a p-value was read from.
public enum ReferenceDistribution: Sendable, Equatable, CustomStringConvertible {
    case standardNormal
    case studentT(degreesOfFreedom: Double)
    case fisherF(numerator: Double, denominator: Double)
    case binomial(trials: Int, probability: Double)
    /// The p-value is the DKWM bound 2e^(−2nD²) (conservative), not an exact probability.
    case dkwmBound(sampleCount: Int)

    public var description: String {
        switch self {
        case .standardNormal: return "N(0, 1)"
        case .studentT(let nu): return "t(\(nu))"
        case .fisherF(let d1, let d2): return "F(\(d1), \(d2))"
        case .binomial(let n, let p): return "B(\(n), \(p))"
        case .dkwmBound(let n): return "DKWM bound, n = \(n)"
        }
    }
}

/// The outcome of one significance test: the statistic, its p-value under H₀ and what it was
/// compared with. The decision rule is ``rejects(at:)``: reject H₀ when p ≤ α.
public struct TestResult: Sendable, Equatable, CustomStringConvertible {
    /// The test's name, e.g. "one-sample t".
    public let test: String
    /// The test statistic (z, t, successes k, Hotelling's T², KS distance D).
    public let statistic: Double
    /// P(a statistic at least as extreme | H₀); for ``ReferenceDistribution/dkwmBound(sampleCount:)``
    /// an upper bound on it.
    public let pValue: Double
    public let alternative: Alternative
    public let reference: ReferenceDistribution
    /// Observations used.
    public let sampleCount: Int
    /// The point estimate the test is about (sample mean, mean difference, proportion), or NaN.
    public let estimate: Double

    public init(
        test: String, statistic: Double, pValue: Double, alternative: Alternative,
        reference: ReferenceDistribution, sampleCount: Int, estimate: Double = .nan
    ) {
        self.test = test
        self.statistic = statistic
        self.pValue = pValue
        self.alternative = alternative
        self.reference = reference
        self.sampleCount = sampleCount
        self.estimate = estimate
    }

    /// True when H₀ is rejected at level α, i.e. p ≤ α.
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` unless 0 < α < 1.
    public func rejects(at alpha: Double) throws(StatsError) -> Bool {
        try requireOpenProbability(alpha, "significance level α")
        return pValue <= alpha
    }

    public var description: String {
        "\(test) (\(alternative)): statistic \(statistic), p = \(pValue) under \(reference), n = \(sampleCount)"
    }
}
