import Foundation
import ZOCore
import ZOFunctions
import ZOOptim
import ZOStats

/// Claim 6d: convergence (E‖∇L‖² versus steps) of the BCD rules — uniform randomized, bandit,
/// cyclic ascending, random reshuffling, Gauss-Southwell, odd-even — on a block-structured function.
public struct BCDRulesCheck: Check {
    public let name = "bcd-rules"
    public let claim = 6
    public let title = "Block-coordinate rules converge on block-structured functions"
    public let source = "seed 000 rebuttal (rules table: ascending, descending, random reshuffling, Gauss-Southwell-diagonal, odd-even; randomized BCD bound with p ∝ ‖g_b‖); seed 001"
    public let statement = "ZO-BCD with each rule drives E‖∇L‖² down on a block-structured smooth function; the randomized bound favours p ∝ ‖g_b‖ (the bandit) over uniform sampling."
    public let derivation = """
        On an L-smooth function, each block step with a small enough η decreases L in expectation by \
        ≈ η‖∇_A L‖²(1 − η L_A (n_A + 2)/2); every rule here visits every block infinitely often (sampled rules \
        with probability ≥ γ/D or k/D per step), so ‖∇L‖² → 0 at a rate set by the slowest block's \
        curvature and visit frequency. Cyclic rules can fail on non-convex functions (claim 6e, Powell) but \
        not on a strongly convex quadratic.
        """
    public let method = """
        Block-heterogeneous quadratic d = 32 in 8 blocks of 4 (scales log-spaced over 100, seeded order) \
        from x = 1; `bcd` around `mezo` (ε = 1e-4), k = 2 active blocks; switch interval 10 for the \
        deterministic rules, 1 for randomized and bandit. η per rule chosen from {2e-4, 5e-4, 1e-3, 2e-3, 5e-3} \
        by the lowest final ‖∇L‖² on a separate tuning seed, then R measurement seeds (full 16, quick 10, test \
        10) of T steps (full 4000, quick 2000, test 600). ‖∇L‖² is recorded every T/40 steps.
        """
    public let statisticDescription = "Per rule, a t interval over seeds of log₁₀(‖∇L_T‖²/‖∇L_0‖²), at αᵢ/6: the rule converges when the interval lies below log₁₀ of the threshold (full 1e-4, quick 1e-3, test 1e-2); refuted when above. Rankings (bandit vs uniform) are measured."
    public let elementaryTests = 6

    public init() {}

    static let rules = ["randomized", "bandit", "ascending", "random-reshuffling", "gauss-southwell", "odd-even"]
    static let grid = [2e-4, 5e-4, 1e-3, 2e-3, 5e-3]

