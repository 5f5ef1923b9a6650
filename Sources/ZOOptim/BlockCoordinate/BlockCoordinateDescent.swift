import ZOCore

/// Block coordinate descent around any ``BlockwiseOptimizer`` (ZO-BCD, B-PDF, BAdam-style
/// BCD-Adam; seeds 000 and 001).
///
/// Steps are grouped in periods of K steps (`switch-interval`; 0 = the rule's default, 50 for
/// the deterministic rules and 1 for the sampled ones). At the start of a period the wrapper
/// picks the active set (k = `active-blocks` blocks, ``BlockRule``), calls the base's
/// ``BlockwiseOptimizer/activeBlocksChanged(to:reset:)`` (at every period start, also when the
/// set did not change) with ``stateReset``: `.entering` re-initialises the state (Adam
/// moments, momentum, HiZOO's H) of blocks that entered only, `.all` that of every block of the
/// new set — BAdam's reference code (`switch_trainable_params`) replaces the whole base
/// optimizer state at every switch, so even a re-selected block restarts from zero moments.
/// Then it runs K base steps restricted to the set. Every other element of θ is untouched,
/// bit for bit. The sampled rules pass ``StepReport``-visible scales
/// Z_b/π_b as `blockScales`, which keeps each block's update unbiased.
///
/// Randomness (reshuffling, sampling) comes only from the run seed: epoch e's permutation from
/// `NoiseKey(seed: runSeed, stream: e)`, a sampled set from `NoiseKey(seed: runSeed, stream:
/// step)` (both `derived` with a salt), so runs are reproducible and independent of the
/// perturbation noise.
///
/// Gauss-Southwell and bandit rules feed on per-block estimates â_b of ‖g_b‖² from the base's
/// ZO information (``BlockNormEstimator``): the base's `blockNormSq<b>` diagnostics when it
/// reports them (HiZOO family: estimates of ∇_bᵀΣ_b∇_b = ‖g_b‖²/H_b), else the wrapper
/// regenerates the Gaussian directions of the step (MeZO's key convention: the step key for
/// one direction, `derived(j)` for direction j of q) and forms â_b from the projected
/// gradients. Gauss-Southwell's estimate of a block is |mean of â_b| over the block's most
/// recent active period (+∞ before its first visit, so the first sets sweep the blocks in
/// ascending order); it picks the k largest, ties going to the least recently active block,
/// then the lower index. The absolute value and the tie rule keep a block whose noisy mean
/// came out ≤ 0 (â_b is unbiased but not positive) from being starved forever by converged
/// blocks whose estimates are exactly 0. Estimates of inactive blocks are stale (ZO
/// information exists only for perturbed blocks). The bandit is ``BlockBandit``.
///
/// Forward passes: the base's per step (0 on a skipped step: Bernoulli sampling can draw an
/// empty set; the report then repeats the last loss, or NaN, with `emptyActiveSet` = 1).
/// State: the base's (e.g. B-PDF: H of the active blocks only) plus the rule's Double vectors
/// (Gauss-Southwell 4D, randomized D + |set|, bandit 5D + 1 + |set|; the cyclic rules none).
/// Diagnostics: `bcdSwitched` (1 on a period's first step), `bcdPeriod`; bandit: `p<b>` = q_b
/// of the current set's draw; Gauss-Southwell: `gsEstimate<b>` for visited blocks.
///
/// Convergence budgets (tested): the diagonal quadratic d = 12 in D = 4 blocks of 3, κ = 10,
/// θ₀ = 1, seed 2, reaches < 1e-3 of its start within 1000 steps with base MeZO (ε = 1e-4),
/// k = 1, for every rule — deterministic rules with K = 25 and η = 0.05, randomized and bandit
/// with K = 1 and η = 0.01 (their updates are scaled by 1/π = 4) — and, ascending with K = 25,
/// with base HiZOO (η = 0.05, μ = 1e-4, α = 0.01, k = 1) and `b-pdf` (same, k = 2).
public final class BlockCoordinateDescent<Scalar: ZOScalar>: Optimizer {
    public let name: String
    public let base: any BlockwiseOptimizer<Scalar>
    public let rule: BlockRule
    public let activeCount: Int
    public let interval: Int
    public let sampling: BlockSampling
    /// Whose base state a period start re-initialises.
    public let stateReset: BlockStateReset
    /// Inclusion probabilities of the randomized rule (default k/D each).
    public let randomizedInclusion: [Double]
    private let blocks: [ParameterBlockInfo]

    // Schedule state.
    private var started = false
    private var periodStep = 0
    private var periods = 0
    private var epoch = 0
    private var position = 0
    public private(set) var activeBlocks: [Int] = []
    /// The current set's Z_b/π_b scales (sampled rules).
    public private(set) var blockScales: [Double]?
    /// π of the current set's draw (sampled rules).
    public private(set) var inclusion: [Double] = []
    /// q of the current set's draw (bandit).
    private var selectionDistribution: [Double] = []
    private var lastLoss: Double?

