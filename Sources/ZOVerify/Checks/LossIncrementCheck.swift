import Foundation
import ZOCore
import ZOFunctions
import ZOOptim
import ZOStats

/// Claim 7: the probability that a step increases the loss on a different batch (seed 003
/// Fig. 2b/5): MeZO versus SGD versus Sparse MeZO, on noisy least squares.
public struct LossIncrementCheck: Check {
    public let name = "loss-increment"
    public let claim = 7
    public let title = "Loss-increment probability: MeZO vs SGD vs Sparse MeZO"
    public let source = "seed 003 Fig. 2b and rebuttal Fig. 5 (\"MeZO has a higher probability of loss increment (0.4–0.6) compared to SGD (0.2–0.3)\"; Sparse MeZO lower than MeZO)"
    public let statement = "A MeZO step increases the loss — on its own batch and on a different batch — more often than an SGD step; Sparse MeZO less often than MeZO."
    public let derivation = """
        For a small step the loss change on a batch B is ≈ −η ĝᵀ∇L_B. SGD's ĝ = ∇L_B′ correlates with ∇L_B \
        through the shared full gradient; MeZO's ĝ = (zᵀ∇L_B′)z has cosine ~ 1/√d with any fixed direction \
        (claim 4), so ĝᵀ∇L_B changes sign much more often — on the same batch only the O(η²) curvature term \
        can raise the loss for SGD, while MeZO's random direction does so whenever η zᵀAz/2 exceeds 1. \
        Sparse MeZO perturbs k = (1 − s)d coordinates: its cosine ~ 1/√k, larger than MeZO's.
        """
    public let method = """
        Noisy least squares d = 32 (n = 1024 rows, σ = 0.5, batches of 32, seeded), start θ₀ ~ N(0, 0.1²) \
        (seeded; Sparse MeZO's magnitude mask needs distinct |θ|). Each method's learning rate is tuned by the \
        lowest full-batch loss after T steps (T = 300; test 150; grid 1e-3 … 0.5). "During training", as the seed \
        measured: states are the method's own tuned trajectory at T/3, 2T/3 and T. Trial: a random batch B, \
        one step of the method on B with a fresh seed (a fresh optimizer loaded with the run's state at that point), \
        then L_B and L_B′ (an independent batch) before and after; θ restored. Sparse MeZO: s = 0.75 with τ \
        recomputed every step (`threshold-refresh` 1): with the paper's τ fixed at the first step the mask of \
        this 32-dimensional problem empties as the perturbed small weights grow past τ, and the method stops \
        moving (measured and reported: the mask sizes along that run). Trials per method from \
        the power target for a difference Δp (full 0.02, quick 0.04, test 0.1).
        """
    public let statisticDescription = "Differences of proportions with Newcombe (Wilson-based) intervals at αᵢ/4 for: MeZO > SGD (same batch), MeZO > SGD (different batch), Sparse MeZO < MeZO (same and different batch). Each: holds when the interval is on the claimed side of 0, refuted when on the other, caveat when it straddles. Wilson and Clopper–Pearson intervals of each probability are reported and compared with the seed's ranges."
    public let elementaryTests = 4
    /// The orderings are claims about the methods, not known truths (Sparse MeZO vs MeZO varies
    /// with the seed); the known-true case is two arms of one method.
    public let positiveControlIsClaim = false

    public init() {}

    static let grid = [1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5]
    static let methods: [(String, String, [String: String])] = [
        ("SGD", "sgd", [:]), ("MeZO", "mezo", ["eps": "1e-3"]),
        ("Sparse MeZO", "sparse-mezo", ["eps": "1e-3", "sparsity": "0.75", "threshold-refresh": "1"]),
    ]

    func resolution(_ c: CheckConfiguration) -> Double { c.scale.pick(full: 0.02, quick: 0.04, test: 0.1) }

    func trials(_ c: CheckConfiguration) -> Int {
        let n = c.criticalSum * (2 * 0.25).squareRoot() / resolution(c)
        return Int((n * n).rounded(.up))
    }

