import Foundation
import ZOCore
import ZOOptim
import ZOStats

/// Claim 8c: Sparse MeZO's rate scales with the number of active (perturbed) parameters
/// (seed 003: convergence in O(d̃L/σ²) steps with d̃ the sub-network size).
public struct SparseMeZORateCheck: Check {
    public let name = "sparse-mezo-rate"
    public let claim = 8
    public let title = "Sparse MeZO's steps scale with the active parameters"
    public let source = "seed 003 rebuttal and App. F (\"Sparse-MeZO can achieve convergence in O(dL/σ²) steps, where d is the number of parameters in the sub-network\")"
    public let statement = "When only k of D parameters need to move and Sparse MeZO's mask selects them, its steps to a tolerance grow ∝ k (not D), and it beats MeZO on all D by ≈ (D + 2)/(k + 2)."
    public let derivation = """
        Sparse MeZO is MeZO on the masked coordinates: E‖ĝ‖² = (k + 2)‖∇_m L‖², so the stable η ∝ 1/((k + 2)λ_max) \
        and steps ∝ (k + 2)κ log(1/tol) (claim 8a with d → k). MeZO perturbing all D coordinates pays (D + 2) even \
        though D − k coordinates already sit at their optimum.
        """
    public let method = """
        Separable quadratic, D = 128 coordinates (test 64): k active ones start at ±[0.1, 0.5] with optimum 0 and \
        curvature log-spaced over [1, 10]; the other D − k sit at their optimum ±5 (large |θ|, so the magnitude \
        mask freezes them). k ∈ {8, 16, 32, 64} (quick {8, 16, 32}, test {4, 8, 16}); sparsity s = 1 − k/D, \
        threshold fixed from θ₀ (the mask is checked to be exactly the k movers). Tolerance 1e-3·L₀. η = c/((k + 2)·10), \
        c ∈ {0.25, 0.5, 1} tuned per k (median of 2 tuning seeds); R seeds (full 16, quick 6, test 4). MeZO on all D \
        is measured for comparison.
        """
    public let statisticDescription = "OLS slope of log(steps) on log(k + 2), t interval at αᵢ (K = 1): holds inside [0.8, 1.2], refuted when disjoint."
    public let elementaryTests = 1

    public init() {}

