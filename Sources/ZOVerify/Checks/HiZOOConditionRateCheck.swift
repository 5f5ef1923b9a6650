import Foundation
import ZOCore
import ZOFunctions
import ZOOptim
import ZOStats

/// Claim 8b: HiZOO's dependence on the condition number versus MeZO's on diagonal quadratics
/// (κ = 10 … 10⁴).
public struct HiZOOConditionRateCheck: Check {
    public let name = "hizoo-condition-rate"
    public let claim = 8
    public let title = "HiZOO depends less on the condition number than MeZO"
    public let source = "seed 004 Thm 3.2 and §3.5 (heterogeneous curvature: HiZOO \"can sense this difference in parametric curvature\"); CHECKS.md claim 8"
    public let statement = "On diagonal quadratics the steps to a tolerance grow ∝ κ for MeZO but much more slowly for HiZOO, whose learned diagonal Hessian preconditions the coordinates."
    public let derivation = """
        MeZO's stable η ∝ 1/((d + 2)λ_max) makes the λ_min coordinate contract by ≈ ηλ_min per step: steps ∝ κ. \
        HiZOO with H ≈ diag(A) perturbs and steps along Σ^{1/2}u, so its effective problem has M = Σ^{1/2}AΣ^{1/2} ≈ I: \
        steps independent of κ once H has been learned (≈ 1/α steps; the |·| inflation of claim 3 only rescales η).
        """
    public let method = """
        Diagonal quadratic d = 8, κ ∈ {10, 10², 10³, 10⁴} (quick {10 … 10³}, test {10, 100}), θᵢ = 1/√λᵢ; tolerance \
        1e-2·L₀. MeZO (ε = 1e-4): η = c/((d + 2)κ), c ∈ {0.5, 1}; HiZOO (μ = 1e-4, α = 0.1): η ∈ {0.02, 0.05, 0.1, 0.2}; \
        each tuned per κ by the median over 2 tuning seeds, then R seeds (full 6, quick 4, test 3).
        """
    public let statisticDescription = "OLS slopes b of log(steps) on log(κ) for each method; the claim holds when the t interval (ν from both fits, αᵢ, K = 1) of b_MeZO − b_HiZOO lies above 0, and is refuted when below."
    public let elementaryTests = 1

    public init() {}

