import ZOCore

/// Shared by the first-order methods and the exact oracles: one forward + one backward through
/// `objective.lossAndGradient(into:)`, with the error contract of ``Optimizer/step(_:context:)``.
enum FirstOrderSupport {
    /// L(θ) and ∇L(θ) into `gradient`. Throws ``OptimizerError/requiresGradient(_:)`` when the
    /// objective has no gradient and ``OptimizerError/diverged(step:reason:)`` when the loss or
    /// the gradient is not finite (θ is untouched: first-order methods update after this).
    static func lossAndGradient<S: ZOScalar>(
        _ objective: any Objective<S>, into gradient: Slab<S>, method: String, step: Int
    ) throws -> Double {
        guard objective.providesGradient else { throw OptimizerError.requiresGradient(method) }
        let loss = try objective.lossAndGradient(into: gradient.buffer)
        guard loss.isFinite else { throw OptimizerError.diverged(step: step, reason: "loss is not finite (\(loss))") }
        guard ElementwiseKernels.allFinite(UnsafeBufferPointer(gradient.buffer)) else {
            throw OptimizerError.diverged(step: step, reason: "gradient is not finite")
        }
        return loss
    }
}
