import ZOCore

/// Exact gradient descent, θ ← θ − η ∇L(θ) — the oracle lower bound for ZO-SGD on functions
/// with an exact gradient (family `oracle`; on a stochastic objective it is SGD on that batch).
/// Forward passes 1, backward 1. State: none (0 bytes; the gradient buffer is workspace).
/// Throws ``OptimizerError/requiresGradient(_:)`` without a gradient.
///
/// Convergence budget (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, lr 0.1:
/// loss < 1e-8 × initial within 100 steps (rate (1 − η λ_min)² = 0.81 per step).
public final class GradientDescent<Scalar: ZOScalar>: Optimizer {
    public let name = "gd"
    public let learningRate: Double
    private let parameters: ParameterSet<Scalar>
    private let gradient: Slab<Scalar>

    public init(parameters: ParameterSet<Scalar>, learningRate: Double) {
        precondition(learningRate > 0)
        self.parameters = parameters
        self.learningRate = learningRate
        self.gradient = Slab(count: parameters.count)
    }

    public var settings: [String: String] { ["lr": "\(learningRate)"] }
    public var stateBytes: Int { 0 }
    public func saveState() -> OptimizerState<Scalar> { OptimizerState() }
    public func loadState(_ state: OptimizerState<Scalar>) throws {}

    public func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport {
        let loss = try FirstOrderSupport.lossAndGradient(objective, into: gradient, method: name, step: context.step)
        ElementwiseKernels.sgd(theta: parameters.values.base, momentum: nil, gradient: gradient.base, count: parameters.count,
                               gradientScale: 1, decay: 0, mu: 0, nesterov: false,
                               learningRate: Scalar(learningRate * context.learningRateMultiplier))
        return StepReport(step: context.step, loss: loss, losses: [loss], forwardPasses: 1, backwardPasses: 1,
                          projectedGradients: [], activeBlocks: Array(parameters.blocks.indices), stateBytes: 0,
                          diagnostics: ["gradientBytes": Double(gradient.byteCount)])
    }
}

/// Registry entry for ``GradientDescent``.
public enum GradientDescentFactory: OptimizerFactory {
    public static let name = "gd"
    public static let summary = "Exact gradient descent θ ← θ − η∇L (oracle; 1 forward + 1 backward)"
    public static let family = OptimizerFamily.oracle
    public static let options: [OptionSpec] = [.real("lr", 0.1, .positive, "learning rate η")]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        GradientDescent(parameters: parameters, learningRate: o.real("lr"))
    }
}
