import Foundation
import ZOCore
import ZOFunctions
import ZOOptim

/// Claim 2: HiZOO's preconditioned direction satisfies E[ĝ] = Σ∇L + O(μ).
public struct HiZOODirectionCheck: Check {
    public let name = "hizoo-direction"
    public let claim = 2
    public let title = "HiZOO's direction estimates Σ∇L"
    public let source = "seed 004 §3.2 Eqs. 1–2 and the Taylor argument after them; seed 000 (B-PDF rebuttal: E[g̃] = Σ∇L + O(μ))"
    public let statement = "With u ~ N(0, I) and ĝ = (L(θ+μΣ^{1/2}u) − L(θ−μΣ^{1/2}u))/(2μ) · Σ^{1/2}u: E[ĝ] = Σ∇L + O(μ)."
    public let derivation = """
        It is SPSA along v = Σ^{1/2}u: E[(vᵀ∇L)v] = Σ^{1/2}E[uuᵀ]Σ^{1/2}∇L = Σ∇L, exactly for quadratics (the even \
        Taylor terms cancel in the two-sided difference). Off quadratics Stein's lemma gives E[ĝ] = Σ^{1/2}∇_u \
        E L(θ + μΣ^{1/2}u) — Gaussian smoothing with covariance μ²Σ — so the bias is (μ²/2)Σ∇(tr ΣH) + O(μ⁴): \
        O(μ²), one order better than the papers' O(μ) (their Taylor argument stops at the first odd term). For \
        Rastrigin the bias is exact: bᵢ = Σᵢᵢ·10ω sin(ωθᵢ)(e^{−ω²μ²Σᵢᵢ/2} − 1).
        """
    public let method = """
        (a) Rotated quadratic d = 8, κ = 100 at θ = 0 with a fixed non-uniform H = diag(A)·jitter ([0.5, 2], seeded), \
        α = 0, ĝ from HiZOO's verification hook (`estimate`, θ restored bit-exactly); n from Δ = 0.1σ (full). \
        (b) Rastrigin d = 4 at a seeded point, H = jitter, μ = 0.05 and 0.025 with the same u per draw; control \
        variate e = ĝ − (∇ᵀΣ^{1/2}u)Σ^{1/2}u.
        """
    public let statisticDescription = "(a) per-coordinate t of ĝᵢ − (Σ∇L)ᵢ (K = 8); (b) per-coordinate t of e − b at both μ (K = 8) and the paired ratio bias(μ)/bias(μ/2) with margin [3.6, 4.4] (K = 1). Each at αᵢ/17 per elementary test."
    public let elementaryTests = 8 + SmoothingBiasStudy.elementaryTests(dimension: 4)

    public init() {}

    static let omega = 2 * Double.pi

    func quadraticProbe(_ c: CheckConfiguration) throws -> (HiZOOProbe, [Double], [Double]) {
        let objective = try FunctionObjective(named: "rotated-quadratic", dimension: 8,
                                              parameters: FunctionParameters(conditionNumber: 100, seed: 1))
        let a = try HiZOOProbe.hessianDiagonal(objective)
        let h = zip(a, HiZOOProbe.jitter(8, seed: c.seed(3))).map { $0 * $1 }
        let probe = try HiZOOProbe(objective, hessian: h, mu: 1e-3, seed: c.seed(1))
        let grad = try ReferenceGradient.at(objective)
        let target = zip(probe.sigma, grad).map { $0 * $1 }
        // σᵢ² = Σᵢᵢ(‖v‖² + vᵢ²), v = Σ^{1/2}∇L.
        let v = zip(probe.sigma, grad).map { $0.squareRoot() * $1 }
        let nv = Sampling.squaredNorm(v)
        let sd = (0..<8).map { (probe.sigma[$0] * (nv + v[$0] * v[$0])).squareRoot() }
        return (probe, target, sd)
    }

    func draws(_ c: CheckConfiguration) throws -> Int { max(try c.sampleSize(), c.scale == .test ? 2000 : 0) }

    func scaleDetectable(_ target: [Double], _ sd: [Double], n: Int, _ c: CheckConfiguration) -> Double {
        let a = zip(sd, target).map { c.criticalSum * $0 / (Double(n).squareRoot() * abs($1)) }.min()!
        return CheckConfiguration.scaleError(forRelativeShift: a)
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let (_, target, sd) = try quadraticProbe(c)
        let n = try draws(c)
        return Discrepancy(value: scaleDetectable(target, sd, n: n, c), unit: "relative scale error of ĝ (rotated quadratic)",
                           basis: "n = \(Format.count(n)), αᵢ/K = \(Format.probability(c.perTestAlpha)), exact σᵢ² = Σᵢᵢ(‖Σ^{1/2}∇L‖² + (Σ^{1/2}∇L)ᵢ²)")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult { try experiment(c, kind: .claim, scaleError: 0) }

    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        try experiment(c, kind: .negativeControl, scaleError: try smallestDetectableDiscrepancy(configuration: c).value)
    }

