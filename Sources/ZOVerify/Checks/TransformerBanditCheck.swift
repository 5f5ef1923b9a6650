import Foundation
import ZOCore
import ZOOptim
import ZOStats
import ZOTrain

/// Claim 6c at the transformer level: the bandit rule's block probabilities over the layers of
/// the fine-tuned GPT approach q ∝ ‖g_b‖ (seed 000 rebuttal, JointSpar).
public struct TransformerBanditCheck: Check {
    public let name = "transformer-bandit"
    public let claim = 6
    public let title = "Bandit block probabilities over transformer layers ∝ ‖g_b‖"
    public let source = "seed 000 rebuttal (block sampling p_i ∝ ‖g_[i]‖ \"with a bandit trick\", JointSpar: Liu & Mozafari 2022); CHECKS.md claim 6; ZOLab's bandit rule (docs/optimizers.md)"
    public let statement = "With θ held at the start of fine-tuning, the bandit's distribution over the blocks (embeddings, h.0 … h.{L−1}, ln_f) approaches q* ∝ ‖g_b‖ (floored at γ/D), where g_b is the block's gradient of the prompt loss."
    public let derivation = """
        Minibatch version of the test-function check: the bandit minimises V(q) = Σ_b E‖g_b‖²/q_b by \
        exponentiated gradient with unbiased importance-weighted rewards from the ZO block-norm estimate \
        â_b = g²(…) of the active block (k = 1), so its fixed point is q_b ∝ √(E_B ‖g_b(B)‖²), floored at γ/D. \
        The transformer's blocks differ in gradient norm by orders of magnitude (embeddings vs ln_f), the \
        setting where non-uniform sampling pays.
        """
    public let method = """
        The prompt-classification objective (sst2, batches of 2 examples — the rule's mechanics do not depend on the batch, the cost does; full: the committed pre-trained model from the \
        repository root, else and at quick/test a seeded random GPT C 16, L 2 on generated sst2). Target: \
        √(mean over 16 batches of ‖g_b‖²) from backprop, floored proportional at γ/D. Chains: `bcd` with rule \
        bandit, base MeZO (η = 1e-9: θ fixed; ε 1e-3), k = 1, switch interval 1, γ = 0.1, bandit η = 0.03; \
        batch t at step t; q averaged over the last third of T steps (full 2000, quick 1000, test 300); R = 16 \
        chains (test 8). Threshold τ = ½ TV(uniform, q*).
        """
    public let statisticDescription = "t interval over chains (ν = R − 1) of TV(q̄, q*) at αᵢ: holds when it lies below τ, refuted when above, caveat when it straddles."
    public let elementaryTests = 1
    /// The claim is not a known truth for this model; the known-true case is chains centred on q*.
    public let positiveControlIsClaim = false

    public init() {}

    static let gamma = 0.1