    // Block-norm statistics.
    private var periodSums: [Double]
    private var periodCounts: [Double]
    /// Gauss-Southwell estimates (+∞ = not visited yet).
    public private(set) var gaussSouthwellEstimates: [Double]
    /// Gauss-Southwell: the period index in which each block was last active (−1 = never).
    private var lastActivePeriod: [Double]
    public private(set) var bandit: BlockBandit?

    /// - Parameters:
    ///   - interval: steps per active set; 0 = ``BlockRule/defaultInterval``.
    ///   - inclusionProbabilities: the randomized rule's π_b (each in (0, 1]); nil = k/D.
    public init(base: any BlockwiseOptimizer<Scalar>, parameters: ParameterSet<Scalar>, rule: BlockRule,
                activeBlocks k: Int, interval: Int = 0, sampling: BlockSampling = .systematic,
                banditGamma: Double = 0.1, banditLearningRate: Double = 0.03,
                inclusionProbabilities: [Double]? = nil, stateReset: BlockStateReset = .entering,
                name: String = "bcd") throws {
        func fail(_ option: String, _ reason: String) -> OptimizerError {
            .invalidOption(optimizer: name, option: option, reason: reason)
        }
        let d = parameters.blocks.count
        guard k >= 1 else { throw fail("active-blocks", "k = \(k) must be ≥ 1") }
        guard k <= d else {
            throw fail("active-blocks", "k = \(k) exceeds the number of parameter blocks D = \(d)")
        }
        guard interval >= 0 else { throw fail("switch-interval", "\(interval) must be ≥ 0") }
        guard banditGamma.isFinite && banditGamma > 0 && banditGamma <= 1 else {
            throw fail("bandit-gamma", "\(banditGamma) must be in (0, 1]")
        }
        guard banditLearningRate.isFinite && banditLearningRate > 0 else {
            throw fail("bandit-lr", "\(banditLearningRate) must be a finite number > 0")
        }
        if let p = inclusionProbabilities {
            guard p.count == d, p.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1 }) else {
                throw fail("inclusion", "need \(d) probabilities in (0, 1]")
            }
        }
        if rule.needsBlockNorms, let dist = base.settings["distribution"], dist != "gaussian" {
            throw fail("rule", "\(rule.rawValue) needs Gaussian directions to estimate block norms; base \(base.name) uses \(dist)")
        }
        self.name = name
        self.base = base
        self.blocks = parameters.blocks
        self.rule = rule
        self.activeCount = k
        self.interval = interval == 0 ? rule.defaultInterval : interval
        self.sampling = sampling
        self.stateReset = stateReset
        // Held by the randomized rule only (the other rules' state stays ∝ what they use).
        self.randomizedInclusion = rule == .randomized ? inclusionProbabilities ?? [Double](repeating: Double(k) / Double(d), count: d) : []
        let tracked = rule.needsBlockNorms ? d : 0
        periodSums = [Double](repeating: 0, count: tracked)
        periodCounts = [Double](repeating: 0, count: tracked)
        gaussSouthwellEstimates = rule == .gaussSouthwell ? [Double](repeating: .infinity, count: d) : []
        lastActivePeriod = rule == .gaussSouthwell ? [Double](repeating: -1, count: d) : []
        bandit = rule == .bandit ? BlockBandit(blockCount: d, gamma: banditGamma, learningRate: banditLearningRate) : nil
    }

    public var settings: [String: String] {
        var s = base.settings
        s["base"] = base.name
        s["rule"] = rule.rawValue
        s["active-blocks"] = "\(activeCount)"
        s["switch-interval"] = "\(interval)"
        s["state-reset"] = stateReset.rawValue
        if rule.isSampled { s["block-sampling"] = sampling.rawValue }
        if let bandit {
            s["bandit-gamma"] = "\(bandit.gamma)"
            s["bandit-lr"] = "\(bandit.learningRate)"
        }
        return s
    }

    /// The bandit's current distribution q (Σ = 1, each ≥ γ/D), nil for other rules.
    public var banditProbabilities: [Double]? { bandit?.probabilities }

    /// Bytes of the rule's own Double vectors.
    private var ownBytes: Int {
        var n = periodSums.count + periodCounts.count + gaussSouthwellEstimates.count + lastActivePeriod.count
        if let bandit { n += bandit.blockCount + selectionDistribution.count + 1 }
        // Under the randomized rule `inclusion` shares `randomizedInclusion`'s storage; only the
        // bandit computes its own.
        n += randomizedInclusion.count
        if rule.isSampled { n += (bandit != nil ? inclusion.count : 0) + (blockScales?.count ?? 0) }
        return n * MemoryLayout<Double>.stride
    }

    public var stateBytes: Int { base.stateBytes + ownBytes }

    // MARK: Steps

    public func step(_ objective: any Objective<Scalar>, context: StepContext) throws -> StepReport {
        var switched = false
        if !started || periodStep >= interval {
            if started { finishPeriod() }
            chooseSet(context)
            base.activeBlocksChanged(to: activeBlocks, reset: stateReset)
            started = true
            periodStep = 0
            periods += 1
            switched = true
        }
        var report: StepReport
        if activeBlocks.isEmpty {
            report = StepReport(step: context.step, loss: lastLoss ?? .nan, losses: [], forwardPasses: 0,
                                backwardPasses: 0, projectedGradients: [], activeBlocks: [], stateBytes: 0,
                                diagnostics: ["emptyActiveSet": 1])
        } else {
            report = try base.step(objective, context: context, blocks: activeBlocks, blockScales: blockScales)
            lastLoss = report.loss
            if rule.needsBlockNorms {
                let estimates = try blockNorms(report, context: context)
                for (b, v) in zip(activeBlocks, estimates) {
                    periodSums[b] += v
                    periodCounts[b] += 1
                }
            }
        }
        periodStep += 1
        report.activeBlocks = activeBlocks
        report.stateBytes = stateBytes
        report.diagnostics["bcdSwitched"] = switched ? 1 : 0
        report.diagnostics["bcdPeriod"] = Double(periods - 1)
        if rule == .bandit {
            for (b, q) in selectionDistribution.enumerated() { report.diagnostics["p\(b)"] = q }
        }
        for (b, v) in gaussSouthwellEstimates.enumerated() where v.isFinite {
            report.diagnostics["gsEstimate\(b)"] = v
        }
        return report
    }

    /// Picks the next period's set.
    private func chooseSet(_ context: StepContext) {
        let d = blocks.count
        switch rule {
        case .ascending, .descending, .randomReshuffling, .oddEven:
            var sets = BlockSchedule.epoch(rule, blockCount: d, activeCount: activeCount, seed: context.runSeed, epoch: epoch)
            if position >= sets.count {
                epoch += 1
                position = 0
                sets = BlockSchedule.epoch(rule, blockCount: d, activeCount: activeCount, seed: context.runSeed, epoch: epoch)
            }
            activeBlocks = sets[position]
            position += 1
            blockScales = nil
        case .gaussSouthwell:
            activeBlocks = BlockSchedule.topK(gaussSouthwellEstimates, activeCount, lastActive: lastActivePeriod)
            blockScales = nil
        case .randomized, .bandit:
            if let bandit {
                selectionDistribution = bandit.probabilities
                inclusion = BlockSchedule.inclusionProbabilities(selectionDistribution, activeCount: activeCount)
            } else {
                inclusion = randomizedInclusion
            }
            var rng = PhiloxRandom(key: context.noiseKey.derived(BlockSchedule.samplingSalt))
            switch sampling {
            case .systematic: activeBlocks = BlockSchedule.systematicSample(inclusion, uniform: rng.nextUniform())
            case .bernoulli: activeBlocks = BlockSchedule.bernoulliSample(inclusion, &rng)
            }
            blockScales = activeBlocks.map { 1 / inclusion[$0] }
        }
    }

    /// Folds the period's block-norm estimates into the rule's state.
    private func finishPeriod() {
        guard rule.needsBlockNorms else { return }
        let visited = activeBlocks.filter { periodCounts[$0] > 0 }
        let means = visited.map { periodSums[$0] / periodCounts[$0] }
        if rule == .gaussSouthwell {
            for (b, m) in zip(visited, means) where m.isFinite { gaussSouthwellEstimates[b] = abs(m) }
            for b in activeBlocks { lastActivePeriod[b] = Double(periods) }
        }
        if bandit != nil {
            bandit!.update(active: visited, estimates: means, q: selectionDistribution, inclusion: inclusion)
        }
        for b in periodSums.indices {
            periodSums[b] = 0
            periodCounts[b] = 0
        }
    }

    /// â_b for the active blocks from the base's report.
    private func blockNorms(_ report: StepReport, context: StepContext) throws -> [Double] {
        let reported = activeBlocks.compactMap { report.diagnostics[BlockNormEstimator.diagnosticKey($0)] }
        if reported.count == activeBlocks.count { return reported }
        let g = report.projectedGradients
        guard !g.isEmpty else {
            throw OptimizerError.invalidOption(
                optimizer: name, option: "rule",
                reason: "\(rule.rawValue) needs block gradient information, and base \(base.name) reports neither "
                    + "blockNormSq<b> diagnostics nor projected gradients")
        }
        let squares = g.indices.map { j -> [Double] in
            let key = g.count == 1 ? context.noiseKey : context.noiseKey.derived(UInt64(j))
            return activeBlocks.map { BlockNormEstimator.squaredNoiseNorm(Scalar.self, key: key, range: blocks[$0].range) }
        }
        return BlockNormEstimator.estimates(projectedGradients: g, squaredNorms: squares,
                                            sizes: activeBlocks.map { blocks[$0].count })
    }

    // MARK: State

    public func saveState() -> OptimizerState<Scalar> {
        let inner = base.saveState()
        var s = OptimizerState<Scalar>()
        for (k, v) in inner.buffers { s.buffers["base." + k] = v }
        for (k, v) in inner.vectors { s.vectors["base." + k] = v }
        for (k, v) in inner.integers { s.integers["base." + k] = v }
        s.integers["started"] = started ? 1 : 0
        s.integers["periodStep"] = periodStep
        s.integers["periods"] = periods
        s.integers["epoch"] = epoch
        s.integers["position"] = position
        s.vectors["activeBlocks"] = activeBlocks.map(Double.init)
        s.vectors["blockScales"] = blockScales ?? []
        s.integers["hasBlockScales"] = blockScales == nil ? 0 : 1
        s.vectors["inclusion"] = inclusion
        s.vectors["selectionDistribution"] = selectionDistribution
        s.vectors["lastLoss"] = lastLoss.map { [$0] } ?? []
        s.vectors["periodSums"] = periodSums
        s.vectors["periodCounts"] = periodCounts
        s.vectors["gaussSouthwell"] = gaussSouthwellEstimates
        s.vectors["lastActivePeriod"] = lastActivePeriod
        if let bandit {
            s.vectors["banditLogWeights"] = bandit.logWeights
            s.vectors["banditNormaliser"] = bandit.normaliser.map { [$0] } ?? []
        }
        return s
    }

    public func loadState(_ state: OptimizerState<Scalar>) throws {
        let d = blocks.count
        var inner = OptimizerState<Scalar>()
        for (k, v) in state.buffers where k.hasPrefix("base.") { inner.buffers[String(k.dropFirst(5))] = v }
        for (k, v) in state.vectors where k.hasPrefix("base.") { inner.vectors[String(k.dropFirst(5))] = v }
        for (k, v) in state.integers where k.hasPrefix("base.") { inner.integers[String(k.dropFirst(5))] = v }
        let active = try state.vector("activeBlocks").map { v -> Int in
            guard let b = Int(exactly: v), (0..<d).contains(b) else {
                throw OptimizerError.invalidState("activeBlocks holds \(v), not a block index")
            }
            return b
        }
        let scales = try state.vector("blockScales")
        let hasScales = try state.integer("hasBlockScales") == 1
        guard !hasScales || scales.count == active.count else {
            throw OptimizerError.invalidState("blockScales has \(scales.count) entries for \(active.count) blocks")
        }
        let tracked = rule.needsBlockNorms ? d : 0
        let sums = try state.vector("periodSums", count: tracked)
        let counts = try state.vector("periodCounts", count: tracked)
        let gs = try state.vector("gaussSouthwell", count: rule == .gaussSouthwell ? d : 0)
        let lastActive = try state.vector("lastActivePeriod", count: rule == .gaussSouthwell ? d : 0)
        let incl = try state.vector("inclusion")
        let selection = try state.vector("selectionDistribution")
        guard incl.isEmpty || incl.count == d, selection.isEmpty || selection.count == d else {
            throw OptimizerError.invalidState("inclusion / selection vectors must have \(d) entries")
        }
        var restoredBandit = bandit
        if bandit != nil {
            let weights = try state.vector("banditLogWeights", count: d)
            let normaliser = try state.vector("banditNormaliser")
            restoredBandit!.restore(logWeights: weights, normaliser: normaliser.first)
        }
        let counters = try ["started", "periodStep", "periods", "epoch", "position"].map { try state.integer($0) }
        guard counters.allSatisfy({ $0 >= 0 }) else { throw OptimizerError.invalidState("negative schedule counter") }
        let loss = try state.vector("lastLoss").first
        try base.loadState(inner)
        started = counters[0] == 1
        periodStep = counters[1]
        periods = counters[2]
        epoch = counters[3]
        position = counters[4]
        activeBlocks = active
        blockScales = hasScales ? scales : nil
        inclusion = bandit == nil && incl == randomizedInclusion ? randomizedInclusion : incl
        selectionDistribution = selection
        lastLoss = loss
        periodSums = sums
        periodCounts = counts
        gaussSouthwellEstimates = gs
        lastActivePeriod = lastActive
        bandit = restoredBandit
    }
}
