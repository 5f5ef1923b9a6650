import ZOCore

/// A seeded, deterministic learning-rate search for the figures and comparisons.
///
/// Protocol (fixed, so a figure's settings are reproducible):
/// 1. Coarse grid: `budget.coarse` learning rates log-spaced over [`low`, `high`].
/// 2. Refinement: `budget.refine` further log-spaced points between the neighbours of the best
///    coarse point.
/// Each candidate runs `horizon` steps from the objective's current θ with run seed `seed`
/// (the same noise for every candidate), θ reset between candidates. The score is the
/// criterion at the end (lower is better); a diverged or non-finite run scores +∞.
///
/// Caveat (seen by the public optimizer visualisers' users): a short horizon favours methods
/// that start fast; use the figure's own step count as the horizon unless stated.
public struct LearningRateSearch: Sendable, Hashable, Codable {
    public enum Criterion: String, Sendable, Codable, CaseIterable {
        /// Final loss L(θ_T) (on the evaluation batch for stochastic objectives).
        case finalLoss = "final-loss"
        /// ‖θ_T − x*‖ to the nearest of the given minimisers.
        case distanceToMinimum = "distance"
        /// Mean of the evaluated losses over the run (area under the curve).
        case meanLoss = "mean-loss"
    }

    public struct Budget: Sendable, Hashable, Codable {
        public var coarse: Int
        public var refine: Int
        public init(coarse: Int = 13, refine: Int = 6) {
            self.coarse = coarse
            self.refine = refine
        }
        public var runs: Int { coarse + refine }
    }

    public var low: Double
    public var high: Double
    public var horizon: Int
    public var seed: UInt64
    public var criterion: Criterion
    public var budget: Budget
    /// Option name of the learning rate ("lr" for every registered method).
    public var optionName: String

    public init(low: Double = 1e-5, high: Double = 1, horizon: Int, seed: UInt64, criterion: Criterion = .finalLoss,
                budget: Budget = Budget(), optionName: String = "lr") {
        self.low = low
        self.high = high
        self.horizon = horizon
        self.seed = seed
        self.criterion = criterion
        self.budget = budget
        self.optionName = optionName
    }

    public struct Trial: Sendable, Hashable, Codable {
        public var learningRate: Double
        public var score: Double
    }

    public struct Outcome: Sendable, Hashable, Codable {
        public var best: Double
        public var bestScore: Double
        /// Every candidate in evaluation order.
        public var trials: [Trial]
    }

    /// Runs the search for optimizer `name` with the other `options` fixed.
    /// - Parameter minima: minimisers for `.distanceToMinimum`.
    public func run<S: ZOScalar>(
        optimizer name: String, options: [String: String] = [:], objective: any Objective<S>,
        minima: [[Double]] = []
    ) throws -> Outcome {
        guard low > 0, high > low, low.isFinite, high.isFinite else {
            throw OptimizerError.invalidOption(optimizer: name, option: optionName, reason: "search range must satisfy 0 < low < high")
        }
        guard horizon >= 1, budget.coarse >= 2, budget.refine >= 0 else {
            throw OptimizerError.invalidOption(optimizer: name, option: optionName, reason: "horizon ≥ 1 and coarse budget ≥ 2 required")
        }
        if criterion == .distanceToMinimum && minima.isEmpty {
            throw OptimizerError.invalidOption(optimizer: name, option: optionName, reason: "distance criterion needs the minimisers")
        }
        let start = objective.parameters.snapshot()
        var trials: [Trial] = []
        func score(_ lr: Double) throws -> Double {
            objective.parameters.assign(start)
            defer { objective.parameters.assign(start) }
            var opts = options
            opts[optionName] = "\(lr)"
            let optimizer = try OptimizerRegistry.make(name, options: opts, parameters: objective.parameters)
            let every = criterion == .meanLoss ? 1 : horizon
            let result = try OptimizationRun.run(objective, optimizer: optimizer,
                                                 configuration: RunConfiguration(steps: horizon, seed: seed,
                                                                                 trajectoryDimensionLimit: 0,
                                                                                 evaluateEvery: every))
            guard result.divergence == nil else { return .infinity }
            let value: Double
            switch criterion {
            case .finalLoss:
                value = result.finalLoss ?? .infinity
            case .meanLoss:
                value = result.evaluations.map(\.loss).reduce(0, +) / Double(max(result.evaluations.count, 1))
            case .distanceToMinimum:
                let x = objective.parameters.snapshot().map(Double.init)   // θ_T, before the deferred reset
                value = minima.map { m in zip(x, m).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }.min()!
            }
            return value.isFinite ? value : .infinity
        }
        func evaluate(_ lr: Double) throws {
            trials.append(Trial(learningRate: lr, score: try score(lr)))
        }
        let logLow = Double.log10(low), logHigh = Double.log10(high)
        let coarse = (0..<budget.coarse).map { Double.pow(10, logLow + (logHigh - logLow) * Double($0) / Double(budget.coarse - 1)) }
        for lr in coarse { try evaluate(lr) }
        let bestCoarse = trials.indices.min { trials[$0].score < trials[$1].score }!
        if budget.refine > 0 {
            let lo = coarse[max(bestCoarse - 1, 0)], hi = coarse[min(bestCoarse + 1, coarse.count - 1)]
            for j in 1...budget.refine {
                let t = Double(j) / Double(budget.refine + 1)
                try evaluate(Double.pow(10, Double.log10(lo) + (Double.log10(hi) - Double.log10(lo)) * t))
            }
        }
        objective.parameters.assign(start)
        let best = trials.min { $0.score < $1.score }!
        return Outcome(best: best.learningRate, bestScore: best.score, trials: trials)
    }
}