    func kappas(_ c: CheckConfiguration) -> [Double] { c.scale.pick(full: [10, 100, 1e3, 1e4], quick: [10, 100, 1e3], test: [10, 100]) }
    func seeds(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 6, quick: 4, test: 3) }
    static let d = 8

    func objective(_ kappa: Double) throws -> FunctionObjective {
        let f = try DiagonalQuadratic(dimension: Self.d, conditionNumber: kappa)
        return try FunctionObjective(f, start: f.eigenvalues.map { 1 / $0.squareRoot() })
    }

    func study(_ name: String, candidates: (Double) -> [[String: String]], cap: (Double) -> Int, _ c: CheckConfiguration) throws -> (SlopeStudy, [Double: String]) {
        var s = SlopeStudy()
        var tuned: [Double: String] = [:]
        for kappa in kappas(c) {
            let o = try objective(kappa)
            let (options, _) = try StepsToTolerance.tune(o, optimizer: name, candidates: candidates(kappa), fraction: 1e-2, cap: cap(kappa),
                                                         seeds: [c.seed(9000), c.seed(9001)])
            tuned[kappa] = options["lr"]!
            for r in 0..<seeds(c) {
                let steps = try StepsToTolerance.run(o, optimizer: name, options: options, fraction: 1e-2, cap: cap(kappa), seed: c.seed(UInt64(r)))
                s.add(kappa, steps.map(Double.init) ?? .infinity)
            }
        }
        return (s, tuned)
    }

    func mezo(_ c: CheckConfiguration) throws -> (SlopeStudy, [Double: String]) {
        try study("mezo", candidates: { k in [0.5, 1.0].map { ["lr": "\($0 / (Double(Self.d + 2) * k))", "eps": "1e-4"] } },
                  cap: { k in Int(60 * Double(Self.d + 2) * k) + 1000 }, c)
    }

    func hizoo(_ c: CheckConfiguration) throws -> (SlopeStudy, [Double: String]) {
        return try study("hizoo", candidates: { _ in [0.02, 0.05, 0.1, 0.2].map { ["lr": "\($0)", "mu": "1e-4", "alpha": "0.1"] } },
                         cap: { k in Int(60 * Double(Self.d + 2) * k) + 1000 }, c)
    }

    func compare(_ m: SlopeStudy, _ h: SlopeStudy, _ c: CheckConfiguration, name: String) throws -> (SubResult, IntervalDecision, LinearFit, LinearFit) {
        let fm = try m.fit(), fh = try h.fit()
        let diff = fm.slope - fh.slope
        let se = (fm.slopeStandardError * fm.slopeStandardError + fh.slopeStandardError * fh.slopeStandardError).squareRoot()
        let t = try StudentT(degreesOfFreedom: Double(min(fm.count, fh.count) - 2))
        let half = try t.upperQuantile(c.alpha / 2) * se
        let interval = IntervalEstimate(lower: diff - half, upper: diff + half, confidence: 1 - c.alpha)
        let decision = IntervalDecision.above(interval, 0)
        return (SubResult(name: name, hypothesis: "b_MeZO − b_HiZOO > 0", statistic: "difference of OLS slopes", value: diff, alpha: c.alpha,
                          rejected: decision == .outside, estimate: diff, interval: interval,
                          detectable: (try t.upperQuantile(c.alpha / 2) + (try t.upperQuantile(c.beta))) * se,
                          sampleSize: fm.count + fh.count, note: "b_MeZO = \(Format.number(fm.slope, digits: 3)), b_HiZOO = \(Format.number(fh.slope, digits: 3)); decision \(decision.rawValue)"),
                decision, fm, fh)
    }

    /// The detectable difference of slopes of a comparison sub-result (the negative control passes
    /// the unmodified reference: the injected power law leaves the residuals, hence the SEs, unchanged).
    private func detectable(_ sub: SubResult) -> Discrepancy {
        Discrepancy(value: sub.detectable!, unit: "difference of slopes (log steps per log κ)", basis: "\(sub.sampleSize) runs, SEs from both fits, t quantiles")
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let (sub, _, _, _) = try compare(try mezo(c).0, try hizoo(c).0, c, name: "MeZO vs HiZOO")
        return detectable(sub)
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let (m, mt) = try mezo(c), (h, ht) = try hizoo(c)
        let (sub, decision, fm, fh) = try compare(m, h, c, name: "MeZO vs HiZOO")
        let mm = m.means(), hm = h.means()
        let verdict: Verdict = decision == .inside ? .holds : (decision == .outside ? .refuted : .holdsWithCaveat)
        let summary = "Diagonal quadratic d = 8, tolerance 1e-2·L₀: MeZO steps " + mm.map { "\(Format.number($0.1, digits: 4)) (κ = \(Format.number($0.0)))" }.joined(separator: ", ")
            + ", slope \(Format.number(fm.slope, digits: 3)); HiZOO steps " + hm.map { Format.number($0.1, digits: 4) }.joined(separator: ", ")
            + ", slope \(Format.number(fh.slope, digits: 3)). Difference \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(decision.rawValue). "
            + "Per step HiZOO costs 3 forwards, MeZO 2."
        var numbers: [String: Double] = ["slopeMeZO": fm.slope, "slopeHiZOO": fh.slope]
        for (k, v) in mt { numbers["lr.mezo.kappa\(Format.number(k))"] = Double(v)! }
        for (k, v) in ht { numbers["lr.hizoo.kappa\(Format.number(k))"] = Double(v)! }
        return result(.claim, c, verdict: verdict, summary: summary, subResults: [sub],
                      detectable: detectable(sub), numbers: numbers,
                      figure: FigureData(title: "Claim 8: steps to 1e-2·L₀ versus κ (d = 8)", columns: 1, panels: [
                        PanelData(lines: [SeriesData(label: "MeZO", x: mm.map(\.0), y: mm.map(\.1)), SeriesData(label: "HiZOO", x: hm.map(\.0), y: hm.map(\.1)),
                                          SeriesData(label: "∝ κ", x: mm.map(\.0), y: mm.map { mm[0].1 * $0.0 / mm[0].0 }, dashed: true)],
                                  title: "mean steps over seeds (tuned η per κ)", xLabel: "κ", yLabel: "steps", logX: true, logY: true),
                      ]))
    }

    /// A method that needs (κ/κ₀)^(b_MeZO − b_HiZOO + Δ) times HiZOO's measured steps — its slope
    /// exceeds MeZO's by the detectable difference Δ; "slower dependence than MeZO" must be refuted.
    /// The error is injected into the measured steps (re-running an optimizer at κ^(1+Δ) costs
    /// would take hours at κ = 10⁴).
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let (m, _) = try mezo(c), (h, _) = try hizoo(c)
        let (reference, _, fm, fh) = try compare(m, h, c, name: "MeZO vs HiZOO")
        let exponent = fm.slope - fh.slope + reference.detectable!
        let wrong = h.injected(exponent: exponent)
        let (sub, decision, _, _) = try compare(m, wrong, c, name: "MeZO vs HiZOO × (κ/κ₀)^\(Format.number(exponent, digits: 3))")
        return result(.negativeControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "A method needing (κ/κ₀)^\(Format.number(exponent, digits: 3)) times HiZOO's steps (slope above MeZO's by the detectable \(Format.number(reference.detectable!, digits: 3))): difference \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(decision.rawValue).",
                      subResults: [sub],
                      detectable: detectable(reference),
                      injected: -sub.estimate!, numbers: ["exponent": exponent])
    }
}
