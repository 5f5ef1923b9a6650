import ZOCore

/// One optimizer over the parameters of an ``Objective`` (ZOCore).
///
/// An optimizer is built for one ``ParameterSet`` (it may allocate state sized to it) and is
/// stepped by a driver (``OptimizationRun``) that selects the step's minibatch first. Each
/// `step` returns a ``StepReport``. Randomness comes only from `context.noiseKey`, so the same
/// run seed gives a bit-identical trajectory on every run and thread count.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: ZOScalar

    /// Registry id, e.g. "mezo".
    var name: String { get }

    /// The hyper-parameters in effect, as text (for reports and figure titles).
    var settings: [String: String] { get }

    /// Performs one update of `objective.parameters`.
    /// - Throws: ``OptimizerError/diverged(step:reason:)`` when a loss, estimate or θ becomes
    ///   non-finite (θ is then restored to its value before the step, up to the rounding of
    ///   in-place adds, whenever the method can restore it), or whatever the objective throws.
    func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport

    /// Bytes of optimizer state held now, summed over the actual buffers (``Slab/byteCount``).
    var stateBytes: Int { get }

    /// Everything needed to continue bit-identically after a restart.
    func saveState() -> OptimizerState<Scalar>

    /// Restores a state produced by `saveState()` of an optimizer built with the same settings
    /// for the same parameter layout.
    func loadState(_ state: OptimizerState<Scalar>) throws
}

/// What the driver tells an optimizer about the current step.
public struct StepContext: Sendable, Hashable {
    /// 0-based step index.
    public var step: Int
    /// The run's seed; the step's noise stream is `NoiseKey(seed: runSeed, stream: step)`.
    public var runSeed: UInt64
    /// Multiplies the optimizer's learning rate (schedules; 1 = constant).
    public var learningRateMultiplier: Double

    public init(step: Int, runSeed: UInt64, learningRateMultiplier: Double = 1) {
        self.step = step
        self.runSeed = runSeed
        self.learningRateMultiplier = learningRateMultiplier
    }

    /// The step's perturbation stream. Methods needing several independent streams in one
    /// step use `noiseKey.derived(i)`.
    public var noiseKey: NoiseKey { NoiseKey(seed: runSeed, stream: UInt64(step)) }
}

/// What one step did. Counts are exact (the methods count their own calls).
public struct StepReport: Codable, Sendable, Hashable {
    public var step: Int
    /// The method's estimate of L(θ_t) on the step's batch: L(θ_t) when evaluated (HiZOO's L₀,
    /// first-order methods), else the mean of the ± perturbed losses.
    public var loss: Double
    /// Every loss evaluated during the step, in evaluation order.
    public var losses: [Double]
    public var forwardPasses: Int
    public var backwardPasses: Int
    /// The scalar projected gradient(s) (L₊ − L₋)/(2ε) of ZO methods; empty for FO methods.
    public var projectedGradients: [Double]
    /// Indices of the parameter blocks perturbed / updated this step.
    public var activeBlocks: [Int]
    /// Optimizer state bytes after the step (``Optimizer/stateBytes``).
    public var stateBytes: Int
    /// Method-specific diagnostics (e.g. "hessianMin", "banditEntropy").
    public var diagnostics: [String: Double]

    public init(step: Int, loss: Double, losses: [Double], forwardPasses: Int, backwardPasses: Int,
                projectedGradients: [Double], activeBlocks: [Int], stateBytes: Int,
                diagnostics: [String: Double] = [:]) {
        self.step = step
        self.loss = loss
        self.losses = losses
        self.forwardPasses = forwardPasses
        self.backwardPasses = backwardPasses
        self.projectedGradients = projectedGradients
        self.activeBlocks = activeBlocks
        self.stateBytes = stateBytes
        self.diagnostics = diagnostics
    }
}

/// A serialisable optimizer state: named buffers in the parameter scalar type, small Double
/// vectors (e.g. bandit weights) and integers (counters, current block schedule position).
public struct OptimizerState<Scalar: ZOScalar>: Sendable, Equatable {
    public var buffers: [String: [Scalar]]
    public var vectors: [String: [Double]]
    public var integers: [String: Int]

    public init(buffers: [String: [Scalar]] = [:], vectors: [String: [Double]] = [:], integers: [String: Int] = [:]) {
        self.buffers = buffers
        self.vectors = vectors
        self.integers = integers
    }

    /// Throws unless buffer `name` exists with `count` elements.
    public func buffer(_ name: String, count: Int) throws -> [Scalar] {
        guard let b = buffers[name] else { throw OptimizerError.invalidState("missing buffer \(name)") }
        guard b.count == count else {
            throw OptimizerError.invalidState("buffer \(name) has \(b.count) elements, expected \(count)")
        }
        return b
    }

    public func integer(_ name: String) throws -> Int {
        guard let v = integers[name] else { throw OptimizerError.invalidState("missing integer \(name)") }
        return v
    }

    public func vector(_ name: String, count: Int? = nil) throws -> [Double] {
        guard let v = vectors[name] else { throw OptimizerError.invalidState("missing vector \(name)") }
        if let count, v.count != count {
            throw OptimizerError.invalidState("vector \(name) has \(v.count) elements, expected \(count)")
        }
        return v
    }
}

/// Errors of the optimizer layer.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    case unknownOptimizer(String, known: [String])
    case unknownOption(optimizer: String, option: String, known: [String])
    case invalidOption(optimizer: String, option: String, reason: String)
    case diverged(step: Int, reason: String)
    case requiresGradient(String)
    case requiresHessian(String)
    case invalidState(String)

    public var description: String {
        switch self {
        case .unknownOptimizer(let name, let known):
            return "unknown optimizer '\(name)'; known: \(known.joined(separator: ", "))"
        case .unknownOption(let optimizer, let option, let known):
            return "\(optimizer) has no option '\(option)'; its options: \(known.joined(separator: ", "))"
        case .invalidOption(let optimizer, let option, let reason):
            return "\(optimizer): invalid value for '\(option)': \(reason)"
        case .diverged(let step, let reason):
            return "diverged at step \(step): \(reason)"
        case .requiresGradient(let name):
            return "\(name) needs an objective with a gradient (a first-order method)"
        case .requiresHessian(let name):
            return "\(name) needs an objective with an exact Hessian"
        case .invalidState(let why):
            return "optimizer state does not match: \(why)"
        }
    }
}
