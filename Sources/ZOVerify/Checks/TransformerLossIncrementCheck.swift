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
        model from the repository root, else (and at quick/test) a seeded random GPT C 16, L 2 on generated \
        sst2. Learning rates: the comparison's defaults (`MethodDefaults`: MeZO 1e-4, SGD 1e-3 with momentum \
        0.9 — a first step is η∇L —, Sparse MeZO 2e-4, s = 0.75). Trial: from θ₀ (the start of fine-tuning), a \
        random batch B and an independent batch B′, one step on B with a fresh noise key, the loss on B and B′ \
        before and after; θ restored. Trials per method from the power target for a difference Δp (full \
        0.06, quick 0.15, test 0.5).
        """
    public let statisticDescription = "Differences of proportions with Newcombe (Wilson-based) intervals at αᵢ/4: MeZO > SGD (same batch, different batch), Sparse MeZO < MeZO (same, different). Each holds when the interval is on the claimed side of 0, refuted when on the other, caveat when it straddles. Wilson and Clopper–Pearson intervals of each probability are reported and compared with the seed's ranges."
    public let elementaryTests = 4
    public let positiveControlIsClaim = false

    public init() {}

    static let methods: [(String, String, [String: String])] = [
        ("SGD", "sgd", ["lr": "1e-3"]),
        ("MeZO", "mezo", ["lr": "1e-4", "eps": "1e-3"]),
        ("Sparse MeZO", "sparse-mezo", ["lr": "2e-4", "eps": "1e-3", "sparsity": "0.75"]),
    ]

    func resolution(_ c: CheckConfiguration) -> Double { c.scale.pick(full: 0.06, quick: 0.15, test: 0.5) }

    func trials(_ c: CheckConfiguration) -> Int {
        let n = c.criticalSum * (2 * 0.25).squareRoot() / resolution(c)
        return Int((n * n).rounded(.up))
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let n = trials(c)
        return Discrepancy(value: c.criticalSum * (2 * 0.25 / Double(n)).squareRoot(), unit: "difference of increment probabilities (worst case p = ½)",
                           basis: "n = \(Format.count(n)) trials per method, αᵢ/K = \(Format.probability(c.perTestAlpha)), β = \(c.beta)")
    }

    /// Per trial: (increase on the step's batch, increase on another batch).
    func outcomes(_ method: (String, String, [String: String]), _ s: TransformerProbe.Setup, n: Int, seed: UInt64) throws -> [LossIncrementStudy.Outcome] {
        let start = s.model.trainable.snapshot()
        defer { s.model.trainable.assign(start) }
        let batches: [Double] = Noise.values(count: 2 * n, key: NoiseKey(seed: seed, stream: 6), kind: .uniform)
        return try (0..<n).map { i in
            // A fresh optimizer per trial: no state carried between trials (SGD's momentum buffer starts empty).
            let opt = try OptimizerRegistry.make(method.1, options: method.2, parameters: s.model.trainable)
            let b1 = Int(batches[2 * i] * 1e6), b2 = Int(batches[2 * i + 1] * 1e6) + 1_000_000
            return try LossIncrementStudy.trial(s.objective, optimizer: opt, at: start, stepBatch: b1, otherBatch: b2,
                                                context: StepContext(step: i, runSeed: seed))
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
        let results = try Self.methods.enumerated().map { k, m in try outcomes(m, s, n: n, seed: c.seed(10 + UInt64(k))) }
        func arm(_ k: Int, same: Bool) -> (String, Int, Int) {
            (Self.methods[k].0, results[k].filter { same ? $0.sameBatch : $0.differentBatch }.count, n)
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
        var categories: [CategoryData] = []
        var numbers: [String: Double] = ["trialsPerMethod": Double(n)]
        var lines: [String] = []
        for (k, m) in Self.methods.enumerated() {
            for same in [true, false] {
                let kk = arm(k, same: same).1
                let (wilson, exact) = try Intervals.proportion(successes: kk, trials: n, alpha: c.familyAlpha(tests: 1))
                let p = Double(kk) / Double(n)
                categories.append(CategoryData(label: "\(m.0) \(same ? "same" : "diff")", value: p, lower: wilson.lower, upper: wilson.upper))
                numbers["p.\(m.1).\(same ? "same" : "different")"] = p
                subs.append(SubResult(name: "\(m.0), \(same ? "same" : "different") batch", hypothesis: "measured: P(loss increases)", statistic: "proportion",
                                      value: p, estimate: p, interval: wilson, sampleSize: n, note: "Clopper–Pearson \(Format.interval(exact, digits: 3))"))
                lines.append("\(m.0) \(same ? "same" : "different") \(Format.number(p, digits: 3)) \(Format.interval(wilson, digits: 3))")
            }
        }
        let verdict: Verdict = decisions.contains(.outside) ? .refuted : (decisions.allSatisfy { $0 == .inside } ? .holds : .holdsWithCaveat)
        let pm = numbers["p.mezo.different"]!, ps = numbers["p.sgd.different"]!
        var findings = ["Seed 003 reports MeZO 0.4–0.6 and SGD 0.2–0.3. On \(s.label), different batch: MeZO \(Format.number(pm, digits: 3)), SGD \(Format.number(ps, digits: 3)), Sparse MeZO \(Format.number(numbers["p.sparse-mezo.different"]!, digits: 3))."]
        if decisions[3] != .inside {
            findings.append("Sparse MeZO's lower increment probability (seed 003) is not reproduced here: different-batch difference \(Format.number(subs[3].estimate!, digits: 3)) \(Format.interval(subs[3].interval, digits: 3)) (\(decisions[3].rawValue)).")
        }
        return result(.claim, c, verdict: verdict,
                      summary: "\(s.label); \(Format.count(n)) trials per method from θ₀. P(increase): " + lines.joined(separator: "; ") + ". "
                        + subs.prefix(4).map { "\($0.name): Δ = \(Format.number($0.estimate!, digits: 3)) \(Format.interval($0.interval, digits: 3)) (\($0.note.replacingOccurrences(of: "decision ", with: "")))" }.joined(separator: "; ") + ".",
                      findings: findings, subResults: subs, detectable: try smallestDetectableDiscrepancy(configuration: c), numbers: numbers,
                      figure: FigureData(title: "Claim 7 on the transformer: P(a fine-tuning step increases the loss) (Wilson intervals)", columns: 1, panels: [
                        PanelData(intervals: categories, title: "same batch / different batch; seed 003: MeZO 0.4–0.6, SGD 0.2–0.3", yLabel: "probability",
                                  references: [ReferenceLine("0.2", 0.2), ReferenceLine("0.3", 0.3), ReferenceLine("0.4", 0.4), ReferenceLine("0.6", 0.6)]),
                      ]))
    }

    /// MeZO against a copy of itself whose non-increments are flipped to increments with the
    /// probability that raises its rate by twice the detectable difference: "MeZO > that arm"
    /// is false by construction and must be refuted.
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let n = trials(c)
        let mezo = try outcomes(Self.methods[1], s, n: n, seed: c.seed(11))
        let k = mezo.filter(\.differentBatch).count
        let p = Double(k) / Double(n)
        let delta = 2 * (try smallestDetectableDiscrepancy(configuration: c)).value
        let flip = min(1, delta / max(1 - p, 1e-9))
        let coin: [Double] = Noise.values(count: n, key: NoiseKey(seed: c.seed(12), stream: 0), kind: .uniform)
        let inflated = mezo.enumerated().filter { $0.element.differentBatch || coin[$0.offset] < flip }.count
        let (sub, _) = try compare(("MeZO", k, n), ("MeZO + \(Format.number(delta, digits: 3))", inflated, n),
                                   claim: "P(increase | MeZO) > P(increase | inflated MeZO)", greater: true, batch: "different", c)
        return result(.negativeControl, c, verdict: sub.rejected == true ? .refuted : .holds,
                      summary: "MeZO (p = \(Format.number(p, digits: 3))) against itself with increments added at rate \(Format.number(flip, digits: 3)): Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)).",
                      subResults: [sub], detectable: try smallestDetectableDiscrepancy(configuration: c), numbers: ["flip": flip])
    }

    /// Two independent MeZO arms: "arm A > arm B" is false only by chance, so the decision must
    /// not come out refuted except with probability ≤ αᵢ.
    public func runPositiveControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let n = trials(c)
        let a = try outcomes(Self.methods[1], s, n: n, seed: c.seed(21)).filter(\.differentBatch).count
        let b = try outcomes(Self.methods[1], s, n: n, seed: c.seed(22)).filter(\.differentBatch).count
        let (sub, decision) = try compare(("MeZO A", a, n), ("MeZO B", b, n), claim: "P_A ≥ P_B (true up to chance)", greater: true, batch: "different", c)
        return result(.positiveControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "Two MeZO arms: Δ = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)).", subResults: [sub],
                      detectable: try smallestDetectableDiscrepancy(configuration: c))
    }
}
