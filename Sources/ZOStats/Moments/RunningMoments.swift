/// Streaming count, mean, variance, min and max of a scalar sample in one pass (Welford 1962),
/// mergeable across threads or runs (Chan, Golub & LeVeque 1979).
///
/// Accuracy: Welford's update keeps the sum of squared deviations M₂ without the catastrophic
/// cancellation of Σx² − n x̄²; its relative error grows like n·ε·|x̄|/s in the worst case and
/// like √n·ε·|x̄|/s typically (tested: 1e5 values of 1e9 + N(0, 1) give the variance to
/// ≤ 1e-6 relative and the mean to ≤ 1e-13, where the naive formula loses every digit).
/// Merging (Chan's pairwise update) agrees with a single pass to ~1e-13 (tested).
///
/// Non-finite values (NaN, ±∞) are not folded in: they are counted in ``nonFiniteCount``,
/// every statistic of an accumulator that saw one reads NaN, and every test or interval built
/// from it throws ``StatsError/nonFiniteData(what:count:)``. A single bad draw therefore never
/// silently moves a mean.
public struct RunningMoments: Sendable, Equatable {
    /// Number of finite values added.
    public private(set) var count: Int = 0
    /// Number of NaN or ±∞ values offered (and refused).
    public private(set) var nonFiniteCount: Int = 0
    private var runningMean: Double = 0
    private var m2: Double = 0  // Σ (xᵢ − x̄)²
    private var low: Double = .infinity
    private var high: Double = -.infinity

    public init() {}

    /// An accumulator holding `values`.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for x in values { add(x) }
    }

    /// Adds one observation.
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            nonFiniteCount += 1
            return
        }
        count += 1
        let delta = x - runningMean
        runningMean += delta / Double(count)
        m2 += delta * (x - runningMean)
        if x < low { low = x }
        if x > high { high = x }
    }

    /// Adds every value of `values`.
    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == Double {
        for x in values { add(x) }
    }

    /// Folds `other` in, as if its values had been added here (Chan et al.).
    public mutating func merge(_ other: RunningMoments) {
        nonFiniteCount += other.nonFiniteCount
        guard other.count > 0 else { return }
        guard count > 0 else {
            let bad = nonFiniteCount
            self = other
            nonFiniteCount = bad
            return
        }
        let n1 = Double(count), n2 = Double(other.count)
        let n = n1 + n2
        let delta = other.runningMean - runningMean
        runningMean += delta * (n2 / n)
        m2 += other.m2 + delta * delta * (n1 * n2 / n)
        count += other.count
        low = Swift.min(low, other.low)
        high = Swift.max(high, other.high)
    }

    /// The accumulator of both samples.
    public func merged(with other: RunningMoments) -> RunningMoments {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// True when no value was refused.
    public var isClean: Bool { nonFiniteCount == 0 }

    /// The sample mean x̄ (NaN if empty or if a non-finite value was offered).
    public var mean: Double { (count > 0 && isClean) ? runningMean : .nan }

    /// The unbiased sample variance s² = Σ(xᵢ − x̄)²/(n − 1) (NaN for n < 2 or unclean).
    public var variance: Double { (count > 1 && isClean) ? Swift.max(m2, 0) / Double(count - 1) : .nan }

    /// The sample standard deviation s = √s² (biased for σ, as usual).
    public var standardDeviation: Double { variance.squareRoot() }

    /// The standard error of the mean s/√n.
    public var standardError: Double { (variance / Double(count)).squareRoot() }

    /// The population (maximum-likelihood) variance Σ(xᵢ − x̄)²/n.
    public var populationVariance: Double { (count > 0 && isClean) ? Swift.max(m2, 0) / Double(count) : .nan }

    /// Smallest value (NaN if empty or unclean).
    public var min: Double { (count > 0 && isClean) ? low : .nan }

    /// Largest value (NaN if empty or unclean).
    public var max: Double { (count > 0 && isClean) ? high : .nan }

    /// Throws unless the accumulator is clean and holds at least `needed` values.
    func validate(_ what: String, needed: Int) throws(StatsError) {
        if nonFiniteCount > 0 { throw .nonFiniteData(what: what, count: nonFiniteCount) }
        if count == 0 { throw .emptySample(what: what) }
        if count < needed { throw .tooFewSamples(what: what, needed: needed, got: count) }
    }
}
