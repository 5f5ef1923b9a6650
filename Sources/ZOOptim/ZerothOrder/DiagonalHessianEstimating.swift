import ZOCore

/// One HiZOO step's raw estimates, without any update (verification hook: CHECKS.md claims
/// 2 and 3 test exactly these).
public struct HessianEstimate: Sendable, Hashable {
    /// ĝ = g Σ^{1/2} u (d entries, 0 outside the estimated blocks), with the Σ used for the
    /// perturbation; with n samples and `gradient-samples = all`, the mean over the samples.
    /// E[ĝ] = Σ ∇L + O(μ) (exact on quadratics up to rounding).
    public var gradient: [Double]
    /// Ĥ before the absolute value of Eq. 6 (d entries, 0 outside), averaged over n samples.
    public var hessian: [Double]
    /// Σ_ii = 1/H_ii used by the perturbation (d entries, 0 outside).
    public var sigma: [Double]
    /// L₀, L₊¹, L₋¹, …, L₊ⁿ, L₋ⁿ.
    public var losses: [Double]
    /// g_j = (L₊ʲ − L₋ʲ)/(2μ).
    public var projectedGradients: [Double]
}

/// A HiZOO-family optimizer whose diagonal Hessian can be inspected, set and fed directly —
/// the hooks the theory checks (claims 2, 3, 9) drive.
public protocol DiagonalHessianEstimating<Scalar>: BlockwiseOptimizer {
    /// The estimates one step with noise key `key` would form on `blocks` (all when nil), at
    /// the current θ and H. θ is restored bit-exactly; H is not changed.
    func estimate(_ objective: any Objective<Scalar>, key: NoiseKey, blocks: [Int]?) throws -> HessianEstimate

    /// The current diagonal H (d entries; elements of blocks that hold no H — B-PDF's
    /// inactive blocks — are NaN).
    func hessianDiagonal() -> [Double]

    /// Sets H (d entries, each within [h-min, h-max]); a factored store keeps the best rank-1
    /// factor of each matrix (exact when the matrix's diagonal is an outer product).
    func setHessianDiagonal(_ values: [Double]) throws

    /// Applies the EMA of Eq. 6 with the configured α and clamps to a raw estimate Ĥ (d
    /// entries, e.g. ``HessianEstimate/hessian``): H ← (1 − α) H + α |Ĥ|.
    func absorb(_ estimate: [Double])
}
