import ZOCore

/// Pieces shared by the ZO-family methods (ZO-SGD-MMT / -Cons / -Sign, ZO-Adam, Sparse MeZO,
/// SubZero): the guarded two-sided estimate and the linear update along a regenerated direction.
enum ZOStepSupport {
    /// Two-sided SPSA along `direction`, θ left at θ_t − εz (for a fused restore). A non-finite
    /// loss or estimate restores θ (up to the rounding of the in-place adds) and throws
    /// ``OptimizerError/diverged(step:reason:)``.
    static func estimate<S: ZOScalar>(
        _ objective: any Objective<S>, direction: some PerturbationDirection<S>, key: NoiseKey,
        epsilon: Double, step: Int
    ) throws -> SPSA.Estimate {
        let e = try SPSA.twoSided(objective, direction: direction, key: key, epsilon: epsilon,
                                  leave: .displaced, step: step)
        guard e.projectedGradient.isFinite else {
            direction.add(scale: epsilon, key: key, to: objective.parameters)
            throw OptimizerError.diverged(step: step, reason: "projected gradient is not finite")
        }
        return e
    }

    /// From θ_t − εz (after ``estimate``) to θ_t − η (s_b·c·z + λ θ_t) on every active block b,
    /// λ only on the tensors of `groups`, s_b = `blockScales[b]` (1 when nil).
    ///
    /// Without decay the restore is fused with the update: one add of (ε − η s_b c)·z per block,
    /// θ written once (as MeZO). With decay: add εz, scale by (1 − ηλ), add −η s_b c z.
    static func linearUpdate<S: ZOScalar, D: PerturbationDirection<S>>(
        _ parameters: ParameterSet<S>, blocks: [Int], blockScales: [Double]?, direction: D,
        restricted: ([Int]) -> D, key: NoiseKey, epsilon: Double, learningRate eta: Double,
        coefficient c: Double, weightDecay: Double, groups: DecayGroups
    ) {
        if weightDecay > 0 && groups != .none {
            direction.add(scale: epsilon, key: key, to: parameters)
            WeightDecay.apply(factor: eta * weightDecay, groups: groups, to: parameters, blocks: blocks)
            if let blockScales {
                for (j, b) in blocks.enumerated() {
                    restricted([b]).add(scale: -eta * c * blockScales[j], key: key, to: parameters)
                }
            } else {
                direction.add(scale: -eta * c, key: key, to: parameters)
            }
        } else if let blockScales {
            for (j, b) in blocks.enumerated() {
                restricted([b]).add(scale: epsilon - eta * c * blockScales[j], key: key, to: parameters)
            }
        } else {
            direction.add(scale: epsilon - eta * c, key: key, to: parameters)
        }
    }

    /// "gaussian" / "rademacher" option → NoiseKind.
    static func distribution(_ text: String) -> NoiseKind { text == "rademacher" ? .rademacher : .gaussian }

    static let distributionOption = OptionSpec.choice("distribution", "gaussian", ["gaussian", "rademacher"],
                                                      "distribution of z")
}
