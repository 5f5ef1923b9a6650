import ZOCore

/// MeZO / ZO-SGD (Malladi et al. 2023; `princeton-nlp/MeZO` `large_models/trainer.py`,
/// `zo_step` + `zo_update`).
///
/// Per step, with z ~ N(0, I) regenerated from the step's noise key (q directions: keys
/// `noiseKey.derived(i)`):
///   g_i = (L(θ + εz_i) − L(θ − εz_i)) / (2ε)           (two-sided; one-sided: (L(θ+εz) − L(θ))/ε)
///   θ ← θ − η ((1/q) Σ g_i z_i + λ θ)                  (λ only on `decay-groups` tensors)
/// Forward passes: 2q (two-sided) or q + 1 (one-sided). State: none (0 bytes).
///
/// Float32 note: with λ = 0 and q = 1 the restore θ − εz → θ is fused with the update (one
/// add of (ε − ηg)·z), so θ is written three times per step, not four; otherwise restore and
/// update are separate adds and θ drifts by a few ulps per step (docs/architecture.md).
///
/// Convergence budgets (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, ε 1e-4,
/// lr 0.02, seed 1: loss < 1e-3 × initial within 3000 steps (q = 1); < 1e-12 within 1000 steps
/// with q = 4; < 1e-6 within 3000 steps one-sided.
public final class MeZO<Scalar: ZOScalar>: BlockwiseOptimizer {
    public let name = "mezo"
    public let learningRate: Double
    public let epsilon: Double
    public let directions: Int
    public let oneSided: Bool
    public let weightDecay: Double
    public let decayGroups: DecayGroups
    public let distribution: NoiseKind
    public let parameters: ParameterSet<Scalar>

    public init(parameters: ParameterSet<Scalar>, learningRate: Double, epsilon: Double = 1e-3, directions: Int = 1,
                oneSided: Bool = false, weightDecay: Double = 0, decayGroups: DecayGroups = .weights,
                distribution: NoiseKind = .gaussian) {
        precondition(learningRate > 0 && epsilon > 0 && directions >= 1 && weightDecay >= 0)
        self.parameters = parameters
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.directions = directions
        self.oneSided = oneSided
        self.weightDecay = weightDecay
        self.decayGroups = decayGroups
        self.distribution = distribution
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "eps": "\(epsilon)", "q": "\(directions)", "one-sided": "\(oneSided)",
         "weight-decay": "\(weightDecay)", "decay-groups": decayGroups.rawValue, "distribution": distribution.description]
    }

    public var stateBytes: Int { 0 }
    public func saveState() -> OptimizerState<Scalar> { OptimizerState() }
    public func loadState(_ state: OptimizerState<Scalar>) throws {}


    public func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
                     blockScales: [Double]?) throws -> StepReport {
        precondition(blockScales == nil || blockScales!.count == blocks.count, "one scale per active block")
        let eta = learningRate * context.learningRateMultiplier
        let direction = StreamDirection<Scalar>(blocks: blocks, kind: distribution)
        let fused = directions == 1 && (weightDecay == 0 || decayGroups == .none) && blockScales == nil
        var losses: [Double] = []
        var gradients: [Double] = []
        var forwards = 0
        var baseLoss: Double? = nil
        var lossEstimate = 0.0
        if oneSided {
            baseLoss = try objective.loss()
            forwards += 1
            guard baseLoss!.isFinite else {
                throw OptimizerError.diverged(step: context.step, reason: "loss is not finite (\(baseLoss!))")
            }
            losses.append(baseLoss!)
            lossEstimate = baseLoss!
        }
        for i in 0..<directions {
            let e: SPSA.Estimate
            if oneSided {
                e = try SPSA.oneSided(objective, direction: direction, key: key(i, context), epsilon: epsilon,
                                      baseLoss: baseLoss, leave: fused ? .displaced : .restored, step: context.step)
                losses.append(e.lossPlus)
            } else {
                e = try SPSA.twoSided(objective, direction: direction, key: key(i, context), epsilon: epsilon,
                                      leave: fused ? .displaced : .restored, step: context.step)
                losses.append(contentsOf: [e.lossPlus, e.lossMinus])
                lossEstimate += 0.5 * (e.lossPlus + e.lossMinus) / Double(directions)
            }
            forwards += e.forwardPasses
            gradients.append(e.projectedGradient)
        }
        guard gradients.allSatisfy({ $0.isFinite }) else {
            throw OptimizerError.diverged(step: context.step, reason: "projected gradient is not finite")
        }
        if fused {
            // θ is at θ − εz (two-sided) or θ + εz (one-sided): restore and update in one add.
            let restore = oneSided ? -epsilon : epsilon
            direction.add(scale: restore - eta * gradients[0], key: context.noiseKey, to: parameters)
        } else {
            WeightDecay.apply(factor: eta * weightDecay, groups: decayGroups, to: parameters, blocks: blocks)
            for (i, g) in gradients.enumerated() {
                if let blockScales {
                    for (j, b) in blocks.enumerated() {
                        StreamDirection<Scalar>(blocks: [b], kind: distribution)
                            .add(scale: -eta * g * blockScales[j] / Double(directions), key: key(i, context), to: parameters)
                    }
                } else {
                    direction.add(scale: -eta * g / Double(directions), key: key(i, context), to: parameters)
                }
            }
        }
        return StepReport(step: context.step, loss: lossEstimate, losses: losses, forwardPasses: forwards,
                          backwardPasses: 0, projectedGradients: gradients,
                          activeBlocks: blocks, stateBytes: stateBytes)
    }

    /// Noise key of direction `i` (the step key itself when q = 1).
    private func key(_ i: Int, _ context: StepContext) -> NoiseKey {
        directions == 1 ? context.noiseKey : context.noiseKey.derived(UInt64(i))
    }
}

/// Registry entry for ``MeZO``.
public enum MeZOFactory: OptimizerFactory {
    public static let name = "mezo"
    public static let summary = "MeZO / ZO-SGD: SPSA along a Gaussian direction, θ ← θ − η g z (2 forwards, no state)"
    public static let family = OptimizerFamily.zerothOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("eps", 1e-3, .positive, "perturbation scale ε"),
        .integer("q", 1, .atLeast(1), "directions averaged per step"),
        .flag("one-sided", false, "one-sided difference (L(θ+εz) − L(θ))/ε"),
        .real("weight-decay", 0, .nonNegative, "weight decay λ"),
        DecayGroups.option,
        .choice("distribution", "gaussian", ["gaussian", "rademacher"], "distribution of z"),
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        MeZO(parameters: parameters, learningRate: o.real("lr"), epsilon: o.real("eps"), directions: o.integer("q"),
             oneSided: o.flag("one-sided"), weightDecay: o.real("weight-decay"),
             decayGroups: DecayGroups(rawValue: o.choice("decay-groups"))!,
             distribution: o.choice("distribution") == "gaussian" ? .gaussian : .rademacher)
    }
}