    func chains(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 16, quick: 16, test: 8) }
    func steps(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 2000, quick: 1000, test: 300) }

    struct Setup {
        let probe: TransformerProbe.Setup
        let norms: [Double]
        let target: [Double]
        let threshold: Double
    }

    func setup(_ c: CheckConfiguration) throws -> Setup {
        let probe = try TransformerProbe.make(c.scale, seed: c.seed(1), batchSize: 2)
        let D = probe.blocks.count
        var squares = [Double](repeating: 0, count: D)
        for batch in 0..<16 {
            probe.objective.selectBatch(batch)
            let g = try ReferenceGradient.at(probe.objective)
            for (b, n) in TransformerProbe.blockNorms(g, probe.blocks).enumerated() { squares[b] += n * n / 16 }
        }
        let norms = squares.map { $0.squareRoot() }
        let target = flooredProportional(norms, floor: Self.gamma / Double(D))
        let uniform = [Double](repeating: 1 / Double(D), count: D)
        return Setup(probe: probe, norms: norms, target: target, threshold: 0.5 * totalVariation(uniform, target))
    }

    /// q ∝ w with every q_b ≥ floor (mass above the floor redistributed ∝ w).
    func flooredProportional(_ w: [Double], floor: Double) -> [Double] {
        var fixed = Set<Int>()
        while true {
            let free = w.indices.filter { !fixed.contains($0) }
            let mass = 1 - Double(fixed.count) * floor
            let total = free.reduce(0) { $0 + w[$1] }
            var q = w.indices.map { fixed.contains($0) ? floor : mass * w[$0] / max(total, 1e-300) }
            let low = free.filter { q[$0] < floor }
            if low.isEmpty { return q }
            fixed.formUnion(low)
            if fixed.count == w.count { q = w.map { _ in 1 / Double(w.count) }; return q }
        }
    }

    func totalVariation(_ a: [Double], _ b: [Double]) -> Double { 0.5 * zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } }

    func learned(_ s: Setup, _ c: CheckConfiguration) throws -> [[Double]] {
        let p = s.probe.model.trainable
        let start = p.snapshot()
        defer { p.assign(start) }
        return try (0..<chains(c)).map { r in
            p.assign(start)
            let bcd = try OptimizerRegistry.make("bcd", options: ["base": "mezo", "lr": "1e-9", "eps": "1e-3", "rule": "bandit", "active-blocks": "1",
                                                                  "switch-interval": "1", "bandit-gamma": "\(Self.gamma)", "bandit-lr": "0.03"], parameters: p)
            guard let wrapper = bcd as? BlockCoordinateDescent<Float> else {
                throw VerifyError.machinery(check: name, reason: "bcd is not a BlockCoordinateDescent")
            }
            let T = steps(c), from = T - T / 3
            var mean = [Double](repeating: 0, count: p.blocks.count)
            for t in 0..<T {
                s.probe.objective.selectBatch(t)
                _ = try wrapper.step(s.probe.objective, context: StepContext(step: t, runSeed: c.seed(100 + UInt64(r))))
                if t >= from, let q = wrapper.banditProbabilities {
                    for b in mean.indices { mean[b] += q[b] / Double(T - from) }
                }
            }
            return mean
        }
    }

    func decide(_ tv: [Double], _ s: Setup, _ c: CheckConfiguration) throws -> (SubResult, IntervalDecision) {
        let m = RunningMoments(tv)
        let alpha = c.familyAlpha(tests: 1)
        let interval = try Intervals.mean(m, alpha: alpha)
        let decision = IntervalDecision.below(interval, s.threshold)
        return (SubResult(name: "k = 1, \(s.probe.blocks.count) blocks", hypothesis: "mean TV(q̄, q*) < τ = \(Format.number(s.threshold, digits: 3))",
                          statistic: "t interval over chains", value: m.mean, alpha: alpha, rejected: decision == .outside,
                          estimate: m.mean, interval: interval,
                          detectable: try c.detectableShiftT(sampleCount: m.count, standardDeviation: max(m.standardDeviation, 1e-12)),
                          sampleSize: m.count, note: "decision \(decision.rawValue)"), decision)
    }

    /// From the chains themselves (the negative control distorts the same chains): the smallest
    /// excess of the mean TV over τ the t interval detects with power 1 − β, (t + t)·s/√R with
    /// the realized chain SD s.
    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let s = try setup(c)
        return detectable(try learned(s, c), s, c)
    }

    func detectable(_ q: [[Double]], _ s: Setup, _ c: CheckConfiguration) -> Discrepancy {
        let m = RunningMoments(q.map { totalVariation($0, s.target) })
        return Discrepancy(value: (try? c.detectableShiftT(sampleCount: m.count, standardDeviation: max(m.standardDeviation, 1e-6))) ?? .nan,
                           unit: "mean total-variation distance beyond τ",
                           basis: "R = \(m.count) chains × \(steps(c)) steps, realized chain SD \(Format.number(m.standardDeviation, digits: 3)), t quantiles (ν = \(m.count - 1))")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try setup(c)
        let q = try learned(s, c)
        let tv = q.map { totalVariation($0, s.target) }
        let (sub, decision) = try decide(tv, s, c)
        let verdict: Verdict = decision == .inside ? .holds : decision == .outside ? .refuted : .holdsWithCaveat
        var numbers: [String: Double] = ["threshold": s.threshold, "meanTV": sub.estimate!]
        var categories: [CategoryData] = []
        for (b, block) in s.probe.blocks.enumerated() {
            let mean = q.reduce(0.0) { $0 + $1[b] } / Double(q.count)
            numbers["meanQ.\(block.name)"] = mean
            numbers["target.\(block.name)"] = s.target[b]
            numbers["gradientNorm.\(block.name)"] = s.norms[b]
            categories.append(CategoryData(label: block.name, value: mean, lower: q.map { $0[b] }.min(), upper: q.map { $0[b] }.max(), expected: s.target[b]))
        }
        let summary = "\(s.probe.label). Block gradient norms " + zip(s.probe.blocks, s.norms).map { "\($0.name) \(Format.number($1, digits: 3))" }.joined(separator: ", ")
            + "; target q* = (" + s.target.map { Format.number($0, digits: 3) }.joined(separator: ", ") + "), learned q̄ = ("
            + s.probe.blocks.indices.map { b in Format.number(q.reduce(0.0) { $0 + $1[b] } / Double(q.count), digits: 3) }.joined(separator: ", ")
            + "); mean TV = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) vs τ = \(Format.number(s.threshold, digits: 3)) → \(decision.rawValue)."
        return result(.claim, c, verdict: verdict, summary: summary, subResults: [sub],
                      detectable: detectable(q, s, c), numbers: numbers,
                      figure: FigureData(title: "Claim 6 on the transformer: bandit q per block vs q* ∝ ‖g_b‖", columns: 1, panels: [
                        PanelData(intervals: categories, title: "◇ target q*; bars: range over \(q.count) chains; dashed: uniform", yLabel: "q_b",
                                  references: [ReferenceLine("", 1 / Double(s.probe.blocks.count))], yRange: 0...1),
                      ]))
    }

    /// Known-true case: the learned chains moved to sit around q* (each chain's deviation from
    /// the chains' mean added to q*, clipped to the simplex): the decision must not refute it.
    public func runPositiveControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try setup(c)
        let q = try learned(s, c)
        let D = s.probe.blocks.count
        let mean = (0..<D).map { b in q.reduce(0.0) { $0 + $1[b] } / Double(q.count) }
        let centred = q.map { chain -> [Double] in
            let moved = (0..<D).map { b in max(0, s.target[b] + chain[b] - mean[b]) }
            let total = moved.reduce(0, +)
            return moved.map { $0 / total }
        }
        let (sub, decision) = try decide(centred.map { totalVariation($0, s.target) }, s, c)
        return result(.positiveControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "Chains re-centred on q*: mean TV = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) vs τ = \(Format.number(s.threshold, digits: 3)).",
                      subResults: [sub], detectable: detectable(q, s, c))
    }

    /// The learned q̄ of every chain mixed toward the vertex of the block q* gives the least mass
    /// (a bandit that piles probability on the wrong block), with λ chosen so the mean TV exceeds
    /// τ by exactly the detectable shift. TV(mixture, q*) is convex in λ and reaches its maximum
    /// 1 − min q* at λ = 1, so any excess below that is met exactly once (bisection).
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try setup(c)
        let q = try learned(s, c)
        let stated = detectable(q, s, c)
        let shift = stated.value
        let worst = s.target.indices.min { s.target[$0] < s.target[$1] }!
        let vertex = s.target.indices.map { $0 == worst ? 1.0 : 0.0 }
        func mixed(_ lambda: Double) -> [Double] {
            q.map { chain in totalVariation(zip(chain, vertex).map { (1 - lambda) * $0 + lambda * $1 }, s.target) }
        }
        guard RunningMoments(mixed(1)).mean >= s.threshold + shift else {
            throw VerifyError.machinery(check: name, reason: "τ + the detectable shift \(Format.number(shift, digits: 3)) exceeds the largest TV from q* (\(Format.number(1 - s.target[worst], digits: 3))): R = \(q.count) chains cannot resolve any error")
        }
        var lo = 0.0, hi = 1.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if RunningMoments(mixed(mid)).mean >= s.threshold + shift { hi = mid } else { lo = mid }
        }
        let (sub, _) = try decide(mixed(hi), s, c)
        let injected = sub.estimate! - s.threshold
        return result(.negativeControl, c, verdict: sub.rejected == true ? .refuted : .holds,
                      summary: "The learned q̄ of \(q.count) chains mixed toward the vertex of \(s.probe.blocks[worst].name) (the block q* gives least mass) by λ = \(Format.number(hi, digits: 3)), so that the mean TV is τ + the detectable shift \(Format.number(shift, digits: 3)): mean TV = \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) vs τ = \(Format.number(s.threshold, digits: 3)).",
                      subResults: [sub], detectable: stated, injected: injected, numbers: ["lambda": hi])
    }
}
