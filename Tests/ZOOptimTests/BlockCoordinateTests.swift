import Testing
import ZOCore
@testable import ZOOptim

/// A block-restricted "optimizer" that records calls and applies θ_b −= scale_b · gradient_b
/// (a fixed vector), reporting blockNormSq<b> = ‖gradient_b‖².
final class SpyBlockwise: BlockwiseOptimizer {
    typealias Scalar = Double
    let name = "spy"
    var settings: [String: String] { [:] }
    let parameters: ParameterSet<Double>
    let gradient: [Double]
    var events: [String] = []

    init(parameters: ParameterSet<Double>, gradient: [Double]) {
        self.parameters = parameters
        self.gradient = gradient
    }

    var stateBytes: Int { 0 }
    func saveState() -> OptimizerState<Double> { OptimizerState() }
    func loadState(_ state: OptimizerState<Double>) throws {}

    func step(_ objective: any Objective<Double>, context: StepContext) throws -> StepReport {
        try step(objective, context: context, blocks: Array(parameters.blocks.indices), blockScales: nil)
    }

    func step(_ objective: any Objective<Double>, context: StepContext, blocks: [Int],
              blockScales: [Double]?) throws -> StepReport {
        events.append("step \(blocks)")
        var diagnostics: [String: Double] = [:]
        for (j, b) in blocks.enumerated() {
            var normSq = 0.0
            for i in parameters.blocks[b].range {
                parameters.values[i] -= (blockScales?[j] ?? 1) * gradient[i]
                normSq += gradient[i] * gradient[i]
            }
            diagnostics["blockNormSq\(b)"] = normSq
        }
        return StepReport(step: context.step, loss: 0, losses: [0], forwardPasses: 1, backwardPasses: 0,
                          projectedGradients: [], activeBlocks: blocks, stateBytes: 0, diagnostics: diagnostics)
    }

    func activeBlocksChanged(to blocks: [Int], reset: BlockStateReset) { events.append("change \(blocks)") }
}

@Suite("Block coordinate descent")
struct BlockCoordinateTests {
    // MARK: Schedules

