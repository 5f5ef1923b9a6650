import Foundation
import ZOCore
import ZOFunctions
import ZOOptim
import ZOStats

/// Claim 8a: ZO-SGD needs O(d) more steps than GD.
public struct ZODimensionRateCheck: Check {
    public let name = "zo-dimension-rate"
    public let claim = 8
    public let title = "ZO-SGD needs O(d) more steps than gradient descent"
    public let source = "seed 004 Thm 3.2 (convergence rate with the (d + 2)-type factor of ZO estimates); MeZO's analysis; CHECKS.md claim 8"
    public let statement = "On a smooth problem with fixed conditioning, the steps MeZO needs to reach a tolerance grow linearly in d, while gradient descent's do not depend on d."
    public let derivation = """
        With E‖ĝ‖² = (d + 2)‖∇L‖² (claim 1) the largest stable η shrinks as 1/((d + 2)λ_max), so the expected \
        decrease per step is ≈ ‖∇L‖²/(2(d + 2)λ_max) instead of ‖∇L‖²/(2λ_max): steps ∝ (d + 2)κ log(1/tol) \
        versus κ log(1/tol). On log–log axes the slope of steps versus d + 2 is 1 for MeZO and 0 for GD.
        """
    public let method = """
        Diagonal quadratic κ = 10, d ∈ {8, 16, 32, 64, 128} (quick {8 … 64}, test {4, 8, 16}), start θᵢ = 1/√λᵢ \
        (every coordinate starts with loss ½). Tolerance L ≤ 1e-3 L₀. MeZO (ε = 1e-4) with η = c/((d + 2)λ_max), \
        c ∈ {0.25, 0.5, 1} tuned per d by the median over 2 tuning seeds, then R seeds (full 8, quick 5, test 4); \
        GD with η = 1/λ_max.
        """
    public let statisticDescription = "OLS slope of log(steps) on log(d + 2) (the variance factor) over all MeZO runs, t interval at αᵢ (K = 1): holds when inside [0.8, 1.2], refuted when disjoint. GD's slope is measured."
    public let elementaryTests = 1

    public init() {}

    func dimensions(_ c: CheckConfiguration) -> [Int] { c.scale.pick(full: [8, 16, 32, 64, 128], quick: [8, 16, 32, 64], test: [4, 8, 16]) }
    func seeds(_ c: CheckConfiguration) -> Int { c.scale.pick(full: 8, quick: 5, test: 4) }
    static let kappa = 10.0

    func objective(_ d: Int) throws -> FunctionObjective {
        let f = try DiagonalQuadratic(dimension: d, conditionNumber: Self.kappa)
        return try FunctionObjective(f, start: f.eigenvalues.map { 1 / $0.squareRoot() })
    }

    /// MeZO steps per d (x = d + 2).
    func study(_ c: CheckConfiguration) throws -> (SlopeStudy, [Int: Double]) {
        var s = SlopeStudy()
        var tuned: [Int: Double] = [:]
        for d in dimensions(c) {
            let o = try objective(d)
            let candidates = [0.25, 0.5, 1.0].map { ["lr": "\($0 / (Double(d + 2) * Self.kappa))", "eps": "1e-4"] }
            let cap = 400 * (d + 2) * Int(Self.kappa)
            let (options, _) = try StepsToTolerance.tune(o, optimizer: "mezo", candidates: candidates, fraction: 1e-3, cap: cap,
                                                         seeds: [c.seed(9000), c.seed(9001)])
            tuned[d] = Double(options["lr"]!)!
            for r in 0..<seeds(c) {
                let steps = try StepsToTolerance.run(o, optimizer: "mezo", options: options, fraction: 1e-3, cap: cap, seed: c.seed(UInt64(r)))
                s.add(Double(d + 2), steps.map(Double.init) ?? .infinity)
            }
        }
        return (s, tuned)
    }

    func decide(_ s: SlopeStudy, _ c: CheckConfiguration, name: String) throws -> (SubResult, IntervalDecision) {
        try s.equivalence(c, name: name, hypothesis: "slope of log(steps) on log(d + 2) ∈ [0.8, 1.2]")
    }