    func seeds(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 16, quick: 10, test: 10) }
    func steps(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 4000, quick: 2000, test: 600) }
    func threshold(_ c: CheckConfiguration) -> Double { c.scale.pick(full: 1e-4, quick: 1e-3, test: 1e-2) }

    func objective(start: [Double]? = nil) throws -> FunctionObjective {
        try BlockProblems.objective(dimension: 32, blocks: 8, span: 100, start: start)
    }

    static func options(_ rule: String, eta: Double) -> [String: String] {
        ["base": "mezo", "rule": rule, "active-blocks": "2", "switch-interval": BlockRule(rawValue: rule)!.isSampled ? "1" : "10",
         "lr": "\(eta)", "eps": "1e-4"]
    }

    /// ‖∇L‖² every `stride` steps (index 0 = start); `frozen` blocks are restored after every step.
    func trajectory(rule: String, eta: Double, seed: UInt64, steps: Int, frozen: Int? = nil, start: [Double]? = nil) throws -> [Double] {
        let o = try objective(start: start)
        let bcd = try OptimizerRegistry.make("bcd", options: Self.options(rule, eta: eta), parameters: o.parameters)
        let stride = max(1, steps / 40)
        let start = o.parameters.snapshot()
        var out = [Sampling.squaredNorm(try o.fullBatchGradient())]
        for t in 0..<steps {
            do { _ = try bcd.step(o, context: StepContext(step: t, runSeed: seed)) } catch OptimizerError.diverged { return out + [.infinity] }
            if let b = frozen {
                for i in o.parameters.blocks[b].range { o.parameters.buffer[i] = start[i] }
            }
            if (t + 1) % stride == 0 {
                let g = Sampling.squaredNorm(try o.fullBatchGradient())
                guard g.isFinite else { return out + [.infinity] }
                out.append(g)
            }
        }
        return out
    }

    func tunedRate(_ rule: String, _ c: CheckConfiguration) throws -> Double {
        var best = (Double.infinity, Self.grid[0])
        for eta in Self.grid {
            let last = try trajectory(rule: rule, eta: eta, seed: c.seed(999), steps: steps(c)).last!
            if last < best.0 { best = (last, eta) }
        }
        return best.1
    }

    func decide(_ logs: [Double], rule: String, _ c: CheckConfiguration) throws -> (SubResult, IntervalDecision) {
        let m = RunningMoments(logs.map { $0.isFinite ? $0 : 10 })
        let alpha = c.familyAlpha(tests: 1)
        let interval = try Intervals.mean(m, alpha: alpha)
        let decision = IntervalDecision.below(interval, log10(threshold(c)))
        return (SubResult(name: rule, hypothesis: "E log₁₀(‖∇L_T‖²/‖∇L_0‖²) < \(Format.number(log10(threshold(c))))", statistic: "t interval over seeds",
                          value: m.mean, alpha: alpha, rejected: decision == .outside, estimate: m.mean, interval: interval,
                          detectable: try c.detectableShiftT(sampleCount: m.count, standardDeviation: max(m.standardDeviation, 1e-9)),
                          sampleSize: m.count, note: "decision \(decision.rawValue)"), decision)
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let eta = try tunedRate("randomized", c)
        let logs = try (0..<seeds(c)).map { r -> Double in
            let t = try trajectory(rule: "randomized", eta: eta, seed: c.seed(UInt64(r)), steps: steps(c))
            return log10(t.last! / t[0])
        }
        let sd = RunningMoments(logs).standardDeviation
        return Discrepancy(value: try c.detectableShiftT(sampleCount: logs.count, standardDeviation: max(sd, 1e-9)),
                           unit: "decades of ‖∇L_T‖²/‖∇L_0‖² beyond the threshold (uniform randomized rule)",
                           basis: "R = \(logs.count) seeds × \(steps(c)) steps, SD \(Format.number(sd, digits: 3)) decades")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        var subs: [SubResult] = []
        var series: [SeriesData] = []
        var numbers: [String: Double] = [:]
        var decisions: [IntervalDecision] = []
        var finals: [String: RunningMoments] = [:]
        let stride = max(1, steps(c) / 40)
        for rule in Self.rules {
            let eta = try tunedRate(rule, c)
            let runs = try (0..<seeds(c)).map { try trajectory(rule: rule, eta: eta, seed: c.seed(UInt64($0)), steps: steps(c)) }
            let logs = runs.map { log10($0.last! / $0[0]) }
            let (sub, decision) = try decide(logs, rule: "\(rule) (η = \(Format.number(eta)))", c)
            subs.append(sub)
            decisions.append(decision)
            finals[rule] = RunningMoments(logs)
            numbers["eta.\(rule)"] = eta
            numbers["meanLog10Ratio.\(rule)"] = sub.estimate!
            let length = runs.map(\.count).min()!
            let mean = (0..<length).map { k in runs.reduce(0.0) { $0 + $1[k] } / Double(runs.count) }
            series.append(SeriesData(label: rule, x: (0..<length).map { Double($0 * stride) }, y: mean))
        }
        let allIn = decisions.allSatisfy { $0 == .inside }
        let anyOut = decisions.contains(.outside)
        let verdict: Verdict = anyOut ? .refuted : (allIn ? .holds : .holdsWithCaveat)
        let welch = try SignificanceTest.welchT(finals["bandit"]!, finals["randomized"]!)
        let order = Self.rules.sorted { finals[$0]!.mean < finals[$1]!.mean }
        let summary = "Block-heterogeneous quadratic d = 32, 8 blocks, k = 2, \(seeds(c)) seeds × \(steps(c)) steps: log₁₀ of the final/initial ‖∇L‖² — "
            + subs.map { "\($0.name): \(Format.number($0.estimate!, digits: 3)) \(Format.interval($0.interval, digits: 3))" }.joined(separator: "; ")
            + " (threshold \(Format.number(log10(threshold(c))))). Ranking (lower is better): " + order.joined(separator: " < ")
            + ". Bandit vs uniform randomized: difference \(Format.number(welch.estimate, digits: 3)) decades, Welch p = \(Format.probability(welch.pValue))."
        var findings: [String] = []
        if welch.estimate > 0, try welch.rejects(at: c.familyAlpha(tests: 1)) {
            findings.append("The rebuttal (seed 000) proposes the bandit's p ∝ ‖g_b‖ to tighten the randomized-BCD bound. In this convergence study the bandit rule is the slowest: "
                            + "\(Format.number(welch.estimate, digits: 3)) decades of ‖∇L‖² behind uniform sampling after \(steps(c)) steps (Welch p = \(Format.probability(welch.pValue))). "
                            + "p ∝ ‖g_b‖ minimises the variance for the current gradient (check bcd-optimal-probabilities), but it concentrates updates on the currently largest block, "
                            + "rare blocks get updates scaled by 1/p_b (the tuned η is \(Format.number(numbers["eta.bandit"]!)) vs \(Format.number(numbers["eta.randomized"]!)) for uniform), "
                            + "and the probabilities lag as block norms fall by orders of magnitude during the run.")
        }
        return result(.claim, c, verdict: verdict, summary: summary, findings: findings, subResults: subs,
                      detectable: try smallestDetectableDiscrepancy(configuration: c), numbers: numbers,
                      figure: FigureData(title: "Claim 6d: E‖∇L‖² versus steps by BCD rule (mean of \(seeds(c)) seeds)", columns: 1, panels: [
                        PanelData(lines: series, title: "block-heterogeneous quadratic d = 32, 8 blocks, k = 2, ZO-BCD around MeZO", xLabel: "step",
                                  yLabel: "E‖∇L‖²", logY: true),
                      ]))
    }

    /// The uniform randomized rule with one block never updated, started where that block holds
    /// exactly the share 10^(log₁₀ threshold + Δ) of ‖∇L₀‖² (Δ the detectable shift): its
    /// gradient never shrinks (∇_b L = h_b x_b is linear in the frozen x_b), so while the other
    /// blocks converge the ratio ‖∇L_T‖²/‖∇L₀‖² tends to that share — the rule misses the
    /// threshold by exactly Δ decades. The block is the one with the smallest share at x = 1
    /// (scaled up to the needed share; the other blocks start at 1).
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let stated = try smallestDetectableDiscrepancy(configuration: c)
        let shift = stated.value
        let o = try objective()
        let g = try o.fullBatchGradient()
        let norms = o.parameters.blocks.map { b in b.range.reduce(0.0) { $0 + g[$1] * g[$1] } }
        let total = norms.reduce(0, +)
        let need = threshold(c) * pow(10, shift)
        guard need < 1 else {
            throw VerifyError.machinery(check: name, reason: "the detectable shift \(Format.number(shift, digits: 3)) decades leaves no room below ‖∇L₀‖²")
        }
        let frozen = norms.indices.min { norms[$0] < norms[$1] }!
        // s² G_b / (s² G_b + G_rest) = need.
        let scale = (need * (total - norms[frozen]) / ((1 - need) * norms[frozen])).squareRoot()
        var start = [Double](repeating: 1, count: 32)
        for i in o.parameters.blocks[frozen].range { start[i] = scale }
        let eta = try tunedRate("randomized", c)
        let logs = try (0..<seeds(c)).map { r -> Double in
            let t = try trajectory(rule: "randomized", eta: eta, seed: c.seed(UInt64(r)), steps: steps(c), frozen: frozen, start: start)
            return log10(t.last! / t[0])
        }
        let (sub, _) = try decide(logs, rule: "randomized with block \(frozen) frozen at share \(Format.number(need, digits: 3))", c)
        return result(.negativeControl, c, verdict: sub.rejected == true ? .refuted : .holds,
                      summary: "Uniform randomized BCD that never updates block \(frozen), started with that block holding \(Format.number(need, digits: 3)) of ‖∇L₀‖² (= threshold × 10^\(Format.number(shift, digits: 3)), the detectable shift): log₁₀ final/initial = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) vs the threshold \(Format.number(log10(threshold(c)))).",
                      subResults: [sub], detectable: stated, injected: log10(need) - log10(threshold(c)),
                      numbers: ["frozenBlockShare": need, "frozenBlockScale": scale])
    }
}
