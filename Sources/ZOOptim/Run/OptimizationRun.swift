import ZOCore

/// Settings of a run: steps, seed, what to record.
public struct RunConfiguration: Sendable, Hashable, Codable {
    public var steps: Int
    /// The run seed: step t uses noise stream `NoiseKey(seed: seed, stream: t)` and batch t.
    public var seed: UInt64
    /// Record θ after every step when d ≤ this (trajectories for plots); 0 = never.
    public var trajectoryDimensionLimit: Int
    /// Evaluate the objective's loss at θ_t every this many steps (0 = never), outside the
    /// optimizer's own forward count — the curve plots and convergence checks use. For
    /// stochastic objectives this is the loss on batch `evaluationBatch`.
    public var evaluateEvery: Int
    /// Batch used for the evaluations above (stochastic objectives).
    public var evaluationBatch: Int
    /// An evaluated loss above `blowUpFactor · max(|L(θ₀)|, 1)` counts as divergence (a run
    /// that explodes without overflowing). nil disables the test.
    public var blowUpFactor: Double?

    public init(steps: Int, seed: UInt64, trajectoryDimensionLimit: Int = 16, evaluateEvery: Int = 1,
                evaluationBatch: Int = -1, blowUpFactor: Double? = 1e10) {
        self.steps = steps
        self.seed = seed
        self.trajectoryDimensionLimit = trajectoryDimensionLimit
        self.evaluateEvery = evaluateEvery
        self.evaluationBatch = evaluationBatch
        self.blowUpFactor = blowUpFactor
    }
}

/// Where and why a run stopped early.
public struct Divergence: Sendable, Hashable, Codable {
    public var step: Int
    public var reason: String
}

/// The record of a run.
public struct RunResult: Sendable, Codable {
    public var optimizer: String
    public var settings: [String: String]
    public var configuration: RunConfiguration
    public var reports: [StepReport]
    /// θ_0, θ_1, … (d ≤ `trajectoryDimensionLimit`), as Double; θ_t is the point *before* step t.
    public var trajectory: [[Double]]
    /// (step t, L(θ_t)) pairs from the evaluations; the last one is after the final step.
    public var evaluations: [Evaluation]
    public var divergence: Divergence?

    public struct Evaluation: Sendable, Codable, Hashable {
        public var step: Int
        public var loss: Double
    }

    public var totalForwardPasses: Int { reports.reduce(0) { $0 + $1.forwardPasses } }
    public var totalBackwardPasses: Int { reports.reduce(0) { $0 + $1.backwardPasses } }
    public var finalLoss: Double? { evaluations.last?.loss }
}

/// Drives an optimizer on an objective: for t in 0..<steps, select batch t, step, record.
/// A ``OptimizerError/diverged(step:reason:)`` (or a non-finite θ / evaluation, including an
/// objective's ``ObjectiveError/nonFiniteLoss(_:)`` and its refusal of a non-finite θ) stops
/// the run and is recorded in ``RunResult/divergence``; other errors propagate.
public enum OptimizationRun {
    public static func run<S: ZOScalar>(
        _ objective: any Objective<S>, optimizer: any Optimizer<S>, configuration c: RunConfiguration,
        startStep: Int = 0, progress: ((StepReport) -> Void)? = nil
    ) throws -> RunResult {
        let p = objective.parameters
        let recordTrajectory = p.count <= c.trajectoryDimensionLimit
        var result = RunResult(optimizer: optimizer.name, settings: optimizer.settings, configuration: c,
                               reports: [], trajectory: [], evaluations: [], divergence: nil)
        func point() -> [Double] { p.snapshot().map(Double.init) }
        func thetaIsFinite() -> Bool { p.snapshot().allSatisfy { Double($0).isFinite } }
        func evaluate(_ t: Int) throws -> Bool {
            guard c.evaluateEvery > 0, t % c.evaluateEvery == 0 || t == startStep + c.steps else { return true }
            if objective.isStochastic { objective.selectBatch(c.evaluationBatch) }
            let v: Double
            do {
                v = try objective.loss()
            } catch ObjectiveError.nonFiniteLoss(let value) {
                v = value
            } catch ObjectiveError.invalidParameters(let why) where !thetaIsFinite() {
                result.divergence = Divergence(step: t, reason: "θ_\(t) is not finite (\(why))")
                return false
            }
            result.evaluations.append(.init(step: t, loss: v))
            if !v.isFinite {
                result.divergence = Divergence(step: t, reason: "loss at θ_\(t) is not finite (\(v))")
                return false
            }
            if let factor = c.blowUpFactor, let first = result.evaluations.first?.loss,
               v > factor * max(abs(first), 1) {
                result.divergence = Divergence(step: t, reason: "loss \(v) at θ_\(t) exceeds \(factor) × max(|L(θ₀)|, 1)")
                return false
            }
            return true
        }
        if recordTrajectory { result.trajectory.append(point()) }
        guard try evaluate(startStep) else { return result }
        for t in startStep..<(startStep + c.steps) {
            objective.selectBatch(t)
            let report: StepReport
            do {
                report = try optimizer.step(objective, context: StepContext(step: t, runSeed: c.seed))
            } catch OptimizerError.diverged(let step, let reason) {
                result.divergence = Divergence(step: step, reason: reason)
                return result
            } catch ObjectiveError.nonFiniteLoss(let value) {
                // An objective that refuses to return ±∞/NaN (FunctionObjective) diverged inside the step.
                result.divergence = Divergence(step: t, reason: "a loss evaluated in step \(t) is not finite (\(value))")
                return result
            } catch ObjectiveError.invalidParameters(let why) where !thetaIsFinite() {
                result.divergence = Divergence(step: t, reason: "θ became non-finite in step \(t) (\(why))")
                return result
            }
            result.reports.append(report)
            progress?(report)
            if recordTrajectory {
                let x = point()
                result.trajectory.append(x)
                if !x.allSatisfy({ $0.isFinite }) {
                    result.divergence = Divergence(step: t, reason: "θ is not finite after step \(t)")
                    return result
                }
            }
            guard try evaluate(t + 1) else { return result }
        }
        return result
    }
}
