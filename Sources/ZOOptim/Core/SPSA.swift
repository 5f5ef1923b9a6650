import ZOCore

/// The SPSA projected-gradient estimate shared by every ZO method.
///
/// Two-sided: g = (L(θ + εz) − L(θ − εz)) / (2ε); one-sided: g = (L(θ + εz) − L(θ)) / ε.
/// E[g·z] = ∇L + O(ε²) (two-sided, Gaussian z); exact for quadratics.
public enum SPSA {
    public struct Estimate: Sendable, Hashable {
        public var projectedGradient: Double
        /// L(θ + εz).
        public var lossPlus: Double
        /// L(θ − εz) (two-sided) or L(θ) (one-sided).
        public var lossMinus: Double
        public var forwardPasses: Int
    }

    /// Where θ is left after the estimate.
    public enum Placement: Sendable {
        /// θ restored to θ + 0·z (three adds: +ε, −2ε, +ε; Float32 drifts by a few ulps).
        case restored
        /// θ left at θ − εz (two-sided) or θ + εz (one-sided), so the caller fuses the restore
        /// with its update: add (ε − η g)·z (two-sided) or (−ε − η g)·z (one-sided).
        case displaced
    }

    /// Two-sided estimate along `direction`. On a non-finite loss θ is restored and
    /// ``OptimizerError/diverged(step:reason:)`` is thrown.
    public static func twoSided<S: ZOScalar>(
        _ objective: any Objective<S>, direction: some PerturbationDirection<S>, key: NoiseKey,
        epsilon: Double, leave placement: Placement, step: Int
    ) throws -> Estimate {
        let p = objective.parameters
        direction.add(scale: epsilon, key: key, to: p)
        let plus: Double
        do { plus = try objective.loss() } catch { direction.add(scale: -epsilon, key: key, to: p); throw error }
        direction.add(scale: -2 * epsilon, key: key, to: p)
        let minus: Double
        do { minus = try objective.loss() } catch { direction.add(scale: epsilon, key: key, to: p); throw error }
        guard plus.isFinite && minus.isFinite else {
            direction.add(scale: epsilon, key: key, to: p)
            throw OptimizerError.diverged(step: step, reason: "loss is not finite (L₊ = \(plus), L₋ = \(minus))")
        }
        if placement == .restored { direction.add(scale: epsilon, key: key, to: p) }
        return Estimate(projectedGradient: (plus - minus) / (2 * epsilon), lossPlus: plus, lossMinus: minus,
                        forwardPasses: 2)
    }

    /// One-sided estimate; `baseLoss` = L(θ) if already known (saves a forward).
    public static func oneSided<S: ZOScalar>(
        _ objective: any Objective<S>, direction: some PerturbationDirection<S>, key: NoiseKey,
        epsilon: Double, baseLoss: Double?, leave placement: Placement, step: Int
    ) throws -> Estimate {
        let p = objective.parameters
        var forwards = 0
        let base: Double
        if let baseLoss { base = baseLoss } else { base = try objective.loss(); forwards += 1 }
        direction.add(scale: epsilon, key: key, to: p)
        let plus: Double
        do { plus = try objective.loss() } catch { direction.add(scale: -epsilon, key: key, to: p); throw error }
        forwards += 1
        guard plus.isFinite && base.isFinite else {
            direction.add(scale: -epsilon, key: key, to: p)
            throw OptimizerError.diverged(step: step, reason: "loss is not finite (L = \(base), L₊ = \(plus))")
        }
        if placement == .restored { direction.add(scale: -epsilon, key: key, to: p) }
        return Estimate(projectedGradient: (plus - base) / epsilon, lossPlus: plus, lossMinus: base, forwardPasses: forwards)
    }
}
