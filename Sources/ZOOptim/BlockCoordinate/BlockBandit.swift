import ZOCore

/// The bandit block sampler: learns a distribution q over D blocks toward the variance-optimal
/// q_b ∝ ‖g_b‖ (JointSpar, Liu & Mozafari 2022; the seed 000 rebuttal's bound term
/// Σ_b ‖g_b‖²/q_b is minimised on the simplex by q_b = ‖g_b‖ / Σ‖g‖). No public code exists;
/// this is ZOLab's rule, EXP3-style exponentiated-gradient (mirror) descent on that term:
///
/// - Distribution: q = (1 − γ)·softmax(ℓ) + γ/D over log-weights ℓ (initially 0, so q is
///   uniform); Σq = 1 and q_b ≥ γ/D always.
/// - Selection (``BlockCoordinateDescent``): inclusion probabilities π = k·q, capped at 1
///   (``BlockSchedule/inclusionProbabilities(_:activeCount:)``), a set drawn with them
///   (systematic or Bernoulli), updates scaled by 1/π_b.
/// - Reward, after the set's period: for each active block, ā_b = the mean over the period's
///   steps of the ZO block estimate of ‖g_b‖² (``BlockNormEstimator``: unbiased, may be
///   negative). The importance-weighted estimate of −∂V/∂q_b = ‖g_b‖²/q_b² is
///   r_b = ā_b / (π_b q_b²) for active b, 0 otherwise (unbiased since P(b active) = π_b).
/// - Scale: r is divided by V̄, an exponential moving average (weight β = 0.05) of the
///   importance-weighted estimate V̂ = Σ_active ā_b/(π_b q_b) of V(q) = Σ_b ‖g_b‖²/q_b, so the
///   rewards are dimensionless (at the optimum every E[r_b]/V = 1). V̄ starts at the first
///   positive V̂; while V̄ ≤ 0 no update is made.
/// - Update: ℓ_b ← ℓ_b + η_b · r_b / V̄ (η_b = `bandit-lr`, default 0.03), each increment
///   clamped to [−50, 50]; then ℓ ← ℓ − max ℓ and ℓ_b ← max(ℓ_b, −50) so the weights stay
///   finite and a block can recover. Non-finite rewards are ignored.
///
/// In expectation the update follows −∇V (rescaled), whose fixed point on the mixed simplex is
/// q_b ∝ ‖g_b‖ (for blocks above the floor γ/D). Per-round rewards are heavy-tailed (1/(π q²)),
/// so no clipping beyond the numerical guard is applied: clipping biases the expected step and
/// was seen to collapse q onto the largest block in simulation. With several co-active blocks
/// of very different scale, a small block's estimate carries noise ≈ ‖g_A‖²√(n_b/2) (see
/// ``BlockNormEstimator``), so learning is slow for k > 1; with k = 1 the estimate is g².
public struct BlockBandit: Sendable, Hashable {
    public private(set) var logWeights: [Double]
    /// V̄ (nil until the first positive V̂).
    public private(set) var normaliser: Double?
    public let gamma: Double
    public let learningRate: Double

    public static let normaliserDecay = 0.05
    public static let logWeightFloor = -50.0

    public init(blockCount: Int, gamma: Double, learningRate: Double) {
        precondition(blockCount >= 1 && gamma > 0 && gamma <= 1 && learningRate > 0)
        logWeights = [Double](repeating: 0, count: blockCount)
        self.gamma = gamma
        self.learningRate = learningRate
    }

    public var blockCount: Int { logWeights.count }

    /// q = (1 − γ) softmax(ℓ) + γ/D.
    public var probabilities: [Double] {
        let m = logWeights.max() ?? 0
        let w = logWeights.map { Double.exp($0 - m) }
        let total = w.reduce(0, +)
        let d = Double(blockCount)
        return w.map { (1 - gamma) * $0 / total + gamma / d }
    }

    /// One round: `active` blocks were selected with inclusion probabilities `inclusion` from
    /// the distribution `q` and produced the mean estimates `estimates` (same order as `active`).
    public mutating func update(active: [Int], estimates: [Double], q: [Double], inclusion: [Double]) {
        precondition(active.count == estimates.count && q.count == blockCount && inclusion.count == blockCount)
        var rewards: [(Int, Double)] = []
        var vHat = 0.0
        for (b, a) in zip(active, estimates) where a.isFinite {
            let r = a / (inclusion[b] * q[b] * q[b])
            guard r.isFinite else { continue }
            rewards.append((b, r))
            vHat += a / (inclusion[b] * q[b])
        }
        guard vHat.isFinite else { return }
        if let v = normaliser {
            normaliser = (1 - Self.normaliserDecay) * v + Self.normaliserDecay * vHat
        } else if vHat > 0 {
            normaliser = vHat
        }
        guard let v = normaliser, v > 0 else { return }
        for (b, r) in rewards {
            let step = learningRate * r / v
            guard step.isFinite else { continue }
            logWeights[b] += min(max(step, -50), 50)
        }
        let m = logWeights.max()!
        logWeights = logWeights.map { max($0 - m, Self.logWeightFloor) }
    }

    /// Restores a saved bandit (``BlockCoordinateDescent/loadState(_:)``).
    mutating func restore(logWeights: [Double], normaliser: Double?) {
        precondition(logWeights.count == blockCount)
        self.logWeights = logWeights
        self.normaliser = normaliser
    }
}
