import Foundation
import ZOCore
import ZOOptim
import ZOStats
import ZOTrain

/// Claim 7 at the transformer level: the probability that a fine-tuning step increases the
/// prompt loss, on the step's batch and on a different batch, for MeZO, SGD and Sparse MeZO
/// (seed 003 Fig. 2b/5).
public struct TransformerLossIncrementCheck: Check {
    public let name = "transformer-loss-increment"
    public let claim = 7
    public let title = "Loss-increment probability during fine-tuning: MeZO vs SGD vs Sparse MeZO"
    public let source = "seed 003 Fig. 2b and rebuttal Fig. 5 (MeZO 0.4–0.6 vs SGD 0.2–0.3; Sparse MeZO lower); CHECKS.md claim 7 (\"on the transformer fine-tuning task, with binomial intervals\")"
    public let statement = "On the prompt fine-tuning objective a MeZO step increases the loss more often than an SGD step, on its own batch and on a different batch; Sparse MeZO less often than MeZO."
    public let derivation = """
        As for the test functions (claim 7 there): the change on batch B is ≈ −η ĝᵀ∇L_B; SGD's ĝ = ∇L_B′ \
        correlates with ∇L_B through the shared full gradient, MeZO's (zᵀ∇L_B′)z has a cosine ~ 1/√d with \
        it (claim 4, ≈ 10⁻³ here), so its sign is nearly a coin flip; Sparse MeZO's masked direction has \
        cosine ~ 1/√k, k = (1 − s)d.
        """
    public let method = """
        The prompt-classification objective (sst2, batches of 8 examples): full — the committed pre-trained \
        model `models/pretrained.safetensors` from the repository root, else (and at quick/test) a seeded random \
        GPT C 16, L 2 on generated sst2. Settings: the comparison's full-mode defaults (`MethodDefaults`: MeZO \
        η 1e-4, SGD η 1e-3 with momentum 0.9, Sparse MeZO η 2e-4, s = 0.75). During fine-tuning: each method runs \
        its own fine-tuning from θ₀ (batch t at step t) and is measured at steps 0, 100 and 200 (quick 0, 20, 40; \
        test 0, 5) — θ and the optimizer's state (SGD's momentum, Sparse MeZO's thresholds) are saved there. \
        Trial: at one of those points (trials split evenly), a random batch B and an independent batch B′, one \
        step of a fresh optimizer loaded with that state on B with a fresh noise key, the loss on B and B′ before \
        and after; θ restored. Trials per method from the power target for a difference Δp at p = ½ (full 0.06, \
        quick 0.15, test 0.5).
        """
    public let statisticDescription = "Differences of proportions with Newcombe (Wilson-based) intervals at αᵢ/4: MeZO > SGD (same batch, different batch), Sparse MeZO < MeZO (same, different). Each holds when the interval is on the claimed side of 0, refuted when on the other, caveat when it straddles. Wilson and Clopper–Pearson intervals of each probability are reported and compared with the seed's ranges."
    public let elementaryTests = 4
    public let positiveControlIsClaim = false

    public init() {}

    /// (label, registry name): settings from `MethodDefaults` (full mode).
    static let methods: [(String, String)] = [("SGD", "sgd"), ("MeZO", "mezo"), ("Sparse MeZO", "sparse-mezo")]

    static func options(_ method: String) -> [String: String] { MethodDefaults.options(for: method, mode: "full") }

    /// Fine-tuning steps at which the trials are taken.
    func points(_ c: CheckConfiguration) -> [Int] { c.scale.pick(full: [0, 100, 200], quick: [0, 20, 40], test: [0, 5]) }

    func resolution(_ c: CheckConfiguration) -> Double { c.scale.pick(full: 0.06, quick: 0.15, test: 0.5) }

    func trials(_ c: CheckConfiguration) -> Int {
        let n = c.criticalSum * (2 * 0.25).squareRoot() / resolution(c)
        return Int((n * n).rounded(.up))
    }

