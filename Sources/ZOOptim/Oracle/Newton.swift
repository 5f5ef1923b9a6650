import ZOCore

/// Newton's method with the exact Hessian (oracle; the lower bound for the Hessian-informed ZO
/// methods):  θ ← θ − η (H + μI)⁻¹ ∇L(θ),  H = ∇²L(θ) from `objective.hessian(into:)`.
///
/// The system is solved with a Cholesky factorisation (``DenseLinearAlgebra``) — O(d³) time,
/// d² Float64 transient workspace per step; for analytic test functions, not models. When
/// H + μI is not positive definite (a saddle or a maximum nearby), `indefinite` decides:
/// - "damp" (default): Levenberg-style shift, as Nocedal & Wright's Algorithm 3.3 ("Cholesky
///   with added multiple of the identity"): retry with H + (μ + τ)I, τ starting at
///   max(1e-3·max|Hᵢᵢ|, −min Hᵢᵢ + 1e-3·max|Hᵢᵢ|) and doubling, until Cholesky succeeds. The
///   step is then a descent direction; the shift used is the "damping" diagnostic.
/// - "lu": solve the indefinite system by LU with partial pivoting — the pure Newton step,
///   which heads for the nearest stationary point, saddles included.
/// - "fail": throw ``OptimizerError/diverged(step:reason:)``.
/// A singular or non-finite system throws `diverged` (θ untouched).
///
/// Forward passes 1, backward 1, plus one Hessian evaluation ("hessianEvaluations"
/// diagnostic). State: none. Throws ``OptimizerError/requiresGradient(_:)`` /
/// ``OptimizerError/requiresHessian(_:)`` when the objective lacks them.
///
/// Convergence budget (tested): diagonal quadratic d = 10, κ = 10, θ₀ = 1, Float64, lr 1: loss
/// < 1e-20 × initial after 1 step (exact up to rounding).
public final class Newton<Scalar: ZOScalar>: Optimizer {
    public enum Indefinite: String, CaseIterable, Sendable { case damp, lu, fail }

    public let name = "newton"
    public let learningRate: Double
    public let damping: Double
    public let indefinite: Indefinite
    private let parameters: ParameterSet<Scalar>
    private let gradient: Slab<Scalar>

    public init(parameters: ParameterSet<Scalar>, learningRate: Double = 1, damping: Double = 0, indefinite: Indefinite = .damp) {
        precondition(learningRate > 0 && damping >= 0)
        self.parameters = parameters
        self.learningRate = learningRate
        self.damping = damping
        self.indefinite = indefinite
        self.gradient = Slab(count: parameters.count)
    }

    public var settings: [String: String] {
        ["lr": "\(learningRate)", "damping": "\(damping)", "indefinite": indefinite.rawValue]
    }

    public var stateBytes: Int { 0 }
    public func saveState() -> OptimizerState<Scalar> { OptimizerState() }
    public func loadState(_ state: OptimizerState<Scalar>) throws {}

    /// Solves (H + μI) p = g per the `indefinite` rule; returns p and the total shift used.
    static func solve(hessian h: [Double], n: Int, gradient g: [Double], damping: Double, indefinite: Indefinite,
                      step: Int) throws -> (p: [Double], shift: Double) {
        func shifted(_ tau: Double) -> [Double] {
            var a = h
            for i in 0..<n { a[i * n + i] += tau }
            return a
        }
        var a = shifted(damping)
        if DenseLinearAlgebra.cholesky(&a, n: n) {
            return (DenseLinearAlgebra.choleskySolve(a, n: n, g), damping)
        }
        switch indefinite {
        case .fail:
            throw OptimizerError.diverged(step: step, reason: "Hessian (+ damping) is not positive definite")
        case .lu:
            guard let p = DenseLinearAlgebra.luSolve(shifted(damping), n: n, g) else {
                throw OptimizerError.diverged(step: step, reason: "Hessian is singular")
            }
            return (p, damping)
        case .damp:
            let diagonal = (0..<n).map { h[$0 * n + $0] + damping }
            let beta = 1e-3 * max(diagonal.map(abs).max() ?? 1, 1e-300)
            let minDiagonal = diagonal.min() ?? 0
            var tau = minDiagonal > 0 ? beta : -minDiagonal + beta
            for _ in 0..<200 {
                var b = shifted(damping + tau)
                if DenseLinearAlgebra.cholesky(&b, n: n) {
                    return (DenseLinearAlgebra.choleskySolve(b, n: n, g), damping + tau)
                }
                tau *= 2
                guard tau.isFinite else { break }
            }
            throw OptimizerError.diverged(step: step, reason: "no shift makes the Hessian positive definite (not finite?)")
        }
    }

    public func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport {
        guard objective.providesGradient else { throw OptimizerError.requiresGradient(name) }
        guard objective.providesHessian else { throw OptimizerError.requiresHessian(name) }
        let loss = try FirstOrderSupport.lossAndGradient(objective, into: gradient, method: name, step: context.step)
        let d = parameters.count
        var h = [Double](repeating: 0, count: d * d)   // [d × d], transient
        try h.withUnsafeMutableBufferPointer { try objective.hessian(into: $0) }
        guard h.allSatisfy({ $0.isFinite }) else {
            throw OptimizerError.diverged(step: context.step, reason: "Hessian is not finite")
        }
        let g = gradient.array.map(Double.init)
        let (p, shift) = try Self.solve(hessian: h, n: d, gradient: g, damping: damping, indefinite: indefinite,
                                        step: context.step)
        let eta = learningRate * context.learningRateMultiplier
        p.withUnsafeBufferPointer {
            ElementwiseKernels.store($0.baseAddress!, count: d, scale: -eta, into: parameters.values.base, accumulate: true)
        }
        return StepReport(step: context.step, loss: loss, losses: [loss], forwardPasses: 1, backwardPasses: 1,
                          projectedGradients: [], activeBlocks: Array(parameters.blocks.indices), stateBytes: 0,
                          diagnostics: ["damping": shift, "hessianEvaluations": 1])
    }
}

/// Registry entry for ``Newton``.
public enum NewtonFactory: OptimizerFactory {
    public static let name = "newton"
    public static let summary = "Newton with the exact Hessian, Cholesky solve, damped when indefinite (oracle)"
    public static let family = OptimizerFamily.oracle
    public static let needsExactHessian = true
    public static let options: [OptionSpec] = [
        .real("lr", 1, .positive, "step size η (1: the full Newton step)"),
        .real("damping", 0, .nonNegative, "constant Levenberg shift μ added to H"),
        .choice("indefinite", "damp", Newton<Double>.Indefinite.allCases.map(\.rawValue),
                "when H + μI is not positive definite: damp (shift until it is), lu (pure Newton), fail"),
    ]

    public static func make<S: ZOScalar>(_ o: OptimizerOptions, parameters: ParameterSet<S>) throws -> any Optimizer<S> {
        Newton(parameters: parameters, learningRate: o.real("lr"), damping: o.real("damping"),
               indefinite: Newton<S>.Indefinite(rawValue: o.choice("indefinite"))!)
    }
}
