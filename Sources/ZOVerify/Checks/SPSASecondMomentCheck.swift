import ZOCore
import ZOFunctions
import ZOOptim
import ZOStats

/// Claim 1b: E‖ĝ‖² = (d + 2)‖∇L‖² for one Gaussian direction — the variance behind ZO's O(d)
/// slow-down.
public struct SPSASecondMomentCheck: Check {
    public let name = "spsa-second-moment"
    public let claim = 1
    public let title = "E‖ĝ‖² = (d + 2)‖∇L‖² for a Gaussian direction"
    public let source = "CHECKS.md claim 1 (the variance behind seed 004 Thm 3.2's d-dependence; MeZO's Lemma 2 form)"
    public let statement = "For ĝ = (zᵀ∇L) z with z ~ N(0, I_d): E‖ĝ‖² = (d + 2)‖∇L‖², so the estimate's variance grows linearly in d."
    public let derivation = """
        Write a = uᵀz with u = ∇L/‖∇L‖ and W = ‖z‖² − a² ~ χ²_{d−1} independent of a. Then \
        ‖ĝ‖²/‖∇L‖² = a²(a² + W) and E = E a⁴ + E a² E W = 3 + (d − 1) = d + 2. With Rademacher z, \
        ‖z‖² = d exactly and the ratio's mean is d: the statistic separates the two laws by 2/(d + 2). \
        Var(r) = 105 + 30(d − 1) + 3(d − 1)(d + 1) − (d + 2)² (from E a⁸ = 105, E a⁶ = 15, E a⁴ = 3) sets n.
        """
    public let method = """
        Diagonal quadratic κ = 10 at θ = 1 for d ∈ {4, 16, 64} (quick and full; test: {4, 16}). \
        ĝ from real `mezo` steps (ε = 1e-3, η = 1). The heavy right tail of r = ‖ĝ‖²/‖∇L‖² needs more draws \
        than the 0.1σ rule: n per d is chosen so that a 5 % (full; quick 10 %, test 20 %) error of the \
        mean is detected with power 1 − β, using the exact σ(r) above. A Rademacher-direction MeZO is \
        measured alongside (not a verdict input) to show the statistic sees (d + 2) vs d.
        """
    public let statisticDescription = "One-sample t of r = ‖ĝ‖²/‖∇L‖² against d + 2 for each d; refuted when some d has p ≤ αᵢ/3."
    public let elementaryTests = 3

    public init() {}

    func dimensions(_ c: CheckConfiguration) -> [Int] { c.scale.pick(full: [4, 16, 64], quick: [4, 16, 64], test: [4, 16]) }
    func targetRelativeError(_ c: CheckConfiguration) -> Double { c.scale.pick(full: 0.05, quick: 0.1, test: 0.2) }

    /// σ(r)/E r for dimension d (exact).
    static func relativeSD(_ d: Int) -> Double {
        let m = Double(d + 2)
        let second = 105 + 30 * Double(d - 1) + 3 * Double(d - 1) * Double(d + 1)
        return (second - m * m).squareRoot() / m
    }

    func draws(_ d: Int, _ c: CheckConfiguration) -> Int {
        let n = (c.criticalSum * Self.relativeSD(d) / targetRelativeError(c))
        return Int((n * n).rounded(.up))
    }