    /// At MeZO's measured different-batch probability p (the arm the negative control inflates):
    /// (z + z)·√(2p(1 − p)/n). n itself is planned for the worst case p = ½.
    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let mezo = try outcomes(Self.methods[1], s, along: run(Self.methods[1], s, c), n: trials(c), c, seed: c.seed(11))
        return detectable(mezo, c)
    }

    func detectable(_ mezo: [Trial], _ c: CheckConfiguration) -> Discrepancy {
        let p = Double(mezo.filter(\.outcome.differentBatch).count) / Double(mezo.count)
        return LossIncrementStudy.detectable(p: p, trials: mezo.count, c, what: "MeZO, different batch, pooled over the points")
    }

    /// θ and the optimizer's state at one point of a method's own fine-tuning run.
    struct RunPoint {
        var step: Int
        var theta: [Float]
        var state: OptimizerState<Float>
    }

    /// The method's fine-tuning run from θ₀ (batch t at step t), saved at `points`; θ restored.
    func run(_ method: (String, String), _ s: TransformerProbe.Setup, points: [Int], seed: UInt64) throws -> [RunPoint] {
        let p = s.model.trainable
        let start = p.snapshot()
        defer { p.assign(start) }
        let opt = try OptimizerRegistry.make(method.1, options: Self.options(method.1), parameters: p)
        var out: [RunPoint] = []
        for t in 0...points.max()! {
            if points.contains(t) { out.append(RunPoint(step: t, theta: p.snapshot(), state: opt.saveState())) }
            guard t < points.max()! else { break }
            s.objective.selectBatch(t)
            _ = try opt.step(s.objective, context: StepContext(step: t, runSeed: seed))
        }
        guard out.allSatisfy({ $0.theta.allSatisfy(\.isFinite) }) else {
            throw VerifyError.machinery(check: name, reason: "the \(method.0) fine-tuning run diverged before step \(points.max()!)")
        }
        return out
    }

    struct Trial {
        var point: Int
        var outcome: LossIncrementStudy.Outcome
    }

    /// The method's fine-tuning run at the check's points with run seed c.seed(2): deterministic,
    /// so each entry point computes it once per method and passes it to `outcomes`.
    func run(_ method: (String, String), _ s: TransformerProbe.Setup, _ c: CheckConfiguration) throws -> [RunPoint] {
        try run(method, s, points: points(c), seed: c.seed(2))
    }

    /// n trials, split evenly over `points` (the method's own run, from `run(_:_:_:)`).
    func outcomes(_ method: (String, String), _ s: TransformerProbe.Setup, along points: [RunPoint], n: Int, _ c: CheckConfiguration,
                  seed: UInt64) throws -> [Trial] {
        let start = s.model.trainable.snapshot()
        defer { s.model.trainable.assign(start) }
        let batches: [Double] = Noise.values(count: 2 * n, key: NoiseKey(seed: seed, stream: 6), kind: .uniform)
        return try (0..<n).map { i in
            let point = points[i % points.count]
            // A fresh optimizer in the run's state at that point: no state carried between trials.
            let opt = try OptimizerRegistry.make(method.1, options: Self.options(method.1), parameters: s.model.trainable)
            try opt.loadState(point.state)
            let b1 = Int(batches[2 * i] * 1e6) + 10_000, b2 = Int(batches[2 * i + 1] * 1e6) + 2_000_000
            let o = try LossIncrementStudy.trial(s.objective, optimizer: opt, at: point.theta, stepBatch: b1, otherBatch: b2,
                                                 context: StepContext(step: point.step + 1_000_000 + i, runSeed: seed))
            return Trial(point: point.step, outcome: o)
        }
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

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let n = trials(c)
        let results = try Self.methods.enumerated().map { k, m in try outcomes(m, s, along: run(m, s, c), n: n, c, seed: c.seed(10 + UInt64(k))) }
        func arm(_ k: Int, same: Bool) -> (String, Int, Int) {
            (Self.methods[k].0, results[k].filter { same ? $0.outcome.sameBatch : $0.outcome.differentBatch }.count, n)
        }
        var subs: [SubResult] = []
        var decisions: [IntervalDecision] = []
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
        var perPoint: [SeriesData] = []
        for (k, m) in Self.methods.enumerated() {
            for same in [true, false] {
                let kk = arm(k, same: same).1
                let (wilson, exact) = try Intervals.proportion(successes: kk, trials: n, alpha: c.familyAlpha(tests: 1))
                let p = Double(kk) / Double(n)
                measured.append(LossIncrementStudy.Measured(method: m.0, same: same, p: p, interval: wilson))
                numbers["p.\(m.1).\(same ? "same" : "different")"] = p
                subs.append(SubResult(name: "\(m.0), \(same ? "same" : "different") batch", hypothesis: "measured: P(loss increases), pooled over steps \(points(c).map(String.init).joined(separator: ", "))", statistic: "proportion",
                                      value: p, estimate: p, interval: wilson, sampleSize: n, note: "Clopper–Pearson \(Format.interval(exact, digits: 3))"))
                lines.append("\(m.0) \(same ? "same" : "different") \(Format.number(p, digits: 3)) \(Format.interval(wilson, digits: 3))")
            }
            var ys: [Double] = []
            for step in points(c) {
                let at = results[k].filter { $0.point == step }
                let p = Double(at.filter(\.outcome.differentBatch).count) / Double(max(at.count, 1))
                numbers["p.\(m.1).different.step\(step)"] = p
                numbers["p.\(m.1).same.step\(step)"] = Double(at.filter(\.outcome.sameBatch).count) / Double(max(at.count, 1))
                ys.append(p)
            }
            perPoint.append(SeriesData(label: m.0, x: points(c).map(Double.init), y: ys))
        }
        let verdict: Verdict = decisions.contains(.outside) ? .refuted : (decisions.allSatisfy { $0 == .inside } ? .holds : .holdsWithCaveat)
        func placement(_ method: String) -> String {
            let m = measured.first { $0.method == method && !$0.same }!
            return "\(method) \(Format.number(m.p, digits: 3)) \(Format.interval(m.interval, digits: 3)) (\(LossIncrementStudy.placement(m.interval, in: LossIncrementStudy.seedRanges[method]!)) the seed's range)"
        }
        var findings = ["Seed 003 reports MeZO 0.4–0.6 and SGD 0.2–0.3. On \(s.label), different batch, pooled over fine-tuning steps \(points(c).map(String.init).joined(separator: ", ")): "
                        + placement("MeZO") + ", " + placement("SGD") + ", Sparse MeZO \(Format.number(numbers["p.sparse-mezo.different"]!, digits: 3))."]
        if decisions[3] != .inside {
            findings.append("Sparse MeZO's lower increment probability (seed 003) is " + (decisions[3] == .outside ? "contradicted" : "not resolved at this n") + " here: different-batch difference \(Format.number(subs[3].estimate!, digits: 3)) \(Format.interval(subs[3].interval, digits: 3)) (\(decisions[3].rawValue)).")
        }
        let trajectory = Self.methods.map { m in "\(m.0) " + points(c).map { Format.number(numbers["p.\(m.1).different.step\($0)"]!, digits: 2) }.joined(separator: " → ") }.joined(separator: "; ")
        var panels = LossIncrementStudy.panels(measured)
        panels.append(PanelData(lines: perPoint, title: "different batch, by fine-tuning step (\(n / points(c).count) trials per point)", xLabel: "fine-tuning step",
                                yLabel: "P(loss increases)", yRange: 0...1))
        return result(.claim, c, verdict: verdict,
                      summary: "\(s.label); \(Format.count(n)) trials per method, split over fine-tuning steps \(points(c).map(String.init).joined(separator: ", ")) of each method's own run. P(increase), pooled: " + lines.joined(separator: "; ") + ". "
                        + subs.prefix(4).map { "\($0.name): Δ = \(Format.number($0.estimate!, digits: 3)) \(Format.interval($0.interval, digits: 3)) (\($0.note.replacingOccurrences(of: "decision ", with: "")))" }.joined(separator: "; ")
                        + ". Different batch by step: " + trajectory + ".",
                      findings: findings, subResults: subs, detectable: detectable(results[1], c), numbers: numbers,
                      figure: FigureData(title: "Claim 7 on the transformer: P(a fine-tuning step increases the loss) (Wilson intervals; bars without a point: seed 003's range)",
                                         columns: 3, panels: panels))
    }

    /// MeZO against a copy of itself (the same trials) whose non-increments are flipped to
    /// increments with the probability that raises its rate by the detectable difference δ:
    /// "MeZO > that arm" is false by construction and must be refuted. The Newcombe interval
    /// treats the two arms as independent; for these paired arms it is conservative.
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let n = trials(c)
        let mezo = try outcomes(Self.methods[1], s, along: run(Self.methods[1], s, c), n: n, c, seed: c.seed(11))
        let k = mezo.filter(\.outcome.differentBatch).count
        let p = Double(k) / Double(n)
        let stated = detectable(mezo, c)
        let delta = stated.value
        let flip = min(1, delta / max(1 - p, 1e-9))
        let coin: [Double] = Noise.values(count: n, key: NoiseKey(seed: c.seed(12), stream: 0), kind: .uniform)
        let inflated = mezo.enumerated().filter { $0.element.outcome.differentBatch || coin[$0.offset] < flip }.count
        let (sub, _) = try compare(("MeZO", k, n), ("MeZO + \(Format.number(delta, digits: 3))", inflated, n),
                                   claim: "P(increase | MeZO) > P(increase | inflated MeZO)", greater: true, batch: "different", c)
        return result(.negativeControl, c, verdict: sub.rejected == true ? .refuted : .holds,
                      summary: "MeZO (p = \(Format.number(p, digits: 3))) against itself with increments added at rate \(Format.number(flip, digits: 3)) among its non-increments (expected increase δ = \(Format.number(delta, digits: 3)), the detectable difference): Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)).",
                      subResults: [sub], detectable: stated, injected: flip * (1 - p), numbers: ["flip": flip])
    }

    /// Two independent MeZO arms: "arm A > arm B" is false only by chance, so the decision must
    /// not come out refuted except with probability ≤ αᵢ.
    public func runPositiveControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let n = trials(c)
        let mezoRun = try run(Self.methods[1], s, c)
        let a = try outcomes(Self.methods[1], s, along: mezoRun, n: n, c, seed: c.seed(21)).filter(\.outcome.differentBatch).count
        let b = try outcomes(Self.methods[1], s, along: mezoRun, n: n, c, seed: c.seed(22)).filter(\.outcome.differentBatch).count
        let (sub, decision) = try compare(("MeZO A", a, n), ("MeZO B", b, n), claim: "P_A ≥ P_B (true up to chance)", greater: true, batch: "different", c)
        return result(.positiveControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "Two MeZO arms: Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)).", subResults: [sub])
    }
}
