import ZOCore
import ZOOptim

/// Independent draws of a gradient estimate ĝ at an objective's current θ — what the
/// estimator checks (claims 1, 4, 5, 6) feed their statistics.
///
/// The statistics see `[Double]` whatever the parameter type, so a Float32 transformer
/// objective and a Float64 test function go through the same tests; the reference gradient
/// comes from ``ReferenceGradient`` (exact for test functions, backprop for the model).
/// Draw `i` must be a deterministic function of (estimator seed, i), and θ must be unchanged
/// afterwards.
public protocol GradientEstimator<Scalar>: AnyObject {
    associatedtype Scalar: ZOScalar
    var label: String { get }
    /// Forward passes the last draw used (equal-cost comparisons).
    var forwardPassesPerDraw: Int { get }
    func draw(_ index: Int, on objective: any Objective<Scalar>) throws -> [Double]
}

/// ∇L at the objective's current θ and batch, as Double.
public enum ReferenceGradient {
    public static func at<S: ZOScalar>(_ objective: any Objective<S>) throws -> [Double] {
        try objective.gradient().map(Double.init)
    }
}

/// ĝ of any registered optimizer, read off one real step: θ' = θ − η ĝ, so
/// ĝ = (θ − θ')/η, then θ is restored. The optimizer runs exactly as in training (its own
/// noise stream `NoiseKey(seed, i)` for draw i, its own perturb / restore / update kernels),
/// so the checks test the implementation, not a re-derivation.
///
/// Requirements: a learning rate η (default 1; the difference is exact up to the rounding
/// of θ, ≈ ulp(θ)/η), no weight decay, and an update that is linear in ĝ (true for every
/// SGD-type ZO method; not for ZO-Adam or sign methods). Optimizers with state that the step
/// changes (HiZOO's H with α > 0, a bandit) change between draws — use α = 0 or the
/// ``DiagonalHessianEstimating`` hook for HiZOO.
public final class OptimizerStepEstimator<Scalar: ZOScalar>: GradientEstimator {
    public let label: String
    public let optimizer: any Optimizer<Scalar>
    public let learningRate: Double
    public let seed: UInt64
    public private(set) var forwardPassesPerDraw = 0

    public init(optimizer: any Optimizer<Scalar>, learningRate: Double, seed: UInt64, label: String) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.seed = seed
        self.label = label
    }

    /// Builds `name` through the registry with `options` (lr defaults to 1).
    public convenience init(_ name: String, options: [String: String] = [:], parameters: ParameterSet<Scalar>,
                            seed: UInt64, label: String? = nil) throws {
        var o = options
        if o["lr"] == nil { o["lr"] = "1" }
        guard let eta = Double(o["lr"]!), eta > 0 else {
            throw VerifyError.invalidOption("estimator \(name): lr must be a positive number")
        }
        let optimizer = try OptimizerRegistry.make(name, options: o, parameters: parameters)
        self.init(optimizer: optimizer, learningRate: eta, seed: seed, label: label ?? name)
    }

    public func draw(_ index: Int, on objective: any Objective<Scalar>) throws -> [Double] {
        let p = objective.parameters
        let before = p.snapshot()
        defer { p.assign(before) }
        let report = try optimizer.step(objective, context: StepContext(step: index, runSeed: seed))
        forwardPassesPerDraw = report.forwardPasses
        let after = p.snapshot()
        var g = [Double](repeating: 0, count: before.count)
        for i in g.indices { g[i] = (Double(before[i]) - Double(after[i])) / learningRate }
        return g
    }
}

/// A deliberately wrong estimator for negative controls: `transform(index, ĝ)` applied to
/// the draws of `base` (a scale error, a bias in some coordinates, extra noise, a mixture).
public final class DistortedEstimator<Scalar: ZOScalar>: GradientEstimator {
    public let label: String
    let base: any GradientEstimator<Scalar>
    let transform: (Int, [Double]) -> [Double]

    public init(_ base: any GradientEstimator<Scalar>, label: String, transform: @escaping (Int, [Double]) -> [Double]) {
        self.base = base
        self.label = label
        self.transform = transform
    }

    public var forwardPassesPerDraw: Int { base.forwardPassesPerDraw }

    public func draw(_ index: Int, on objective: any Objective<Scalar>) throws -> [Double] {
        transform(index, try base.draw(index, on: objective))
    }

    /// ĝ · factor.
    public static func scaled(_ base: any GradientEstimator<Scalar>, by factor: Double) -> DistortedEstimator {
        DistortedEstimator(base, label: "\(base.label) × \(factor)") { _, g in g.map { $0 * factor } }
    }
}