    /// The detectable slope shift of an equivalence sub-result (the negative control passes the
    /// unmodified reference: the injected power law leaves the residuals, hence the SE, unchanged).
    private func detectable(_ sub: SubResult) -> Discrepancy {
        Discrepancy(value: sub.detectable!, unit: "slope shift beyond the margin [0.8, 1.2]", basis: "\(sub.sampleSize) runs, SE(slope) from the fit, t quantiles")
    }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let (s, _) = try study(c)
        let (sub, _) = try decide(s, c, name: "MeZO")
        return detectable(sub)
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        let (s, tuned) = try study(c)
        let (sub, decision) = try decide(s, c, name: "MeZO")
        var gd = SlopeStudy()
        for d in dimensions(c) {
            let steps = try StepsToTolerance.run(try objective(d), optimizer: "gd", options: ["lr": "\(1 / Self.kappa)"], fraction: 1e-3, cap: 100_000, seed: 0)
            for _ in 0..<3 { gd.add(Double(d + 2), steps.map(Double.init) ?? .infinity) }
        }
        let gdSlope = (try? gd.fit().slope) ?? 0
        let means = s.means(), gdMeans = gd.means()
        let verdict: Verdict = decision == .inside ? .holds : (decision == .outside ? .refuted : .holdsWithCaveat)
        let summary = "Diagonal quadratic κ = 10, tolerance 1e-3·L₀: MeZO's steps " + means.map { "\(Format.number($0.1, digits: 4)) (d = \(Int($0.0) - 2))" }.joined(separator: ", ")
            + "; slope \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)). GD: " + gdMeans.map { "\(Format.number($0.1, digits: 3))" }.joined(separator: ", ")
            + " steps, slope \(Format.number(gdSlope, digits: 3)). Ratio MeZO/GD at the largest d: \(Format.number(means.last!.1 / gdMeans.last!.1, digits: 3)) (d + 2 = \(dimensions(c).last! + 2))."
        return result(.claim, c, verdict: verdict, summary: summary, subResults: [sub],
                      detectable: detectable(sub),
                      numbers: ["slope": sub.estimate!, "gdSlope": gdSlope].merging(Dictionary(uniqueKeysWithValues: tuned.map { ("lr.d\($0.key)", $0.value) })) { a, _ in a },
                      figure: FigureData(title: "Claim 8: steps to 1e-3·L₀ versus d (κ = 10)", columns: 1, panels: [
                        PanelData(lines: [SeriesData(label: "MeZO (tuned η)", x: means.map(\.0), y: means.map(\.1)),
                                          SeriesData(label: "GD", x: gdMeans.map(\.0), y: gdMeans.map(\.1)),
                                          SeriesData(label: "∝ d + 2", x: means.map(\.0), y: means.map { means[0].1 * $0.0 / means[0].0 }, dashed: true)],
                                  title: "mean steps over seeds", xLabel: "d + 2", yLabel: "steps", logX: true, logY: true,
                                  xRange: (means.first!.0 / 1.15)...(means.last!.0 * 1.15)),
                      ]))
    }

    /// A ZO method needing ((d + 2)/(d₀ + 2))^(0.2 + Δ) times MeZO's measured steps: its slope lies
    /// above the margin by the detectable shift Δ (injected into the measured steps, so the control
    /// costs no extra runs).
    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let (s, _) = try study(c)
        let (reference, _) = try decide(s, c, name: "MeZO")
        let exponent = 1.2 - reference.estimate! + reference.detectable!
        let wrong = s.injected(exponent: exponent)
        let (sub, decision) = try decide(wrong, c, name: "MeZO × ((d+2)/(d₀+2))^\(Format.number(exponent, digits: 3))")
        return result(.negativeControl, c, verdict: decision == .outside ? .refuted : .holds,
                      summary: "A ZO method needing ((d + 2)/(d₀ + 2))^\(Format.number(exponent, digits: 3)) times MeZO's steps (slope 1.2 + detectable \(Format.number(reference.detectable!, digits: 3))): slope \(Format.number(sub.estimate!, digits: 3)) \(Format.interval(sub.interval, digits: 3)) → \(decision.rawValue).",
                      subResults: [sub],
                      detectable: detectable(reference),
                      injected: sub.estimate! - 1.2, numbers: ["exponent": exponent])
    }
}
