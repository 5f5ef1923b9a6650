/// The binomial distribution B(n, p): successes in n independent trials of probability p.
///
/// Exact to rounding, in log space: the PMF is Loader's saddle-point form (no factorials, no
/// overflow for any n; relative error ≲ (1 + |ln P|)·4ε — ~1e-15 for ordinary P, ~3e-13 for
/// P ≈ 1e-298, where the rounding of the exponent dominates); a CDF sums the PMF outward from k through the
/// tail that lies away from the mean, with the ratio recurrence
/// pmf(j−1)/pmf(j) = j q / ((n − j + 1) p) normalised by pmf(k), until the terms fall below
/// 2⁻⁵⁴ of the sum, so each tail is computed directly (never as 1 minus the other) and its
/// relative error is that of the PMF plus ~(terms summed)·ε (tested ≤ 1e-13 against exact
/// mpmath sums for n ≤ 3000, ≤ 1e-12 against SciPy at n = 10⁶). Cost: O(√(n p q)) terms
/// in the tails, up to O(n) right at the mean.
public struct Binomial: Sendable, Equatable {
    public let trials: Int
    public let probability: Double

    /// - Throws: ``StatsError/invalidParameter(name:value:requirement:)`` for n < 0,
    ///   ``StatsError/probabilityOutOfRange(name:value:)`` for p ∉ [0, 1].
    public init(trials: Int, probability: Double) throws(StatsError) {
        guard trials >= 0 else {
            throw .invalidParameter(name: "trials n", value: Double(trials), requirement: "must be ≥ 0")
        }
        try requireClosedProbability(probability, "success probability p")
        self.trials = trials
        self.probability = probability
    }

    /// ln P(X = k); −∞ outside 0…n.
    public func logPMF(_ k: Int) -> Double {
        guard k >= 0 && k <= trials else { return -.infinity }
        return logBinomialDensityRaw(Double(k), Double(trials), probability, 1 - probability)
    }

    /// P(X = k).
    public func pmf(_ k: Int) -> Double { libmExp(logPMF(k)) }

    /// P(X ≤ k).
    public func cdf(_ k: Int) -> Double {
        if k < 0 { return 0 }
        if k >= trials { return 1 }
        if Double(k) < Double(trials) * probability {
            return libmExp(logLowerTail(k))
        }
        return 1 - libmExp(logUpperTail(k + 1))
    }

    /// P(X > k).
    public func survival(_ k: Int) -> Double {
        if k < 0 { return 1 }
        if k >= trials { return 0 }
        if Double(k) < Double(trials) * probability {
            return 1 - libmExp(logLowerTail(k))
        }
        return libmExp(logUpperTail(k + 1))
    }

    /// ln P(X ≤ k), 0 ≤ k < n, summing from k downward.
    func logLowerTail(_ k: Int) -> Double {
        let lead = logPMF(k)
        if lead == -.infinity { return lead }
        let p = probability, q = 1 - probability
        if p == 0 { return 0 }  // all mass at 0 ≤ k
        var term = 1.0, sum = 1.0
        var j = k
        while j > 0 {
            term *= Double(j) * q / (Double(trials - j + 1) * p)
            sum += term
            if term < sum * 0x1p-54 { break }
            j -= 1
        }
        return lead + libmLog(sum)
    }

    /// ln P(X ≥ k), 0 < k ≤ n, summing from k upward.
    func logUpperTail(_ k: Int) -> Double {
        let lead = logPMF(k)
        if lead == -.infinity { return lead }
        let p = probability, q = 1 - probability
        if q == 0 { return 0 }  // all mass at n ≥ k
        var term = 1.0, sum = 1.0
        var j = k
        while j < trials {
            term *= Double(trials - j) * p / (Double(j + 1) * q)
            sum += term
            if term < sum * 0x1p-54 { break }
            j += 1
        }
        return lead + libmLog(sum)
    }
}
