import ZOCore

/// ZO-SGD-Cons: conservative ZO-SGD (ZO-Bench; `ZO-LLM` `zo-bench/trainer.py::zo_conserv_step`).
///
/// Per step, z regenerated from the step's noise key:
///   L₀ = L(θ);  g = (L(θ + εz) − L(θ − εz)) / (2ε)
///   L_a = L(θ − η g z);  L_b = L(θ + η g z)
///   keep the best of θ, θ − ηgz, θ + ηgz with the reference code's tie-breaking:
///     if L_a > L₀ { L₀ < L_b ? θ : θ + ηgz } else { L_a < L_b ? θ − ηgz : θ + ηgz }
/// Forward passes: 5. Backward: 0. State: none (0 bytes). The reported loss is L₀.
///
/// θ is moved in place: θ_t − εz → (fused restore) θ_t − ηgz → θ_t + ηgz → the chosen point,
/// so returning to θ_t (a rejected step) is exact only up to the rounding of three adds
/// (a few ulps, docs/architecture.md). A non-finite candidate loss counts as +∞ (never chosen;
/// the reference code's NaN comparisons could keep such a point). No weight-decay option: a
/// decay applied after the choice would void the "never worse than L₀" property the method
/// exists for (ZO-Bench uses none).
///
/// Block-restricted steps: only `blocks` move; `blockScales[b]` multiplies block b's candidate
/// displacement ±η g z (the candidates are then θ ∓ η g (s ⊙ z)).
///
/// Diagnostics: "choice" = +1 (θ − ηgz), 0 (θ kept), −1 (θ + ηgz).
///
/// Convergence budget (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, lr 0.02,
/// ε 1e-4, seed 1: loss < 1e-3 × initial within 300 steps.
public final class ZOSGDConservative<Scalar: ZOScalar>: BlockwiseOptimizer {
    public let name = "zo-sgd-cons"
    public let learningRate: Double
    public let epsilon: Double
    public let distribution: NoiseKind
    public let parameters: ParameterSet<Scalar>

    public init(parameters: ParameterSet<Scalar>, learningRate: Double, epsilon: Double = 1e-3,
                distribution: NoiseKind = .gaussian) {
        precondition(learningRate > 0 && epsilon > 0)
        self.parameters = parameters
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.distribution = distribution
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "eps": "\(epsilon)", "distribution": distribution.description]
    }

    public var stateBytes: Int { 0 }
    public func saveState() -> OptimizerState<Scalar> { OptimizerState() }
    public func loadState(_ state: OptimizerState<Scalar>) throws {}


    public func step(_ objective: any Objective<Scalar>, context: StepContext, blocks: [Int],
                     blockScales: [Double]?) throws -> StepReport {
        _ = TensorSlots.of(parameters, blocks: blocks, blockScales: blockScales)
        let eta = learningRate * context.learningRateMultiplier
        let key = context.noiseKey
        let kind = distribution
        let direction = StreamDirection<Scalar>(blocks: blocks, kind: kind)
        /// Adds (restore + c·s_b)·z per block.
        func move(restore: Double, _ c: Double) {
            if let blockScales {
                for (j, b) in blocks.enumerated() {
                    StreamDirection<Scalar>(blocks: [b], kind: kind)
                        .add(scale: restore + c * blockScales[j], key: key, to: parameters)
                }
            } else {
                direction.add(scale: restore + c, key: key, to: parameters)
            }
        }
        let l0 = try objective.loss()
        guard l0.isFinite else { throw OptimizerError.diverged(step: context.step, reason: "loss is not finite (\(l0))") }
        let e = try ZOStepSupport.estimate(objective, direction: direction, key: key, epsilon: epsilon, step: context.step)
        let d = eta * e.projectedGradient
        move(restore: epsilon, -d)                 // θ_t − εz → θ_t − ηgz
        let la: Double
        do { la = try objective.loss() } catch { move(restore: 0, d); throw error }
        move(restore: 0, 2 * d)                    // → θ_t + ηgz
        let lb: Double
        do { lb = try objective.loss() } catch { move(restore: 0, -d); throw error }
        let a = la.isFinite ? la : .infinity
        let b = lb.isFinite ? lb : .infinity
        let choice: Double
        if a > l0 {
            if l0 < b { move(restore: 0, -d); choice = 0 } else { choice = -1 }
        } else {
            if a < b { move(restore: 0, -2 * d); choice = 1 } else { choice = -1 }
        }
        return StepReport(step: context.step, loss: l0, losses: [l0, e.lossPlus, e.lossMinus, la, lb],
                          forwardPasses: 5, backwardPasses: 0, projectedGradients: [e.projectedGradient],
                          activeBlocks: blocks, stateBytes: 0, diagnostics: ["choice": choice])
    }
}

/// Registry entry for ``ZOSGDConservative``.
public enum ZOSGDConservativeFactory: OptimizerFactory {
    public static let name = "zo-sgd-cons"
    public static let summary = "ZO-SGD-Cons: keep the best of θ, θ − ηgz, θ + ηgz (5 forwards, no state)"
    public static let family = OptimizerFamily.zerothOrder
    public static let options: [OptionSpec] = [
        .real("lr", 1e-3, .positive, "learning rate η"),
        .real("eps", 1e-3, .positive, "perturbation scale ε"),
        ZOStepSupport.distributionOption,
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        ZOSGDConservative(parameters: parameters, learningRate: o.real("lr"), epsilon: o.real("eps"),
                          distribution: ZOStepSupport.distribution(o.choice("distribution")))
    }
}