    func experiment(_ c: CheckConfiguration, kind: RunKind, scaleError: Double) throws -> CheckResult {
        let n = try draws(c)
        let (probe, target, sd) = try quadraticProbe(c)
        var means = CoordinateMeans(dimension: 8)
        for i in 0..<n { means.add(try probe.estimator.draw(i, on: probe.objective).map { $0 * (1 + scaleError) }, minus: target) }
        let quad = try means.test(name: "rotated quadratic d = 8, κ = 100", hypothesis: "E[ĝᵢ] = (Σ∇L)ᵢ for every i",
                                  familyAlpha: c.familyAlpha(tests: 8), beta: c.beta)
        var subs = [quad]
        var verdict: Verdict = quad.rejected == true ? .refuted : .holds
        var numbers: [String: Double] = ["draws": Double(n), "maxAbsT": quad.value, "injectedScaleError": scaleError]
        var panels = [PanelData(intervals: (0..<8).map { i in
            let m = 1 + means.means[i] / target[i]
            let half = c.criticalValue * means.standardDeviations[i] / Double(n).squareRoot() / abs(target[i])
            return CategoryData(label: "θ\(i + 1)", value: m, lower: m - half, upper: m + half, expected: 1)
        }, title: "rotated quadratic: mean ĝᵢ/(Σ∇L)ᵢ", yLabel: "ratio", references: [ReferenceLine("1", 1)])]
        var summary = (kind == .negativeControl ? "HiZOO's ĝ × (1 + \(Format.number(scaleError, digits: 3)))" : "HiZOO's ĝ")
            + " vs Σ∇L on the rotated quadratic (d = 8, κ = 100, fixed non-uniform H), n = \(Format.count(n)): max |t| = "
            + "\(Format.number(quad.value, digits: 3)), Bonferroni p = \(Format.probability(quad.pValue ?? .nan)) at level "
            + "\(Format.probability(quad.alpha ?? .nan))" + (quad.rejected == true ? " — REJECTED." : ": consistent.")
        if kind == .claim {
            let (outcome, study) = try smoothing(c, n: max(n / 2, c.scale == .test ? 1000 : 0))
            subs += [outcome.exactness, outcome.order]
            verdict = verdict.combined(with: outcome.verdict)
            numbers["ratio"] = outcome.order.value
            numbers["predictedRatio"] = study.predictedRatio
            summary += " Off quadratics (Rastrigin d = 4, μ = 0.05 vs 0.025): bias ratio \(Format.number(outcome.order.value, digits: 4)) "
                + "\(Format.interval(outcome.ratioInterval, digits: 4)) (smoothing prediction \(Format.number(study.predictedRatio, digits: 4))); "
                + "the smoothing prediction of the bias itself: max |t| = \(Format.number(outcome.exactness.value, digits: 3))"
                + (outcome.exactness.rejected == true ? " — REJECTED." : ", consistent.")
                + " The bias is O(μ²), one order better than the O(μ) the papers state (an upper bound, not contradicted)."
            panels.append(PanelData(intervals: [CategoryData(label: "bias(μ)/bias(μ/2)", value: outcome.order.value,
                                                             lower: outcome.ratioInterval.lower, upper: outcome.ratioInterval.upper,
                                                             expected: study.predictedRatio)],
                                    title: "Rastrigin: bias ratio (O(μ) would give 2)", yLabel: "ratio",
                                    references: [ReferenceLine("4", 4), ReferenceLine("O(μ): 2", 2)]))
        }
        return result(kind, c, verdict: verdict, summary: summary, subResults: subs,
                      detectable: Discrepancy(value: scaleDetectable(target, sd, n: n, c), unit: "relative scale error of ĝ (rotated quadratic)",
                                              basis: "n = \(Format.count(n)), αᵢ/K = \(Format.probability(c.perTestAlpha)), β = \(c.beta)"),
                      injected: kind == .negativeControl ? scaleError : nil, numbers: numbers, figure: FigureData(title: "Claim 2: E[ĝ_HiZOO] = Σ∇L + O(μ²)", panels: panels))
    }

    func smoothing(_ c: CheckConfiguration, n: Int) throws -> (SmoothingBiasStudy.Outcome, SmoothingBiasStudy) {
        let point = SPSABiasOrderCheck.rastriginPoint(seed: c.seed(7))
        let objective = try FunctionObjective(named: "rastrigin", dimension: 4, start: point)
        let h = HiZOOProbe.jitter(4, seed: c.seed(5))
        let coarse = try HiZOOProbe(objective, hessian: h, mu: 0.05, seed: c.seed(2))
        let fine = try HiZOOProbe(objective, hessian: h, mu: 0.025, seed: c.seed(2))
        let sigma = coarse.sigma
        let grad = try ReferenceGradient.at(objective)
        func bias(_ mu: Double) -> [Double] {
            (0..<4).map { sigma[$0] * 10 * Self.omega * sin(Self.omega * point[$0]) * (exp(-Self.omega * Self.omega * mu * mu * sigma[$0] / 2) - 1) }
        }
        var study = SmoothingBiasStudy(predictedFirst: bias(0.05), predictedSecond: bias(0.025))
        for i in 0..<n {
            let u = coarse.estimator.direction(i, count: 4)
            let v = (0..<4).map { sigma[$0].squareRoot() * u[$0] }
            let slope = Sampling.dot(grad, v)
            let g1 = try coarse.estimator.draw(i, on: objective), g2 = try fine.estimator.draw(i, on: objective)
            study.add((0..<4).map { g1[$0] - slope * v[$0] }, (0..<4).map { g2[$0] - slope * v[$0] })
        }
        return (try study.outcome(sizes: ("μ = 0.05", "μ = 0.025"), configuration: c, what: "Rastrigin d = 4"), study)
    }
}