    @Test func cyclicSchedulesAreTheDocumentedSequences() {
        #expect(BlockSchedule.epoch(.ascending, blockCount: 5, activeCount: 2, seed: 0, epoch: 0) == [[0, 1], [2, 3], [4]])
        #expect(BlockSchedule.epoch(.descending, blockCount: 5, activeCount: 2, seed: 0, epoch: 3) == [[3, 4], [1, 2], [0]])
        #expect(BlockSchedule.epoch(.oddEven, blockCount: 8, activeCount: 4, seed: 0, epoch: 0) == [[0, 2, 4, 6], [1, 3, 5, 7]])
        #expect(BlockSchedule.epoch(.oddEven, blockCount: 10, activeCount: 2, seed: 0, epoch: 0)
                == [[0, 2], [1, 3], [4, 6], [5, 7], [8], [9]])
        #expect(BlockSchedule.epoch(.oddEven, blockCount: 16, activeCount: 4, seed: 0, epoch: 0)
                == [[0, 2, 4, 6], [1, 3, 5, 7], [8, 10, 12, 14], [9, 11, 13, 15]])
        #expect(BlockSchedule.epoch(.ascending, blockCount: 3, activeCount: 3, seed: 0, epoch: 0) == [[0, 1, 2]])
    }

    @Test func reshufflingDrawsAFreshPermutationPerEpoch() {
        var epochs: [[[Int]]] = []
        for e in 0..<6 {
            let sets = BlockSchedule.epoch(.randomReshuffling, blockCount: 7, activeCount: 3, seed: 42, epoch: e)
            #expect(sets.map(\.count) == [3, 3, 1])
            #expect(sets.flatMap { $0 }.sorted() == Array(0..<7))
            #expect(sets == BlockSchedule.epoch(.randomReshuffling, blockCount: 7, activeCount: 3, seed: 42, epoch: e))
            epochs.append(sets)
        }
        #expect(Set(epochs.map { "\($0)" }).count > 3)
        // Pinned: the schedule of a seed must not change between versions (own Fisher–Yates).
        #expect(epochs[0] == [[0, 4, 6], [2, 3, 5], [1]] && epochs[1] == [[0, 5, 6], [2, 3, 4], [1]])
        #expect(BlockSchedule.epoch(.randomReshuffling, blockCount: 7, activeCount: 3, seed: 43, epoch: 0) != epochs[0])
        // Fisher–Yates is uniform: each block lands first about 1/5 of the time.
        var first = [Int](repeating: 0, count: 5)
        for e in 0..<5000 { first[BlockSchedule.permutation(count: 5, key: NoiseKey(seed: 1, stream: UInt64(e)))[0]] += 1 }
        #expect(first.allSatisfy { abs(Double($0) - 1000) < 5 * 28.3 }, "\(first)")
    }

    @Test func samplersHaveTheRequestedInclusionProbabilities() {
        let pi = BlockSchedule.inclusionProbabilities([0.05, 0.15, 0.3, 0.5], activeCount: 2)
        #expect(abs(pi.reduce(0, +) - 2) < 1e-12 && pi[3] == 1 && abs(pi[0] - 0.1) < 1e-12)
        var systematic = [Double](repeating: 0, count: 4), bernoulli = systematic
        let n = 20000
        for s in 0..<n {
            var rng = PhiloxRandom(seed: 9, stream: UInt64(s))
            let set = BlockSchedule.systematicSample(pi, uniform: rng.nextUniform())
            #expect(set.count == 2)
            for b in set { systematic[b] += 1 / Double(n) }
            for b in BlockSchedule.bernoulliSample(pi, &rng) { bernoulli[b] += 1 / Double(n) }
        }
        for b in 0..<4 {
            let tolerance = 5 * (pi[b] * (1 - pi[b]) / Double(n)).squareRoot() + 1e-12
            #expect(abs(systematic[b] - pi[b]) <= tolerance && abs(bernoulli[b] - pi[b]) <= tolerance,
                    "block \(b): \(systematic[b]) \(bernoulli[b]) vs \(pi[b])")
        }
        #expect(BlockSchedule.topK([3, .infinity, 3, 1], 2) == [0, 1])
        #expect(BlockSchedule.topK([0, 0, 0, 5], 2, lastActive: [4, 1, 3, 2]) == [1, 3])
    }

    // MARK: The wrapper

    @Test func wrapperFollowsTheScheduleAndAnnouncesEachSet() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 10, kappa: 2, blocks: [2, 2, 2, 2, 2])
        let spy = SpyBlockwise(parameters: f.parameters, gradient: [Double](repeating: 0, count: 10))
        let bcd = try BlockCoordinateDescent(base: spy, parameters: f.parameters, rule: .descending, activeBlocks: 2, interval: 2)
        var seen: [[Int]] = []
        for t in 0..<14 {
            let r = try bcd.step(f, context: StepContext(step: t, runSeed: 1))
            seen.append(r.activeBlocks)
            #expect(r.diagnostics["bcdSwitched"] == (t % 2 == 0 ? 1 : 0))
        }
        let expected: [[Int]] = [[3, 4], [1, 2], [0], [3, 4], [1, 2], [0], [3, 4]].flatMap { [$0, $0] }
        #expect(seen == expected)
        var events: [String] = []
        for s in expected.enumerated() {
            if s.offset % 2 == 0 { events.append("change \(s.element)") }
            events.append("step \(s.element)")
        }
        #expect(spy.events == events)
    }

    @Test(arguments: ["mezo", "hizoo"])
    func onlyActiveBlocksChangeBitForBit(base: String) throws {
        let f = QuadraticObjective<Float>.diagonal(d: 12, kappa: 4, blocks: [4, 4, 4])
        let opt = try OptimizerRegistry.make("bcd", options: ["base": base, "lr": "0.01", "switch-interval": "2"],
                                             parameters: f.parameters)
        for t in 0..<9 {
            let before = f.parameters.snapshot()
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 3))
            let after = f.parameters.snapshot()
            #expect(r.activeBlocks == [(t / 2) % 3])
            for b in 0..<3 {
                let range = f.parameters.blocks[b].range
                if r.activeBlocks.contains(b) {
                    #expect(Array(after[range]) != Array(before[range]))
                } else {
                    #expect(Array(after[range]) == Array(before[range]))
                }
            }
        }
    }

    @Test(arguments: [BlockSampling.systematic, .bernoulli])
    func randomizedScalingGivesAnUnbiasedUpdate(sampling: BlockSampling) throws {
        // Spy base with a fixed gradient: over 4000 seeds the mean update equals −gradient
        // (each coordinate within 5 standard errors), for non-uniform π.
        let gradient = [1.0, -2, 0.5, 3, -1, 2, 0.25, -0.5]
        let pi = [0.9, 0.5, 0.3, 0.3]
        var stats = CoordinateMeans(count: 8)
        for s in 0..<4000 {
            let f = LayoutQuadraticObjective<Double>(layout: Self.blocks([2, 2, 2, 2]), curvature: [Double](repeating: 1, count: 8))
            let p = f.parameters
            let spy = SpyBlockwise(parameters: p, gradient: gradient)
            let bcd = try BlockCoordinateDescent(base: spy, parameters: p, rule: .randomized, activeBlocks: 2,
                                                 sampling: sampling, inclusionProbabilities: pi)
            _ = try bcd.step(f, context: StepContext(step: 0, runSeed: UInt64(s)))
            stats.add(p.snapshot().map { 1 - $0 })
        }
        for i in 0..<8 {
            #expect(abs(stats.mean[i] - gradient[i]) < 5 * stats.standardError[i] + 1e-12,
                    "coordinate \(i): \(stats.mean[i]) vs \(gradient[i])")
        }
    }

    @Test func randomizedMeZOBlockEstimateIsUnbiased() throws {
        // End to end: MeZO base, k = 1 of D = 3 (π = 1/3, scale 3), one step from θ₀: the mean
        // of −Δθ/η over 4000 seeds matches ∇L(θ₀) within 5 standard errors.
        let lambda = [1.0, 2, 3, 4, 5, 6]
        var stats = CoordinateMeans(count: 6)
        let eta = 1e-3
        for s in 0..<4000 {
            let f = QuadraticObjective<Double>(curvature: lambda, start: [1, -1, 0.5, 1, -0.5, 0.25], blocks: [2, 2, 2])
            let before = f.x
            let opt = try OptimizerRegistry.make("bcd", options: ["rule": "randomized", "lr": "\(eta)", "eps": "1e-5"],
                                                 parameters: f.parameters)
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: UInt64(s)))
            stats.add(zip(before, f.x).map { ($0 - $1) / eta })
        }
        let start = [1.0, -1, 0.5, 1, -0.5, 0.25]
        for i in 0..<6 {
            let g = lambda[i] * start[i]
            #expect(abs(stats.mean[i] - g) < 5 * stats.standardError[i], "coordinate \(i): \(stats.mean[i]) vs \(g)")
        }
    }

    @Test func emptyBernoulliDrawsSkipTheStep() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 8, kappa: 2, blocks: [2, 2, 2, 2])
        let opt = try OptimizerRegistry.make("bcd", options: ["rule": "randomized", "block-sampling": "bernoulli", "lr": "1e-3"],
                                             parameters: f.parameters)
        var empty = 0, forwards = 0
        for t in 0..<40 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 7))
            forwards += r.forwardPasses
            if r.activeBlocks.isEmpty {
                empty += 1
                #expect(r.forwardPasses == 0 && r.diagnostics["emptyActiveSet"] == 1)
            }
        }
        #expect(empty > 0 && f.lossCalls == forwards)
    }

    // MARK: Gauss-Southwell and the bandit

    /// D = 4 blocks of 4 with curvature 3^b, θ₀ = 1: ‖∇_b‖ = 2·3^b (ratios 1 : 3 : 9 : 27).
    static func heterogeneous() -> QuadraticObjective<Double> {
        let lambda = (0..<16).map { Double.pow(3, Double($0 / 4)) }
        return QuadraticObjective<Double>(curvature: lambda, blocks: [4, 4, 4, 4])
    }

    static func blocks(_ sizes: [Int]) -> ParameterLayout {
        var layout = ParameterLayout()
        for (b, n) in sizes.enumerated() {
            layout.beginBlock("b\(b)")
            layout.add("x\(b)", [n], role: .coordinates)
        }
        return layout
    }

    @Test func gaussSouthwellSweepsThenPicksTheLargestGradientBlock() throws {
        let f = Self.heterogeneous()
        let opt = try OptimizerRegistry.make("bcd", options: ["rule": "gauss-southwell", "switch-interval": "5",
                                                              "lr": "1e-9", "eps": "1e-4"], parameters: f.parameters)
        var periods: [[Int]] = []
        for t in 0..<120 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 12))
            if t % 5 == 0 { periods.append(r.activeBlocks) }
        }
        #expect(Array(periods[0..<4]) == [[0], [1], [2], [3]])
        let largest = periods[4...].filter { $0 == [3] }.count
        #expect(Double(largest) >= 0.8 * Double(periods.count - 4), "\(periods)")
    }

    @Test func banditProbabilitiesStayOnTheFlooredSimplexAndApproachTheGradientNorms() throws {
        // k = 1, K = 1, γ = 0.1, η_b = 0.03, base MeZO with η = 1e-9 (θ ≈ fixed). Target
        // p* ∝ ‖∇_b‖ = (1, 3, 9, 27)/40 (its smallest entry equals the floor γ/D = 0.025).
        // Every step: Σq = 1, q_b ≥ γ/D. Mean q over steps 2000…3000: ordered like p*, and its
        // total-variation distance to p* below 0.5 × that of the uniform distribution (0.425).
        // (Seeds 30…41 measured TV 0.018…0.134, all ordered; this seed 0.034.)
        let f = Self.heterogeneous()
        let opt = try OptimizerRegistry.make("bcd", options: ["rule": "bandit", "lr": "1e-9", "eps": "1e-4"],
                                             parameters: f.parameters)
        let bcd = try #require(opt as? BlockCoordinateDescent<Double>)
        var mean = [Double](repeating: 0, count: 4)
        for t in 0..<3000 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 31))
            let q = (0..<4).map { r.diagnostics["p\($0)"]! }
            #expect(abs(q.reduce(0, +) - 1) < 1e-12 && q.allSatisfy { $0 >= 0.025 * (1 - 1e-12) })
            if t >= 2000 { for b in 0..<4 { mean[b] += q[b] / 1000 } }
        }
        let target = [1.0, 3, 9, 27].map { $0 / 40 }
        let tv = 0.5 * zip(mean, target).reduce(0) { $0 + abs($1.0 - $1.1) }
        #expect(mean[0] < mean[1] && mean[1] < mean[2] && mean[2] < mean[3], "\(mean)")
        #expect(tv < 0.5 * 0.425, "mean q \(mean), TV \(tv)")
        let q = try #require(bcd.banditProbabilities)
        #expect(abs(q.reduce(0, +) - 1) < 1e-12)
    }

    @Test func banditUpdateStaysFiniteOnExtremeRewards() {
        var bandit = BlockBandit(blockCount: 5, gamma: 0.2, learningRate: 0.5)
        let rewards: [[Double]] = [[1e300, -1e300], [.nan, 1], [.infinity, 0], [-5, -7], [1e-300, 1e-300], [0, 0]]
        for (t, r) in rewards.enumerated() {
            let q = bandit.probabilities
            bandit.update(active: [t % 5, (t + 2) % 5], estimates: r, q: q,
                          inclusion: BlockSchedule.inclusionProbabilities(q, activeCount: 2))
            let p = bandit.probabilities
            #expect(p.allSatisfy { $0.isFinite && $0 >= 0.2 / 5 * (1 - 1e-12) } && abs(p.reduce(0, +) - 1) < 1e-12)
            #expect(bandit.logWeights.allSatisfy { $0.isFinite && $0 <= 0 && $0 >= BlockBandit.logWeightFloor })
        }
    }

    // MARK: Convergence budgets

    @Test(arguments: BlockRule.allCases)
    func everyRuleConvergesWithinItsBudget(rule: BlockRule) throws {
        // BlockCoordinateDescent's doc comment: d = 12 (4 blocks of 3), κ = 10, θ₀ = 1, base
        // MeZO (ε = 1e-4), k = 1, seed 2: 1000 steps reach < 1e-3 of the start — deterministic
        // rules with K = 25 and η = 0.05, randomized and bandit with K = 1 and η = 0.01 (their
        // updates are scaled by 1/π = 4).
        let f = QuadraticObjective<Double>.diagonal(d: 12, kappa: 10, blocks: [3, 3, 3, 3])
        let start = try f.loss()
        var options = ["rule": rule.rawValue, "eps": "1e-4", "lr": rule.isSampled ? "0.01" : "0.05"]
        if !rule.isSampled { options["switch-interval"] = "25" }
        let opt = try OptimizerRegistry.make("bcd", options: options, parameters: f.parameters)
        let r = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 1000, seed: 2, evaluateEvery: 1000))
        let end = try #require(r.finalLoss)
        #expect(r.divergence == nil && end < 1e-3 * start, "\(rule): start \(start), end \(end)")
    }

    @Test(arguments: [("bcd", ["base": "hizoo", "lr": "0.05", "mu": "1e-4", "alpha": "0.01"]),
                      ("b-pdf", ["lr": "0.05", "mu": "1e-4", "alpha": "0.01", "active-blocks": "2"])])
    func hessianInformedBCDConvergesWithinItsBudget(name: String, options: [String: String]) throws {
        // Same problem, ascending, K = 25: 1000 steps reach < 1e-3 of the start (seed 2).
        let f = QuadraticObjective<Double>.diagonal(d: 12, kappa: 10, blocks: [3, 3, 3, 3])
        let start = try f.loss()
        var o = options
        o["switch-interval"] = "25"
        let opt = try OptimizerRegistry.make(name, options: o, parameters: f.parameters)
        let r = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 1000, seed: 2, evaluateEvery: 1000))
        let end = try #require(r.finalLoss)
        #expect(r.divergence == nil && end < 1e-3 * start, "\(name): start \(start), end \(end)")
        #expect(r.totalForwardPasses == 3000)
    }

    /// BCD-Adam's budget (its factory's doc comment): same problem, descending (the default),
    /// k = 1, K = 25, η = 0.05, seed 2: < 1e-3 of the start within 1000 steps with either
    /// state reset; and with the randomized rule (K = 1, η = 0.01), where a block is often
    /// re-selected and the two resets differ.
    @Test(arguments: [(["switch-interval": "25", "lr": "0.05"], BlockStateReset.all),
                      (["switch-interval": "25", "lr": "0.05"], .entering),
                      (["rule": "randomized", "lr": "0.01"], .all),
                      (["rule": "randomized", "lr": "0.01"], .entering)])
    func bcdAdamConvergesWithinItsBudget(options: [String: String], reset: BlockStateReset) throws {
        let f = QuadraticObjective<Double>.diagonal(d: 12, kappa: 10, blocks: [3, 3, 3, 3])
        let start = try f.loss()
        var o = options
        o["state-reset"] = reset.rawValue
        let opt = try OptimizerRegistry.make("bcd-adam", options: o, parameters: f.parameters)
        let r = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 1000, seed: 2, evaluateEvery: 1000))
        let end = try #require(r.finalLoss)
        #expect(r.divergence == nil && end < 1e-3 * start, "\(o): start \(start), end \(end), ratio \(end / start)")
        #expect(r.totalForwardPasses == 1000 && r.totalBackwardPasses == 1000)
    }

    // MARK: BCD-Adam state reset (BAdam)

    @Test func stateResetDefaultsAreBAdamsForBCDAdamAndEnteringForBCD() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 12, kappa: 10, blocks: [3, 3, 3, 3])
        #expect(try OptimizerRegistry.make("bcd-adam", parameters: f.parameters).settings["state-reset"] == "all")
        #expect(try OptimizerRegistry.make("bcd", options: ["base": "adam"], parameters: f.parameters).settings["state-reset"] == "entering")
        #expect(try OptimizerRegistry.factory(named: "b-pdf").options.contains { $0.name == "state-reset" } == false)
    }

    /// With every block active (k = D) the set never changes, so the only difference between
    /// the resets is BAdam's: `all` restarts Adam from zero moments at every period start
    /// (= a fresh Adam every K steps), `entering` never resets (= plain Adam), bit for bit.
    @Test(arguments: BlockStateReset.allCases)
    func bcdAdamResetMatchesAdamRestartedOrContinued(_ reset: BlockStateReset) throws {
        func problem() -> QuadraticObjective<Double> { .diagonal(d: 12, kappa: 10, blocks: [3, 3, 3, 3]) }
        let f = problem(), g = problem()
        let bcd = try OptimizerRegistry.make("bcd-adam", options: ["active-blocks": "4", "switch-interval": "3", "lr": "0.05",
                                                                   "state-reset": reset.rawValue], parameters: f.parameters)
        var adam = try OptimizerRegistry.make("adam", options: ["lr": "0.05"], parameters: g.parameters)
        for t in 0..<7 {
            if t > 0 && t % 3 == 0 && reset == .all {
                adam = try OptimizerRegistry.make("adam", options: ["lr": "0.05"], parameters: g.parameters)
            }
            let r = try bcd.step(f, context: StepContext(step: t, runSeed: 5))
            _ = try adam.step(g, context: StepContext(step: t, runSeed: 5))
            #expect(r.diagnostics["bcdSwitched"] == (t % 3 == 0 ? 1 : 0))
            #expect(f.x == g.x, "\(reset), step \(t)")
        }
        // Adam's t restarted at the last period start (t = 6) with `all`, never with `entering`.
        #expect(bcd.saveState().integers["base.steps/0"] == (reset == .all ? 1 : 7))
    }

    /// A block announced for two consecutive periods (a re-selection, as the randomized rule
    /// often draws): `all` zeroes its Adam moments and t at the second announcement,
    /// `entering` keeps them.
    @Test func reSelectedBlockRestartsOnlyWithResetAll() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 6, kappa: 10, blocks: [3, 3])
        let p = f.parameters
        for reset in BlockStateReset.allCases {
            let adam = try #require(try OptimizerRegistry.make("adam", options: ["lr": "0.05"], parameters: p) as? any BlockwiseOptimizer<Double>)
            adam.activeBlocksChanged(to: [1], reset: reset)
            _ = try adam.step(f, context: StepContext(step: 0, runSeed: 1), blocks: [1], blockScales: nil)
            let before = adam.saveState()
            adam.activeBlocksChanged(to: [1], reset: reset)   // the same set again
            let after = adam.saveState()
            #expect(before.integers["steps/1"] == 1 && before.buffers["m/1"]!.contains { $0 != 0 })
            if reset == .all {
                #expect(after.integers["steps/1"] == 0 && after.buffers["m/1"]!.allSatisfy { $0 == 0 }
                        && after.buffers["v/1"]!.allSatisfy { $0 == 0 })
            } else {
                #expect(after == before)
            }
        }
    }

    // MARK: B-PDF memory

    @Test func bpdfStateIsProportionalToTheActiveBlocks() throws {
        for k in 1...4 {
            let f = QuadraticObjective<Float>.diagonal(d: 20, kappa: 3, blocks: [5, 5, 5, 5])
            let hizoo = try OptimizerRegistry.make("hizoo", parameters: f.parameters).stateBytes
            let opt = try OptimizerRegistry.make("b-pdf", options: ["active-blocks": "\(k)", "switch-interval": "3", "lr": "1e-3"],
                                                 parameters: f.parameters)
            let bcd = try #require(opt as? BlockCoordinateDescent<Float>)
            let base = try #require(bcd.base as? HiZOO<Float>)
            for t in 0..<12 {
                let r = try opt.step(f, context: StepContext(step: t, runSeed: 4))
                #expect(r.stateBytes * 4 == hizoo * r.activeBlocks.count)
                #expect(base.heldBlocks == r.activeBlocks)
                if k < 4 { #expect(r.activeBlocks.count == k || (t / 3) % 2 == 1) }
            }
            if k == 2 { #expect(hizoo == 80 && opt.stateBytes == 40) }
        }
    }

    @Test func bpdfReinitialisesTheHessianOfEnteringBlocks() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 8, kappa: 3, blocks: [4, 4])
        let opt = try OptimizerRegistry.make("b-pdf", options: ["active-blocks": "1", "switch-interval": "2", "lr": "1e-3",
                                                                "alpha": "0.5"], parameters: f.parameters)
        let base = try #require((opt as? BlockCoordinateDescent<Double>)?.base as? HiZOO<Double>)
        for t in 0..<6 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 2))
            let h = base.hessianDiagonal()
            let active = r.activeBlocks[0], other = 1 - active
            #expect(h[(other * 4)..<(other * 4 + 4)].allSatisfy { $0.isNaN })
            #expect(h[(active * 4)..<(active * 4 + 4)].allSatisfy { $0 != 1 && $0.isFinite })
            if t % 2 == 0 {
                // First step of a period: H started at 1 for the entering block — one EMA step.
                #expect(h[(active * 4)..<(active * 4 + 4)].allSatisfy { $0 >= 0.5 })
            }
        }
    }

    /// The randomized rule holds its inclusion probabilities once (d Doubles) plus the active
    /// blocks' scales; the first step adds only the scales.
    @Test func randomizedRuleCountsItsInclusionProbabilitiesOnce() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 15, kappa: 10, blocks: [3, 3, 3, 3, 3])
        let opt = try OptimizerRegistry.make("bcd", options: ["rule": "randomized", "active-blocks": "2", "lr": "0.005"],
                                             parameters: f.parameters)
        let bcd = try #require(opt as? BlockCoordinateDescent<Float>)
        let baseBytes = bcd.base.stateBytes
        #expect(opt.stateBytes == baseBytes + 5 * 8)
        let r = try opt.step(f, context: StepContext(step: 0, runSeed: 3))
        #expect(opt.stateBytes == bcd.base.stateBytes + (5 + r.activeBlocks.count) * 8)
        let restored = try OptimizerRegistry.make("bcd", options: ["rule": "randomized", "active-blocks": "2", "lr": "0.005"],
                                                  parameters: f.parameters)
        try restored.loadState(opt.saveState())
        #expect(restored.stateBytes == opt.stateBytes)
    }

    // MARK: State

    @Test(arguments: [
        ("bcd", ["rule": "random-reshuffling", "active-blocks": "2", "switch-interval": "3", "lr": "0.01"]),
        ("bcd", ["rule": "bandit", "lr": "0.005"]),
        ("bcd", ["rule": "randomized", "block-sampling": "bernoulli", "lr": "0.005"]),
        ("bcd", ["rule": "gauss-southwell", "switch-interval": "4", "base": "hizoo", "lr": "0.01", "alpha": "0.05"]),
        ("bcd", ["rule": "odd-even", "active-blocks": "2", "switch-interval": "5", "base": "hizoo-l", "lr": "0.01"]),
        ("b-pdf", ["rule": "ascending", "active-blocks": "2", "switch-interval": "3", "lr": "0.01", "alpha": "0.05"]),
    ])
    func saveAndLoadContinueBitIdentically(name: String, options: [String: String]) throws {
        let f = QuadraticObjective<Float>.diagonal(d: 15, kappa: 10, blocks: [3, 3, 3, 3, 3])
        let a = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
        for t in 0..<37 { _ = try a.step(f, context: StepContext(step: t, runSeed: 17)) }
        let saved = a.saveState(), theta = f.parameters.snapshot(), savedBytes = a.stateBytes
        var first: [[Int]] = []
        for t in 37..<60 { first.append(try a.step(f, context: StepContext(step: t, runSeed: 17)).activeBlocks) }
        let g = QuadraticObjective<Float>.diagonal(d: 15, kappa: 10, blocks: [3, 3, 3, 3, 3])
        g.parameters.assign(theta)
        let b = try OptimizerRegistry.make(name, options: options, parameters: g.parameters)
        try b.loadState(saved)
        #expect(b.stateBytes == savedBytes)
        var second: [[Int]] = []
        for t in 37..<60 { second.append(try b.step(g, context: StepContext(step: t, runSeed: 17)).activeBlocks) }
        #expect(first == second)
        #expect(g.parameters.snapshot() == f.parameters.snapshot())
        #expect(b.saveState() == a.saveState())
        if options["rule"] == "bandit" {
            #expect((b as? BlockCoordinateDescent<Float>)?.banditProbabilities == (a as? BlockCoordinateDescent<Float>)?.banditProbabilities)
        }
    }

    // MARK: Options

    @Test func badOptionsAreRejectedWithClearErrors() throws {
        let p = ParameterSet<Double>(layout: Self.blocks([2, 2, 2]))
        func message(_ name: String, _ options: [String: String]) -> String? {
            do {
                _ = try OptimizerRegistry.make(name, options: options, parameters: p)
                return nil
            } catch let e as OptimizerError {
                return "\(e)"
            } catch {
                return "unexpected \(error)"
            }
        }
        let cases: [(String, [String: String], String)] = [
            ("bcd", ["active-blocks": "4"], "active-blocks"),
            ("bcd", ["active-blocks": "0"], "active-blocks"),
            ("bcd", ["base": "nope"], "base"),
            ("bcd", ["rule": "cyclic"], "rule"),
            ("bcd", ["bandit-gamma": "1.5"], "bandit-gamma"),
            ("bcd", ["bandit-gamma": "0"], "bandit-gamma"),
            ("bcd", ["bandit-lr": "nan"], "bandit-lr"),
            ("bcd", ["switch-interval": "-1"], "switch-interval"),
            ("bcd", ["lr": "-1"], "lr"),
            ("bcd", ["base": "hizoo", "alpha": "2"], "alpha"),
            ("bcd", ["base": "mezo", "alpha": "0.1"], "alpha"),
            ("bcd", ["rule": "bandit", "distribution": "rademacher"], "Gaussian"),
            ("bcd", ["colour": "red"], "colour"),
            ("b-pdf", [:], "active-blocks"),
            ("b-pdf", ["active-blocks": "2", "h-min": "3", "h-max": "2"], "h-min"),
        ]
        for (name, options, mention) in cases {
            let m = message(name, options)
            #expect(m?.contains(mention) == true, "\(name) \(options): \(m ?? "accepted")")
        }
        // bcd-adam resolves its base now that Adam is registered.
        let badam = try OptimizerRegistry.make("bcd-adam", options: ["active-blocks": "2"], parameters: p)
        #expect(badam.settings["base"] == "adam")
        // Forwarded options reach the base.
        let opt = try OptimizerRegistry.make("bcd", options: ["base": "hizoo", "alpha": "0.25", "active-blocks": "2"], parameters: p)
        #expect(opt.settings["alpha"] == "0.25" && opt.settings["base"] == "hizoo" && opt.settings["active-blocks"] == "2")
        #expect(BlockCoordinateDescentFactory.options.contains { $0.name == "eps" })
        #expect(!BlockCoordinateOptions.baseNames.contains("bcd") && BlockCoordinateOptions.baseNames.contains("hizoo-l"))
    }
}
