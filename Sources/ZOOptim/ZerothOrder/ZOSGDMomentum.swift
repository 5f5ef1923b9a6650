import ZOCore

/// ZO-SGD-MMT: ZO-SGD with heavy-ball momentum (ZO-Bench, Zhang et al. 2024; `ZO-LLM`
/// `zo-bench/trainer.py::zo_step` with `torch.optim.SGD(momentum=β)` fed the estimate g·z).
///
/// Per step, z ~ N(0, I) regenerated from the step's noise key:
///   g = (L(θ + εz) − L(θ − εz)) / (2ε)
///   m ← β m + g z + λ θ          (λ: coupled L2 on `decay-groups` tensors, as torch's SGD)
///   θ ← θ − η m
/// The restore θ − εz → θ is fused with the update (θᵢ += εzᵢ − η mᵢ: θ written once per
/// element). Forward passes: 2. Backward: 0. State: m, d scalars (measured: d × scalar size),
/// held per parameter block.
///
/// Block-restricted steps (``BlockwiseOptimizer``): only the active blocks' momentum is read
/// and written; `blockScales[b]` multiplies block b's estimate g·z before it enters m. On
/// ``activeBlocksChanged(to:reset:)`` the buffers of blocks that left are released and those of
/// blocks that entered (with `reset: .all`, every active block) restart from 0 (the BAdam rule
/// applied to momentum).
///
/// Convergence budget (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, lr 0.002,
/// β 0.9, ε 1e-4, seed 1: loss < 1e-3 × initial within 500 steps.
public final class ZOSGDMomentum<Scalar: ZOScalar>: BlockwiseOptimizer {
    public let name = "zo-sgd-mmt"
    public let learningRate: Double
    public let epsilon: Double
    public let beta: Double
    public let weightDecay: Double
    public let decayGroups: DecayGroups
    public let distribution: NoiseKind
    public let parameters: ParameterSet<Scalar>
    private let state: BlockStateSlabs<Scalar>

    public init(parameters: ParameterSet<Scalar>, learningRate: Double, epsilon: Double = 1e-3, beta: Double = 0.9,
                weightDecay: Double = 0, decayGroups: DecayGroups = .weights, distribution: NoiseKind = .gaussian) {
        precondition(learningRate > 0 && epsilon > 0 && (0..<1).contains(beta) && weightDecay >= 0)
        self.parameters = parameters
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.beta = beta
        self.weightDecay = weightDecay
        self.decayGroups = decayGroups
        self.distribution = distribution
        self.state = BlockStateSlabs(names: ["momentum"], blocks: parameters.blocks)
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "eps": "\(epsilon)", "beta": "\(beta)", "weight-decay": "\(weightDecay)",
         "decay-groups": decayGroups.rawValue, "distribution": distribution.description]
    }

    public var stateBytes: Int { state.byteCount }

    public func saveState() -> OptimizerState<Scalar> {
        var s = OptimizerState<Scalar>()
        state.save(into: &s)
        return s
    }

    public func loadState(_ s: OptimizerState<Scalar>) throws { try state.load(from: s) }

    public func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset) {
        state.activeBlocksChanged(to: blocks, reset: reset)
    }


    public func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
                     blockScales: [Double]?) throws -> StepReport {
        let slots = TensorSlots.of(parameters, blocks: blocks, blockScales: blockScales)
        let eta = learningRate * context.learningRateMultiplier
        let key = context.noiseKey
        let direction = StreamDirection<Scalar>(blocks: blocks, kind: distribution)
        let e = try ZOStepSupport.estimate(objective, direction: direction, key: key, epsilon: epsilon, step: context.step)
        let g = e.projectedGradient
        for b in blocks { _ = state.slabs(b) }   // re-allocates a released block before counting
        for slot in slots {
            let buffer = state.slabs(slot.block)[0].base + slot.offsetInBlock
            let decays = weightDecay > 0 && decayGroups.decays(parameters.tensors[slot.tensor])
            let a = Scalar(g * (blockScales?[slot.position] ?? 1))
            let lambda = Scalar(decays ? weightDecay : 0)
            let theta = parameters.values.base
            let start = slot.range.lowerBound
            ElementwiseKernels.sweep(Scalar.self, range: slot.range, key: key, kind: distribution) { first, z, n in
                ElementwiseKernels.zoMomentum(
                    theta: theta + first, momentum: buffer + (first - start), z: z, count: n, gradientScale: a,
                    restore: Scalar(epsilon), decay: lambda, beta: Scalar(beta), learningRate: Scalar(eta))
            }
        }
        for b in blocks { _ = state.advance(b) }
        return StepReport(step: context.step, loss: 0.5 * (e.lossPlus + e.lossMinus), losses: [e.lossPlus, e.lossMinus],
                          forwardPasses: 2, backwardPasses: 0, projectedGradients: [g], activeBlocks: blocks,
                          stateBytes: stateBytes)
    }
}

/// Registry entry for ``ZOSGDMomentum``.
public enum ZOSGDMomentumFactory: OptimizerFactory {
    public static let name = "zo-sgd-mmt"
    public static let summary = "ZO-SGD-MMT: SPSA estimate g·z into heavy-ball momentum, θ ← θ − η m (2 forwards, d state)"
    public static let family = OptimizerFamily.zerothOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("eps", 1e-3, .positive, "perturbation scale ε"),
        .real("beta", 0.9, .unitOpen, "momentum β"),
        .real("weight-decay", 0, .nonNegative, "weight decay λ (coupled L2, enters the momentum)"),
        DecayGroups.option,
        ZOStepSupport.distributionOption,
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        ZOSGDMomentum(parameters: parameters, learningRate: o.real("lr"), epsilon: o.real("eps"), beta: o.real("beta"),
                      weightDecay: o.real("weight-decay"), decayGroups: DecayGroups(rawValue: o.choice("decay-groups"))!,
                      distribution: ZOStepSupport.distribution(o.choice("distribution")))
    }
}
