import ZOCore

/// Per-block squared gradient norms estimated from the ZO information of one step: the
/// projected gradient g of a Gaussian direction z over the active blocks A and the squared
/// noise norms ‖z_b‖² — what the Gauss-Southwell and bandit block rules feed on.
///
/// For g = ∇_Aᵀz_A (exact on quadratics up to O(ε²)), the lemma E[(zᵀGz)(z_k² − 1)] = 2G_kk
/// with G = ∇∇ᵀ gives E[½ g² (‖z_b‖² − n_b)] = ‖∇_b‖², and E[g²] = ‖∇_A‖² =
/// E[½ g² Σ_{a∈A}(‖z_a‖² − n_a)]. The estimator adds the zero-mean control variate
/// s_b · (g² − ½ g² Σ_{a∈A}(‖z_a‖² − n_a)) with the size share s_b = n_b / n_A:
///
///   â_b = g² [ s_b + ½(‖z_b‖² − n_b) − ½ s_b Σ_{a∈A}(‖z_a‖² − n_a) ]
///
/// It is unbiased for ‖∇_b‖² (for any fixed shares), the â_b of a step sum to g², and with a
/// single active block it is g² itself (variance 2‖∇_b‖⁴ instead of ≈ (n_b + 3)‖∇_b‖⁴ without
/// the control variate). With several active blocks of very different scale the small blocks'
/// estimates carry noise of order ‖∇_A‖² √(n_b/2) — a limit of one-direction ZO information.
///
/// For HiZOO the direction is Σ^{1/2}u: with u in place of z the estimate is of ∇_bᵀΣ_b∇_b,
/// i.e. the Gauss-Southwell-diagonal quantity ‖g_b‖²/H_b. Rademacher directions carry no such
/// information (‖z_b‖² = n_b always).
public enum BlockNormEstimator {
    /// The diagnostics key under which a base optimizer reports block `b`'s estimate.
    public static func diagnosticKey(_ block: Int) -> String { "blockNormSq\(block)" }

    /// â_b for the active blocks, from one direction.
    /// - Parameters:
    ///   - projectedGradient: g.
    ///   - squaredNorms: ‖z_b‖² per active block.
    ///   - sizes: n_b per active block.
    public static func estimates(projectedGradient g: Double, squaredNorms: [Double], sizes: [Int]) -> [Double] {
        precondition(squaredNorms.count == sizes.count)
        let total = Double(sizes.reduce(0, +))
        guard total > 0 else { return [] }
        var excess = 0.0
        for (q, n) in zip(squaredNorms, sizes) { excess += q - Double(n) }
        let g2 = g * g
        return zip(squaredNorms, sizes).map { q, n in
            let share = Double(n) / total
            return g2 * (share + 0.5 * (q - Double(n)) - 0.5 * share * excess)
        }
    }

    /// The mean of ``estimates(projectedGradient:squaredNorms:sizes:)`` over several
    /// directions (`squaredNorms[j]` belongs to `projectedGradients[j]`).
    public static func estimates(projectedGradients: [Double], squaredNorms: [[Double]], sizes: [Int]) -> [Double] {
        precondition(projectedGradients.count == squaredNorms.count && !projectedGradients.isEmpty)
        var mean = [Double](repeating: 0, count: sizes.count)
        for (g, q) in zip(projectedGradients, squaredNorms) {
            for (b, v) in estimates(projectedGradient: g, squaredNorms: q, sizes: sizes).enumerated() { mean[b] += v }
        }
        return mean.map { $0 / Double(projectedGradients.count) }
    }

    /// ‖z_b‖² of the Gaussian stream `key` over `range` (regenerated in chunks, summed in order).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func squaredNoiseNorm<S: ZOScalar>(_ scalar: S.Type, key: NoiseKey, range: Range<Int>) -> Double {
        var sum = 0.0
        Noise.forEachChunk(S.self, count: range.count, key: key, kind: .gaussian, first: range.lowerBound) { _, z in
            for v in z { sum += Double(v) * Double(v) }
        }
        return sum
    }
}
