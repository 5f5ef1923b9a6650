import ZOCore
import ZOOptim

/// One trial of the loss-increment experiment (claim 7), generic over the objective: from θ,
/// take one optimizer step on batch `stepBatch`, and report whether the loss increased on that
/// batch and on `otherBatch`. θ is restored. Works for any stochastic `Objective` (noisy test
/// functions now, the transformer's minibatches later).
public enum LossIncrementStudy {
    public struct Outcome: Sendable, Equatable {
        public var sameBatch: Bool
        public var differentBatch: Bool
    }

    public static func trial<S: ZOScalar>(_ objective: any Objective<S>, optimizer: any Optimizer<S>, at state: [S],
                                          stepBatch: Int, otherBatch: Int, context: StepContext) throws -> Outcome {
        let p = objective.parameters
        defer { p.assign(state) }
        p.assign(state)
        objective.selectBatch(stepBatch)
        let before1 = try objective.loss()
        objective.selectBatch(otherBatch)
        let before2 = try objective.loss()
        objective.selectBatch(stepBatch)
        _ = try optimizer.step(objective, context: context)
        let after1 = try objective.loss()
        objective.selectBatch(otherBatch)
        let after2 = try objective.loss()
        return Outcome(sameBatch: after1 > before1, differentBatch: after2 > before2)
    }
}