    func objective(_ c: CheckConfiguration) throws -> FunctionObjective {
        let start: [Double] = Noise.values(count: 32, key: NoiseKey(seed: c.seed(3), stream: 0)).map { 0.1 * $0 }
        return try FunctionObjective(named: "noisy-least-squares", dimension: 32, parameters: FunctionParameters(seed: 1, batchSize: 32),
                                     start: start)
    }

    func horizon(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 300, quick: 300, test: 150) }

    func tune(_ method: (String, String, [String: String]), _ o: FunctionObjective, steps: Int, seed: UInt64) throws -> Double {
        let start = o.parameters.snapshot()
        defer { o.parameters.assign(start) }
        var best = (Double.infinity, Self.grid[0])
        for eta in Self.grid {
            o.parameters.assign(start)
            var options = method.2
            options["lr"] = "\(eta)"
            let opt = try OptimizerRegistry.make(method.1, options: options, parameters: o.parameters)
            let run = try OptimizationRun.run(o, optimizer: opt, configuration: RunConfiguration(steps: steps, seed: seed, trajectoryDimensionLimit: 0, evaluateEvery: 0))
            guard run.divergence == nil, o.parameters.isFinite, let loss = try? o.fullBatchLoss(), loss.isFinite else { continue }
            if loss < best.0 { best = (loss, eta) }
        }
        return best.1
    }

    /// A point of a method's own run: θ and the optimizer's state there (Sparse MeZO's
    /// thresholds, recomputed at every step with `threshold-refresh` 1).
    struct RunPoint {
        var theta: [Double]
        var state: OptimizerState<Double>
    }

    /// States on the method's own tuned trajectory at T/3, 2T/3 and T.
    func states(_ method: (String, String, [String: String]), eta: Double, _ o: FunctionObjective, steps: Int, seed: UInt64) throws -> [RunPoint] {
        let start = o.parameters.snapshot()
        defer { o.parameters.assign(start) }
        var options = method.2
        options["lr"] = "\(eta)"
        let opt = try OptimizerRegistry.make(method.1, options: options, parameters: o.parameters)
        var out: [RunPoint] = []
        for t in 0..<steps {
            o.selectBatch(t)
            _ = try opt.step(o, context: StepContext(step: t, runSeed: seed))
            if (t + 1) % (steps / 3) == 0 && out.count < 3 { out.append(RunPoint(theta: o.parameters.snapshot(), state: opt.saveState())) }
        }
        guard out.count == 3, out.allSatisfy({ $0.theta.allSatisfy(\.isFinite) }) else {
            throw VerifyError.machinery(check: name, reason: "the tuned \(method.0) run did not give three finite states")
        }
        return out
    }

    struct Counts { var same = 0, different = 0, trials = 0 }

    func measure(_ method: (String, String, [String: String]), eta: Double, states: [RunPoint], _ o: FunctionObjective, n: Int,
                 seed: UInt64, thin: Double = 0) throws -> Counts {
        let entry = o.parameters.snapshot()
        defer { o.parameters.assign(entry) }
        var counts = Counts()
        let coin: [Double] = thin > 0 ? Noise.values(count: 2 * n, key: NoiseKey(seed: seed, stream: 5), kind: .uniform) : []
        let batches: [Double] = Noise.values(count: 2 * n, key: NoiseKey(seed: seed, stream: 6), kind: .uniform)
        var options = method.2
        options["lr"] = "\(eta)"
        for (k, point) in states.enumerated() {
            o.parameters.assign(point.theta)
            let per = n / states.count + (k < n % states.count ? 1 : 0)
            for i in 0..<per {
                let trial = counts.trials
                let b1 = Int(batches[2 * trial] * 1e9), b2 = Int(batches[2 * trial + 1] * 1e9) + 1_000_000_000
                // A fresh optimizer in the run's state at this point, so trials are independent.
                let opt = try OptimizerRegistry.make(method.1, options: options, parameters: o.parameters)
                try opt.loadState(point.state)
                let outcome = try LossIncrementStudy.trial(o, optimizer: opt, at: point.theta, stepBatch: b1, otherBatch: b2,
                                                           context: StepContext(step: k * 10_000_000 + i, runSeed: seed))
                var same = outcome.sameBatch, different = outcome.differentBatch
                if thin > 0 {
                    if same && coin[2 * trial] < thin { same = false }
                    if different && coin[2 * trial + 1] < thin { different = false }
                }
                if same { counts.same += 1 }
                if different { counts.different += 1 }
                counts.trials += 1
            }
        }
        return counts
    }

    func compare(_ a: (String, Int, Int), _ b: (String, Int, Int), claim: String, greater: Bool, batch: String,
                 _ c: CheckConfiguration) throws -> (SubResult, IntervalDecision) {
        let alpha = c.familyAlpha(tests: 1)
        let (diff, interval, se) = try Intervals.proportionDifference(successes: a.1, trials: a.2, successes: b.1, trials: b.2, alpha: alpha)
        let decision = greater ? IntervalDecision.above(interval, 0) : IntervalDecision.below(interval, 0)
        return (SubResult(name: "\(a.0) vs \(b.0), \(batch) batch", hypothesis: claim, statistic: "p₁ − p₂ (Newcombe interval)", value: diff,
                          alpha: alpha, rejected: decision == .outside, estimate: diff, interval: interval,
                          detectable: c.criticalSum * se, sampleSize: a.2 + b.2, note: "decision \(decision.rawValue)"), decision)
    }

    /// MeZO's reference arm, shared by the negative control and the detectable discrepancy: its
    /// tuned η, the three states of its tuned run, and n trials there with seed c.seed(11).
    private func mezoReference(_ o: FunctionObjective, n: Int, _ c: CheckConfiguration) throws
        -> (rate: Double, states: [RunPoint], counts: Counts) {
        let mezo = Self.methods[1]
        let rate = try tune(mezo, o, steps: horizon(c), seed: c.seed(1))
        let s = try states(mezo, eta: rate, o, steps: horizon(c), seed: c.seed(2))
        return (rate, s, try measure(mezo, eta: rate, states: s, o, n: n, seed: c.seed(11)))
    }

    /// At MeZO's measured different-batch probability p (the arm the negative control thins):
    /// (z + z)·√(2p(1 − p)/n). n itself is planned for the worst case p = ½.
    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let o = try objective(c)
        let n = trials(c)
        let reference = try mezoReference(o, n: n, c).counts
        return LossIncrementStudy.detectable(p: Double(reference.different) / Double(n), trials: n, c, what: "MeZO, different batch")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let o = try objective(c)
        let n = trials(c)
        let rates = try Self.methods.map { try tune($0, o, steps: horizon(c), seed: c.seed(1)) }
        let counts = try Self.methods.enumerated().map { k, m in
            try measure(m, eta: rates[k], states: try states(m, eta: rates[k], o, steps: horizon(c), seed: c.seed(2)), o, n: n,
                        seed: c.seed(10 + UInt64(k)))
        }
        var subs: [SubResult] = []
        var decisions: [IntervalDecision] = []
        func arm(_ k: Int, same: Bool) -> (String, Int, Int) { (Self.methods[k].0, same ? counts[k].same : counts[k].different, counts[k].trials) }
        for (a, b, greater, claim) in [(1, 0, true, "P(increase | MeZO) > P(increase | SGD)"), (2, 1, false, "P(increase | Sparse MeZO) < P(increase | MeZO)")] {
            for same in [true, false] {
                let (sub, d) = try compare(arm(a, same: same), arm(b, same: same), claim: claim, greater: greater, batch: same ? "same" : "different", c)
                subs.append(sub)
                decisions.append(d)
            }
        }
        var measured: [LossIncrementStudy.Measured] = []
        var numbers: [String: Double] = ["trialsPerMethod": Double(n)]
        var lines: [String] = []
        for (k, m) in Self.methods.enumerated() {
            for same in [true, false] {
                let kk = same ? counts[k].same : counts[k].different
                let (wilson, exact) = try Intervals.proportion(successes: kk, trials: counts[k].trials, alpha: c.familyAlpha(tests: 1))
                let p = Double(kk) / Double(counts[k].trials)
                measured.append(LossIncrementStudy.Measured(method: m.0, same: same, p: p, interval: wilson))
                numbers["p.\(m.1).\(same ? "same" : "different")"] = p
                subs.append(SubResult(name: "\(m.0), \(same ? "same" : "different") batch", hypothesis: "measured: P(loss increases)", statistic: "proportion",
                                      value: p, estimate: p, interval: wilson, sampleSize: counts[k].trials,
                                      note: "Clopper–Pearson \(Format.interval(exact, digits: 3)); η = \(Format.number(rates[k]))"))
                lines.append("\(m.0) \(same ? "same" : "different") \(Format.number(p, digits: 3)) \(Format.interval(wilson, digits: 3))")
            }
            numbers["eta.\(m.1)"] = rates[k]
        }
        let verdict: Verdict = decisions.contains(.outside) ? .refuted : (decisions.allSatisfy { $0 == .inside } ? .holds : .holdsWithCaveat)
        let sameMeZO = numbers["p.mezo.same"]!, sameSGD = numbers["p.sgd.same"]!
        var findings: [String] = []
        func placement(_ method: String) -> String {
            let m = measured.first { $0.method == method && !$0.same }!
            return "\(method) \(Format.number(m.p, digits: 3)) \(Format.interval(m.interval, digits: 3)): \(LossIncrementStudy.placement(m.interval, in: LossIncrementStudy.seedRanges[method]!)) the seed's \(method) range"
        }
        findings.append("Seed 003's Fig. 5 reports MeZO 0.4–0.6 vs SGD 0.2–0.3 \"using the same batch\". Here, on a different batch (Wilson intervals at the sub-test level): "
                        + placement("MeZO") + "; " + placement("SGD")
                        + " (\"straddles\": the interval overlaps the range's edge, so this n cannot say whether the probability is inside). Evaluated on the batch the step was computed on, the loss increased in \(Format.number(sameMeZO, digits: 2)) (MeZO) and \(Format.number(sameSGD, digits: 2)) (SGD) of the trials: at a tuned learning rate a step is a descent step on its own batch up to O(η²). The seed's \"same batch\" can only mean both methods estimated on the same batch and were evaluated on another.")
        if decisions[3] != .inside {
            findings.append("Seed 003's lower increment probability for Sparse MeZO is " + (decisions[3] == .outside ? "contradicted" : "not resolved at this n") + " on noisy least squares: different-batch difference \(Format.number(subs[3].estimate!, digits: 3)) \(Format.interval(subs[3].interval, digits: 3)) (\(decisions[3].rawValue)).")
        }
        // The paper's fixed τ along the same kind of run: how many weights its mask still holds.
        let fixed = ("Sparse MeZO, fixed τ", "sparse-mezo", ["eps": "1e-3", "sparsity": "0.75"])
        let fixedPoints = try states(fixed, eta: rates[2], o, steps: horizon(c), seed: c.seed(2))
        let maskSizes = fixedPoints.map { point -> Int in
            let tau = point.state.vectors["thresholds"]?.first ?? .infinity
            return point.theta.filter { abs($0) < tau }.count
        }
        for (k, size) in maskSizes.enumerated() { numbers["fixedThresholdMaskSize.point\(k + 1)"] = Double(size) }
        subs.append(SubResult(name: "Sparse MeZO with the paper's fixed τ", hypothesis: "measured: weights in the mask |θ| < τ at steps T/3, 2T/3, T of a run at the same η (25 % = 8 at the start)",
                              statistic: "mask size", value: Double(maskSizes.last!), sampleSize: maskSizes.count,
                              note: "mask sizes " + maskSizes.map(String.init).joined(separator: ", ") + " of 32"))
        let summary = "Noisy least squares d = 32, B = 32, tuned η (SGD \(Format.number(rates[0])), MeZO \(Format.number(rates[1])), Sparse MeZO \(Format.number(rates[2]))), "
            + "\(Format.count(n)) trials per method at three states of its own tuned run. P(increase): " + lines.joined(separator: "; ") + ". "
            + subs.prefix(4).map { "\($0.name): Δ = \(Format.number($0.estimate!, digits: 3)) \(Format.interval($0.interval, digits: 3)) (\($0.note.replacingOccurrences(of: "decision ", with: "")))" }.joined(separator: "; ") + ". "
            + "Sparse MeZO runs with τ recomputed every step; with the paper's τ fixed at the first step its mask holds " + maskSizes.map(String.init).joined(separator: ", ")
            + " of 32 weights at T/3, 2T/3 and T (8 at the start)" + (maskSizes.last! == 0 ? ": it stops moving, and its increment probability would be 0 for want of steps." : ".")
        return result(.claim, c, verdict: verdict, summary: summary, findings: findings, subResults: subs,
                      detectable: LossIncrementStudy.detectable(p: numbers["p.mezo.different"]!, trials: n, c, what: "MeZO, different batch"),
                      numbers: numbers,
                      figure: FigureData(title: "Claim 7: P(a step increases the loss), noisy least squares (Wilson intervals; bars without a point: seed 003's range)",
                                         columns: 2, panels: LossIncrementStudy.panels(measured)))
    }

    /// Two independent MeZO arms with the same increment probability: the claim "arm A > MeZO" is
    /// false only by chance, so the three-way decision must not come out "outside" (refuted)
    /// except with probability ≤ αᵢ/(2·4).
    public func runPositiveControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let o = try objective(c)
        let n = trials(c)
        let mezo = Self.methods[1]
        let rate = try tune(mezo, o, steps: horizon(c), seed: c.seed(1))
        let s = try states(mezo, eta: rate, o, steps: horizon(c), seed: c.seed(2))
        let a = try measure(mezo, eta: rate, states: s, o, n: n, seed: c.seed(11))
        let b = try measure(mezo, eta: rate, states: s, o, n: n, seed: c.seed(31))
        let (sub, d) = try compare(("MeZO arm A", a.different, a.trials), ("MeZO arm B", b.different, b.trials),
                                   claim: "P(increase | A) ≥ P(increase | B) (equal in truth)", greater: true, batch: "different", c)
        return result(.positiveControl, c, verdict: d == .outside ? .refuted : .holds,
                      summary: "Two independent MeZO arms (equal increment probability): Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(d.rawValue).",
                      subResults: [sub])
    }

    /// Two MeZO arms (independent trials), one thinned so that its increment probability is lower
    /// by the detectable difference; the claim "arm A > MeZO" must be refuted.
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let o = try objective(c)
        let n = trials(c)
        let mezo = Self.methods[1]
        let (rate, s, reference) = try mezoReference(o, n: n, c)
        let p = Double(reference.different) / Double(n)
        let stated = LossIncrementStudy.detectable(p: p, trials: n, c, what: "MeZO, different batch")
        let delta = stated.value
        let thinned = try measure(mezo, eta: rate, states: s, o, n: n, seed: c.seed(21), thin: min(1, delta / p))
        let (sub, d) = try compare(("MeZO thinned by \(Format.number(delta, digits: 3))", thinned.different, thinned.trials),
                                   ("MeZO", reference.different, reference.trials), claim: "P(increase | arm) > P(increase | MeZO)",
                                   greater: true, batch: "different", c)
        return result(.negativeControl, c, verdict: d == .outside ? .refuted : .holds,
                      summary: "A MeZO arm whose increments are thinned to P − \(Format.number(delta, digits: 3)) (the detectable difference) tested for \"more increments than MeZO\": Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(d.rawValue).",
                      subResults: [sub], detectable: stated, injected: delta, numbers: ["delta": delta])
    }
}