    /// The smallest scale error δ of ‖ĝ‖² (mean and σ both × (1 + δ)) detected with power 1 − β
    /// at every d: the shift δ(d + 2) must reach (z + z)(1 + δ)σ/√n, so δ = a/(1 − a) with
    /// a = (z + z)σ(r)/(√n E r) at the least sensitive d.
    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let ds = dimensions(c)
        let worst = ds.map { c.criticalSum * Self.relativeSD($0) / Double(draws($0, c)).squareRoot() }.max()!
        return Discrepancy(value: CheckConfiguration.scaleError(forRelativeShift: worst), unit: "relative (scale) error of E‖ĝ‖²/‖∇L‖²",
                           basis: "n per d = \(ds.map { Format.count(draws($0, c)) }.joined(separator: ", ")), αᵢ/K = \(Format.probability(c.perTestAlpha)), exact σ(r), power 1 − β at every d")
    }

    func measure(_ d: Int, _ c: CheckConfiguration, distribution: String, scale: Double) throws -> RunningMoments {
        let objective = try FunctionObjective(named: "diagonal-quadratic", dimension: d,
                                              parameters: FunctionParameters(conditionNumber: 10))
        let gradient = try ReferenceGradient.at(objective)
        let norm2 = Sampling.squaredNorm(gradient)
        let estimator = try OptimizerStepEstimator<Double>("mezo", options: ["eps": "1e-3", "distribution": distribution],
                                                           parameters: objective.parameters, seed: c.seed(UInt64(d)))
        var r = RunningMoments()
        for i in 0..<draws(d, c) { r.add(scale * Sampling.squaredNorm(try estimator.draw(i, on: objective)) / norm2) }
        return r
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult { try experiment(c, kind: .claim, scaleError: 0) }

    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        // ‖ĝ‖² × (1 + δ) at every d (ĝ scaled by √(1 + δ)), δ the detectable scale error.
        try experiment(c, kind: .negativeControl, scaleError: try smallestDetectableDiscrepancy(configuration: c).value)
    }

    func experiment(_ c: CheckConfiguration, kind: RunKind, scaleError: Double) throws -> CheckResult {
        var subs: [SubResult] = []
        var rejected = false
        var categories: [CategoryData] = []
        var rademacher: [CategoryData] = []
        var numbers: [String: Double] = [:]
        let alpha = c.familyAlpha(tests: 1)
        for d in dimensions(c) {
            let r = try measure(d, c, distribution: "gaussian", scale: 1 + scaleError)
            let t = try SignificanceTest.oneSampleT(r, nullMean: Double(d + 2))
            let reject = try t.rejects(at: alpha)
            rejected = rejected || reject
            let ci = try Intervals.mean(r, alpha: alpha)
            subs.append(SubResult(name: "d = \(d)", hypothesis: "E‖ĝ‖²/‖∇L‖² = d + 2 = \(d + 2)", statistic: "one-sample t",
                                  value: t.statistic, pValue: t.pValue, alpha: alpha, rejected: reject, estimate: r.mean,
                                  interval: ci, detectable: c.criticalSum * r.standardError, sampleSize: r.count,
                                  note: "relative deviation \(Format.number(r.mean / Double(d + 2) - 1, digits: 2))"))
            categories.append(CategoryData(label: "d=\(d)", value: r.mean / Double(d + 2), lower: ci.lower / Double(d + 2),
                                           upper: ci.upper / Double(d + 2), expected: 1))
            numbers["meanRatio.d\(d)"] = r.mean
            if kind == .claim {
                let rad = try measure(d, c, distribution: "rademacher", scale: 1)
                let rci = try Intervals.mean(rad, alpha: alpha)
                subs.append(SubResult(name: "d = \(d), Rademacher z", hypothesis: "measured: Rademacher predicts d = \(d)",
                                      statistic: "mean of ‖ĝ‖²/‖∇L‖²", value: rad.mean, estimate: rad.mean, interval: rci,
                                      sampleSize: rad.count))
                rademacher.append(CategoryData(label: "d=\(d)", value: rad.mean / Double(d + 2), lower: rci.lower / Double(d + 2),
                                               upper: rci.upper / Double(d + 2), expected: Double(d) / Double(d + 2)))
                numbers["rademacherMeanRatio.d\(d)"] = rad.mean
            }
        }
        let detectable = try smallestDetectableDiscrepancy(configuration: c)
        numbers["injectedScaleError"] = scaleError
        let verdict: Verdict = rejected ? .refuted : .holds
        let parts = subs.filter { $0.rejected != nil }.map {
            "\($0.name): \(Format.number($0.estimate!, digits: 5)) \(Format.interval($0.interval, digits: 5))"
        }
        let label = kind == .negativeControl ? "‖ĝ‖² × (1 + \(Format.number(scaleError, digits: 3)))" : "MeZO (Gaussian z)"
        var summary = "\(label): mean ‖ĝ‖²/‖∇L‖² vs d + 2 — " + parts.joined(separator: "; ")
            + ". " + (rejected ? "Some d deviates beyond αᵢ/3." : "Every d agrees with d + 2 at level αᵢ/3.")
            + " Relative errors ≥ \(Format.number(detectable.value, digits: 2)) are detected with power 0.999."
        if kind == .claim {
            summary += " Rademacher directions give " + rademacher.map { "\($0.label): \(Format.number($0.value * Double(Int($0.label.dropFirst(2))! + 2), digits: 4))" }.joined(separator: ", ")
                + " (theory d): the (d + 2) factor is a property of Gaussian directions."
        }
        var panels = [PanelData(intervals: categories, title: "Gaussian z: E‖ĝ‖²/((d+2)‖∇L‖²) (◇, dashed: theory 1)", yLabel: "ratio",
                                references: [ReferenceLine("", 1)])]
        if !rademacher.isEmpty {
            panels.append(PanelData(intervals: rademacher, title: "Rademacher z: same ratio (◇ theory d/(d+2); dashed: 1)", yLabel: "ratio",
                                    references: [ReferenceLine("", 1)]))
        }
        return result(kind, c, verdict: verdict, summary: summary, subResults: subs, detectable: detectable,
                      injected: kind == .negativeControl ? scaleError : nil, numbers: numbers,
                      figure: FigureData(title: "Claim 1: E‖ĝ‖² = (d + 2)‖∇L‖²", panels: panels))
    }
}
