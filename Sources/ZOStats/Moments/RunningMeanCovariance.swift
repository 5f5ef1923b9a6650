/// Streaming mean vector and covariance matrix of d-dimensional observations (Welford's update
/// in d dimensions, Chan's merge) — the input of Hotelling's T² and of per-coordinate tests.
///
/// Storage: `mean` [d]; the co-moment C = Σ (xᵢ − x̄)(xᵢ − x̄)ᵀ as a row-major [d × d] array of
/// which only the upper triangle (j ≥ i) is updated — d(d + 1)/2 multiply-adds per observation;
/// ``covariance`` mirrors it. Accuracy per entry as for ``RunningMoments``.
///
/// Observations containing NaN or ±∞ are refused whole and counted in ``nonFiniteCount``;
/// statistics then read NaN and tests throw, as for ``RunningMoments``.
public struct RunningMeanCovariance: Sendable {
    /// d.
    public let dimension: Int
    /// Number of (finite) observations added.
    public private(set) var count: Int = 0
    /// Number of observations refused for containing NaN or ±∞.
    public private(set) var nonFiniteCount: Int = 0
    private var runningMean: [Double]   // [d]
    private var comoment: [Double]      // [d × d] row-major, upper triangle valid
    private var delta: [Double]         // [d] scratch for add/merge

    /// - Throws: ``StatsError/invalidParameter(name:value:requirement:)`` for d < 1.
    public init(dimension: Int) throws(StatsError) {
        guard dimension >= 1 else {
            throw .invalidParameter(name: "dimension d", value: Double(dimension), requirement: "must be ≥ 1")
        }
        self.dimension = dimension
        runningMean = [Double](repeating: 0, count: dimension)
        comoment = [Double](repeating: 0, count: dimension * dimension)
        delta = [Double](repeating: 0, count: dimension)
    }

    /// Adds one observation x [d].
    /// - Throws: ``StatsError/dimensionMismatch(what:expected:got:)`` if x.count ≠ d (nothing is added).
    public mutating func add(_ x: [Double]) throws(StatsError) {
        guard x.count == dimension else {
            throw .dimensionMismatch(what: "observation", expected: dimension, got: x.count)
        }
        if x.contains(where: { !$0.isFinite }) {
            nonFiniteCount += 1
            return
        }
        count += 1
        let d = dimension
        let inverseCount = 1 / Double(count)
        x.withUnsafeBufferPointer { xp in
            runningMean.withUnsafeMutableBufferPointer { mp in
                delta.withUnsafeMutableBufferPointer { dp in
                    comoment.withUnsafeMutableBufferPointer { cp in
                        for i in 0..<d {
                            dp[i] = xp[i] - mp[i]           // x − x̄_old
                            mp[i] += dp[i] * inverseCount   // x̄_new
                        }
                        // C += (x − x̄_old)(x − x̄_new)ᵀ, upper triangle.
                        for i in 0..<d {
                            let di = dp[i]
                            let row = i * d
                            for j in i..<d {
                                cp[row + j] += di * (xp[j] - mp[j])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Folds `other` in (Chan et al.): C = C₁ + C₂ + δδᵀ n₁n₂/n, δ = x̄₂ − x̄₁.
    /// - Throws: ``StatsError/dimensionMismatch(what:expected:got:)`` if the dimensions differ.
    public mutating func merge(_ other: RunningMeanCovariance) throws(StatsError) {
        guard other.dimension == dimension else {
            throw .dimensionMismatch(what: "merged accumulator", expected: dimension, got: other.dimension)
        }
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
        let d = dimension
        for i in 0..<d { delta[i] = other.runningMean[i] - runningMean[i] }
        let w = n1 * n2 / n
        for i in 0..<d {
            for j in i..<d {
                comoment[i * d + j] += other.comoment[i * d + j] + delta[i] * delta[j] * w
            }
        }
        for i in 0..<d { runningMean[i] += delta[i] * (n2 / n) }
        count += other.count
    }

    /// True when no observation was refused.
    public var isClean: Bool { nonFiniteCount == 0 }

    /// x̄ [d] (NaN entries if empty or unclean).
    public var mean: [Double] {
        (count > 0 && isClean) ? runningMean : [Double](repeating: .nan, count: dimension)
    }

    /// The unbiased sample covariance S = C/(n − 1), row-major [d × d], symmetric
    /// (NaN entries for n < 2 or unclean).
    public var covariance: [Double] {
        let d = dimension
        guard count > 1 && isClean else { return [Double](repeating: .nan, count: d * d) }
        let scale = 1 / Double(count - 1)
        var s = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let v = comoment[i * d + j] * scale
                s[i * d + j] = v
                s[j * d + i] = v
            }
        }
        return s
    }

    /// The per-coordinate variances, diag(S) [d].
    public var variances: [Double] {
        let d = dimension
        guard count > 1 && isClean else { return [Double](repeating: .nan, count: d) }
        return (0..<d).map { Swift.max(comoment[$0 * d + $0], 0) / Double(count - 1) }
    }

    /// Throws unless clean and holding at least `needed` observations.
    func validate(_ what: String, needed: Int) throws(StatsError) {
        if nonFiniteCount > 0 { throw .nonFiniteData(what: what, count: nonFiniteCount) }
        if count == 0 { throw .emptySample(what: what) }
        if count < needed { throw .tooFewSamples(what: what, needed: needed, got: count) }
    }
}