    func total(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 128, quick: 128, test: 64) }
    func actives(_ c: CheckConfiguration) -> [Int] { c.scale.pick(full: [8, 16, 32, 64], quick: [8, 16, 32], test: [4, 8, 16]) }
    func seeds(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 16, quick: 6, test: 4) }

    /// The problem with k movers (the first k coordinates after a seeded shuffle).
    func problem(k: Int, _ c: CheckConfiguration) -> (SeparableQuadraticObjective<Double>, [Int]) {
        let d = total(c)
        let u: [Double] = Noise.values(count: 2 * d, key: NoiseKey(seed: c.seed(1), stream: UInt64(k)), kind: .uniform)
        let order = (0..<d).sorted { u[$0] < u[$1] }
        let movers = Array(order.prefix(k))
        var h = [Double](repeating: 1, count: d), center = [Double](repeating: 0, count: d), start = [Double](repeating: 0, count: d)
        for i in 0..<d {
            let sign: Double = u[d + i] < 0.5 ? -1 : 1
            center[i] = 5 * sign
            start[i] = 5 * sign
        }
        for (j, i) in movers.enumerated() {
            h[i] = pow(10, k > 1 ? Double(j) / Double(k - 1) : 0)
            center[i] = 0
            start[i] = (u[d + i] < 0.5 ? -1 : 1) * (0.1 + 0.4 * Double(j) / Double(max(k - 1, 1)))
        }
        return (SeparableQuadraticObjective<Double>(layout: ProblemLayouts.vectors(dimension: d), curvature: h, center: center, start: start), movers)
    }

    func study(_ c: CheckConfiguration, optimizer: String = "sparse-mezo") throws -> SlopeStudy {
        var s = SlopeStudy()
        let d = total(c)
        for k in actives(c) {
            let (o, movers) = problem(k: k, c)
            let width = optimizer == "sparse-mezo" ? k : d
            var base = ["eps": "1e-4"]
            if optimizer == "sparse-mezo" {
                base["sparsity"] = "\(1 - Double(k) / Double(d))"
                // The mask must be exactly the movers.
                let e = try OptimizerStepEstimator<Double>("sparse-mezo", options: base, parameters: o.parameters, seed: 1)
                let g = try e.draw(0, on: o)
                let moved = Set(g.indices.filter { g[$0] != 0 })
                guard moved == Set(movers) else {
                    throw VerifyError.machinery(check: name, reason: "Sparse MeZO's mask holds \(moved.count) coordinates, not the \(k) movers")
                }
            }
            let candidates = [0.25, 0.5, 1.0].map { base.merging(["lr": "\($0 / (Double(width + 2) * 10))"]) { a, _ in a } }
            let cap = 600 * (width + 2) * 10
            let (options, _) = try StepsToTolerance.tune(o, optimizer: optimizer, candidates: candidates, fraction: 1e-3, cap: cap,
                                                         seeds: [c.seed(9000), c.seed(9001)])
            for r in 0..<seeds(c) {
                let steps = try StepsToTolerance.run(o, optimizer: optimizer, options: options, fraction: 1e-3, cap: cap, seed: c.seed(UInt64(r)))
                s.add(Double(k + 2), steps.map(Double.init) ?? .infinity)
            }
        }
        return s
    }

    func decide(_ s: SlopeStudy, _ c: CheckConfiguration, name: String) throws -> (SubResult, IntervalDecision) {
        try s.equivalence(c, name: name, hypothesis: "slope of log(steps) on log(k + 2) ∈ [0.8, 1.2]")
    }

    /// The detectable slope shift of an equivalence sub-result (the negative control passes the
    /// unmodified reference: the injected power law leaves the residuals, hence the SE, unchanged).
    private func detectable(_ sub: SubResult) -> Discrepancy {
        Discrepancy(value: sub.detectable!, unit: "slope shift beyond the margin [0.8, 1.2]", basis: "\(sub.sampleSize) runs, SE(slope) from the fit, t quantiles")
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let (sub, _) = try decide(try study(c), c, name: "Sparse MeZO")
        return detectable(sub)
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try study(c)
        let (sub, decision) = try decide(s, c, name: "Sparse MeZO")
        let full = try study(c, optimizer: "mezo")
        let sm = s.means(), fm = full.means()
        let ratios = zip(fm, sm).map { $0.1 / $1.1 }
        let d = total(c)
        let verdict: Verdict = decision == .inside ? .holds : (decision == .outside ? .refuted : .holdsWithCaveat)
        let summary = "D = \(d), tolerance 1e-3·L₀: Sparse MeZO steps " + sm.map { "\(Format.number($0.1, digits: 4)) (k = \(Int($0.0) - 2))" }.joined(separator: ", ")
            + "; slope in k + 2: \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(decision.rawValue). MeZO on all \(d) coordinates needs "
            + ratios.map { Format.number($0, digits: 3) }.joined(separator: ", ") + "× as many steps (theory (D + 2)/(k + 2) = "
            + sm.map { Format.number(Double(d + 2) / $0.0, digits: 3) }.joined(separator: ", ") + ")."
        return result(.claim, c, verdict: verdict, summary: summary, subResults: [sub],
                      detectable: detectable(sub),
                      numbers: ["slope": sub.estimate!],
                      figure: FigureData(title: "Claim 8: Sparse MeZO steps versus active parameters (D = \(d))", columns: 1, panels: [
                        PanelData(lines: [SeriesData(label: "Sparse MeZO (k movers masked)", x: sm.map(\.0), y: sm.map(\.1)),
                                          SeriesData(label: "MeZO on all D", x: fm.map(\.0), y: fm.map(\.1)),
                                          SeriesData(label: "∝ k + 2", x: sm.map(\.0), y: sm.map { sm[0].1 * $0.0 / sm[0].0 }, dashed: true)],
                                  title: "mean steps over seeds", xLabel: "k + 2", yLabel: "steps", logX: true, logY: true,
                                  xRange: (sm.first!.0 / 1.15)...(sm.last!.0 * 1.15)),
                      ]))
    }

    /// A method needing ((k + 2)/(k₀ + 2))^(1.2 − b + Δ) times Sparse MeZO's measured steps.
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let s = try study(c)
        let (reference, _) = try decide(s, c, name: "Sparse MeZO")
        let exponent = 1.2 - reference.estimate! + reference.detectable!
        let wrong = s.injected(exponent: exponent)
        let (sub, decision) = try decide(wrong, c, name: "Sparse MeZO × ((k+2)/(k₀+2))^\(Format.number(exponent, digits: 3))")
        return result(.negativeControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "A method needing ((k + 2)/(k₀ + 2))^\(Format.number(exponent, digits: 3)) times Sparse MeZO's steps: slope \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(decision.rawValue).",
                      subResults: [sub],
                      detectable: detectable(reference),
                      injected: sub.estimate! - 1.2, numbers: ["exponent": exponent])
    }
}
