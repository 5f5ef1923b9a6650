import ZOCore

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) with torch.optim's arithmetic,
/// t counted per parameter block:
///   g = ∇L(θ) + λ θ                         (Adam: coupled L2 on `decay-groups` tensors)
///   θ ← (1 − ηλ) θ                          (AdamW: decoupled, by default only on tensors of
///                                            rank ≥ 2, as nanoGPT's `configure_optimizers`)
///   m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²
///   θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
/// Defaults β₁ 0.9, β₂ 0.999, eps 1e-8; AdamW λ 0.1 (nanoGPT). Forward passes 1, backward 1
/// (throws ``OptimizerError/requiresGradient(_:)`` without a gradient). State: m and v, 2 × d
/// scalars in ZOCore slabs, one pair per block (measured). The d-scalar gradient buffer is
/// workspace, not state ("gradientBytes" diagnostic).
///
/// Block-restricted steps (``BlockwiseOptimizer``, BAdam — Luo et al. 2024): the gradient is
/// still computed in full (one backward), only `blocks` are updated, `blockScales[b]` scales
/// block b's gradient. ``activeBlocksChanged(to:reset:)`` resets m, v and t of entering blocks
/// (of every active block with `reset: .all`, BAdam's reference code) and releases those of
/// leaving blocks, so BCD-Adam's state is ∝ the active blocks.
///
/// Convergence budget (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, lr 0.05:
/// loss < 1e-6 × initial within 200 steps (Adam and AdamW alike: 1-D coordinates get no decay).
public final class Adam<Scalar: ZOScalar>: BlockwiseOptimizer {
    /// Which tensors AdamW decays.
    public enum DecoupledDecayGroups: String, CaseIterable, Sendable {
        /// Tensors of rank ≥ 2 (nanoGPT).
        case matrices
        case weights, all, none
    }

    public let name: String
    public let decoupled: Bool
    public let learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    /// Adam (coupled): groups of ``DecayGroups``; AdamW: ``DecoupledDecayGroups``.
    public let decayGroupsName: String
    private let decays: [Bool]
    public let parameters: ParameterSet<Scalar>
    private let gradient: Slab<Scalar>
    private let state: BlockStateSlabs<Scalar>

    /// `decoupled` = true is AdamW; `decayGroups` is a ``DecayGroups`` raw value (Adam) or a
    /// ``DecoupledDecayGroups`` raw value (AdamW).
    public init(parameters: ParameterSet<Scalar>, decoupled: Bool, learningRate: Double, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0, decayGroups: String) {
        precondition(learningRate > 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0 && weightDecay >= 0)
        self.name = decoupled ? "adamw" : "adam"
        self.decoupled = decoupled
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decayGroupsName = decayGroups
        if decoupled {
            let rule = DecoupledDecayGroups(rawValue: decayGroups)!
            self.decays = parameters.tensors.map { t in
                switch rule {
                case .matrices: return t.shape.rank >= 2
                case .weights: return DecayGroups.weights.decays(t)
                case .all: return true
                case .none: return false
                }
            }
        } else {
            let groups = DecayGroups(rawValue: decayGroups)!
            self.decays = parameters.tensors.map { groups.decays($0) }
        }
        self.gradient = Slab(count: parameters.count)
        self.state = BlockStateSlabs(names: ["m", "v"], blocks: parameters.blocks)
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "beta1": "\(beta1)", "beta2": "\(beta2)", "eps": "\(epsilon)",
         "weight-decay": "\(weightDecay)", "decay-groups": decayGroupsName]
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
        let loss = try FirstOrderSupport.lossAndGradient(objective, into: gradient, method: name, step: context.step)
        let eta = learningRate * context.learningRateMultiplier
        var counts: [Int: Int] = [:]
        for b in blocks {
            _ = state.slabs(b)                  // re-allocates (t = 0) a released block first
            counts[b] = state.advance(b)
        }
        for slot in slots {
            let buffers = state.slabs(slot.block)
            let t = Double(counts[slot.block]!)
            let decay = weightDecay > 0 && decays[slot.tensor]
            let r = slot.range
            let coupled: Scalar = decay && !decoupled ? Scalar(weightDecay) : 0
            let keep: Scalar = decay && decoupled ? Scalar(1 - eta * weightDecay) : 1
            let stepSize = Scalar(eta / (1 - Double.pow(beta1, t)))
            let sqrtBC2 = Scalar((1 - Double.pow(beta2, t)).squareRoot())
            let scale = Scalar(blockScales?[slot.position] ?? 1)
            let theta: UnsafeMutablePointer<Scalar> = parameters.values.base + r.lowerBound
            let g: UnsafePointer<Scalar> = UnsafePointer(gradient.base + r.lowerBound)
            ElementwiseKernels.adam(
                theta: theta, m: buffers[0].base + slot.offsetInBlock, v: buffers[1].base + slot.offsetInBlock,
                count: r.count, gradient: g, z: nil, gradientScale: scale, restore: 0, coupledDecay: coupled,
                keep: keep, beta1: Scalar(beta1), beta2: Scalar(beta2), stepSize: stepSize,
                sqrtBiasCorrection2: sqrtBC2, epsilon: Scalar(epsilon))
        }
        return StepReport(step: context.step, loss: loss, losses: [loss], forwardPasses: 1, backwardPasses: 1,
                          projectedGradients: [], activeBlocks: blocks, stateBytes: stateBytes,
                          diagnostics: ["gradientBytes": Double(gradient.byteCount)])
    }
}

/// Registry entry for ``Adam`` (coupled L2 decay).
public enum AdamFactory: OptimizerFactory {
    public static let name = "adam"
    public static let summary = "Adam (torch.optim.Adam; coupled L2 decay), per-block state for BCD (1 forward + 1 backward, 2d state)"
    public static let family = OptimizerFamily.firstOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("beta1", 0.9, .unitOpen, "first-moment decay β₁"),
        .real("beta2", 0.999, .unitOpen, "second-moment decay β₂"),
        .real("eps", 1e-8, .positive, "denominator epsilon"),
        .real("weight-decay", 0, .nonNegative, "weight decay λ (coupled L2)"),
        DecayGroups.option,
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        Adam(parameters: parameters, decoupled: false, learningRate: o.real("lr"), beta1: o.real("beta1"),
             beta2: o.real("beta2"), epsilon: o.real("eps"), weightDecay: o.real("weight-decay"),
             decayGroups: o.choice("decay-groups"))
    }
}
