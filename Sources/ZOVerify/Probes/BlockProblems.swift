import ZOCore
import ZOFunctions
import ZOOptim

/// Shared pieces of the block-coordinate checks (claim 6).
enum BlockProblems {
    /// The block-heterogeneous quadratic (blocks of very different gradient scale) at `start`
    /// (default x = 1).
    static func objective(dimension: Int, blocks: Int, span: Double, seed: UInt64 = 1, start: [Double]? = nil) throws -> FunctionObjective {
        try FunctionObjective(named: "block-heterogeneous-quadratic", dimension: dimension,
                              parameters: FunctionParameters(conditionNumber: span, seed: seed, blockCount: blocks), start: start)
    }

    /// ‖∇_b L‖ per block.
    static func blockNorms(_ gradient: [Double], _ p: ParameterSet<Double>) -> [Double] {
        p.blocks.map { b in b.range.reduce(0.0) { $0 + gradient[$1] * gradient[$1] }.squareRoot() }
    }

    /// q ∝ weights on the simplex with every entry ≥ floor (water-filling: entries that would fall
    /// below the floor are pinned to it, the rest share the remainder in proportion).
    static func flooredProportional(_ weights: [Double], floor: Double) -> [Double] {
        var pinned = Set<Int>()
        while true {
            let free = weights.indices.filter { !pinned.contains($0) }
            let mass = 1 - floor * Double(pinned.count)
            let total = free.reduce(0.0) { $0 + weights[$1] }
            var q = weights.indices.map { pinned.contains($0) ? floor : mass * weights[$0] / total }
            let low = free.filter { q[$0] < floor }
            if low.isEmpty { return q }
            for i in low { pinned.insert(i); q[i] = floor }
        }
    }

    static func totalVariation(_ a: [Double], _ b: [Double]) -> Double {
        0.5 * zip(a, b).reduce(0.0) { $0 + abs($1.0 - $1.1) }
    }

    /// Randomized BCD around MeZO (η = 1 for estimate read-off) with inclusion probabilities π.
    static func randomized(_ p: ParameterSet<Double>, inclusion: [Double], sampling: BlockSampling, activeBlocks k: Int,
                           epsilon: Double = 1e-3, learningRate: Double = 1) throws -> BlockCoordinateDescent<Double> {
        let base = try OptimizerRegistry.make("mezo", options: ["lr": "\(learningRate)", "eps": "\(epsilon)"], parameters: p)
        return try BlockCoordinateDescent(base: base as! any BlockwiseOptimizer<Double>, parameters: p, rule: .randomized,
                                          activeBlocks: k, interval: 1, sampling: sampling, inclusionProbabilities: inclusion)
    }
}

extension BlockProblems {
    /// Runs the bandit rule (k active blocks, switch interval 1, γ = 0.1, bandit η = 0.03) around
    /// MeZO with a vanishing step (η = 1e-9, so ‖∇_b‖ stays fixed) and returns the bandit's
    /// distribution q averaged over the last third of `steps`.
    static func learnedBanditDistribution(_ objective: FunctionObjective, activeBlocks k: Int, steps: Int,
                                          seed: UInt64) throws -> [Double] {
        let start = objective.parameters.snapshot()
        defer { objective.parameters.assign(start) }
        let base = try OptimizerRegistry.make("mezo", options: ["lr": "1e-9", "eps": "1e-3"], parameters: objective.parameters)
        let bcd = try BlockCoordinateDescent(base: base as! any BlockwiseOptimizer<Double>, parameters: objective.parameters,
                                             rule: .bandit, activeBlocks: k, interval: 1)
        var mean = [Double](repeating: 0, count: objective.parameters.blocks.count)
        let from = steps - steps / 3
        for t in 0..<steps {
            _ = try bcd.step(objective, context: StepContext(step: t, runSeed: seed))
            if t >= from, let q = bcd.banditProbabilities {
                for b in mean.indices { mean[b] += q[b] / Double(steps - from) }
            }
        }
        return mean
    }
}
