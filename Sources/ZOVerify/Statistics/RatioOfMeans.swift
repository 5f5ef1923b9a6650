import ZOStats

/// The ratio R = E[A]/E[B] of paired samples (A, B), with a delta-method interval:
/// Var(R̂) ≈ (s_AA − 2R s_AB + R² s_BB)/(n B̄²).
///
/// Assumption: B̄ is bounded away from 0 relative to its standard error (the delta method
/// fails as B̄/SE(B̄) → 0; ``relativeErrorOfDenominator`` reports SE(B̄)/|B̄|, kept ≪ 1 by
/// the sample sizes used). Pairing (A and B from the same random draw) removes the common
/// noise, which is why the bias-order checks share the perturbation between ε and ε/2.
public struct RatioOfMeans: Sendable {
    private var sa = RunningMoments(), sb = RunningMoments()
    private var cab = 0.0  // Σ (a − ā)(b − b̄), Welford co-moment
    private var runningA = 0.0, runningB = 0.0
    public private(set) var count = 0

    public init() {}

    public mutating func add(_ a: Double, _ b: Double) {
        count += 1
        let da = a - runningA
        runningA += da / Double(count)
        runningB += (b - runningB) / Double(count)
        cab += da * (b - runningB)
        sa.add(a)
        sb.add(b)
    }

    public var ratio: Double { sa.mean / sb.mean }
    public var meanA: Double { sa.mean }
    public var meanB: Double { sb.mean }
    public var varianceA: Double { sa.variance }
    public var varianceB: Double { sb.variance }
    public var covariance: Double { cab / Double(count - 1) }

    public var standardError: Double {
        let n = Double(count), r = ratio
        let covariance = cab / (n - 1)
        let v = (sa.variance - 2 * r * covariance + r * r * sb.variance) / (n * sb.mean * sb.mean)
        return max(v, 0).squareRoot()
    }

    public var relativeErrorOfDenominator: Double { sb.standardError / abs(sb.mean) }

    /// R̂ ± z_{1−α/2} SE.
    public func interval(alpha: Double) throws -> IntervalEstimate {
        let z = try StandardNormal.upperQuantile(alpha / 2)
        return IntervalEstimate(lower: ratio - z * standardError, upper: ratio + z * standardError, confidence: 1 - alpha)
    }
}
