import ZOCore
import ZOFunctions
import ZOOptim

/// Claim 1a: MeZO's SPSA estimate is unbiased on quadratics, E[ĝ] = ∇L (seed 004 Def. 3.1).
public struct SPSAUnbiasedCheck: Check {
    public let name = "spsa-unbiased"
    public let claim = 1
    public let title = "SPSA is unbiased on quadratics"
    public let source = "seed 004 Def. 3.1 (SPSA as used by MeZO); CHECKS.md claim 1"
    public let statement = "For a Gaussian direction z ~ N(0, I) and two-sided differences, E[ĝ] = E[(L(θ+εz) − L(θ−εz))/(2ε) · z] = ∇L(θ) + O(ε²), exactly ∇L(θ) when L is quadratic."
    public let derivation = """
        For L(θ) = ½(θ − c)ᵀA(θ − c), L(θ+εz) − L(θ−εz) = 2ε zᵀ∇L exactly (the even terms cancel), so \
        ĝ = (zᵀ∇L) z and E[ĝ] = E[zzᵀ]∇L = ∇L for any ε. Off quadratics the odd Taylor terms leave \
        (ε²/6)E[D³L[z,z,z] z] = O(ε²) (claim `spsa-bias-order`). Cov(ĝ) = ‖∇L‖² I + ∇L∇Lᵀ, so \
        Var(ĝᵢ) = ‖∇L‖² + (∂ᵢL)² is known and sets the sample size.
        """
    public let method = """
        Rotated quadratic (off-diagonal Hessian) d = 8, κ = 100, rotation seed 1, at θ = 0 (∇L = −H·1). \
        ĝ is read off real `mezo` steps (ε = 1e-3, η = 1, θ restored after each draw), draw i using noise \
        stream i. n from the power formula with Δ = 0.1σ per coordinate (full), 0.25σ (quick).
        """
    public let statisticDescription = "Per-coordinate one-sample t of ĝᵢ − ∂ᵢL; the claim is refuted when some coordinate has p ≤ αᵢ/8 (Bonferroni over K = 8)."
    public let elementaryTests = 8

    public init() {}

    static let dimension = 8

    struct Setup {
        let objective: FunctionObjective
        let gradient: [Double]
        let estimator: OptimizerStepEstimator<Double>
        /// σᵢ = √(‖∇L‖² + ∂ᵢL²).
        let sigma: [Double]
    }

    func setup(_ c: CheckConfiguration) throws -> Setup {
        let objective = try FunctionObjective(named: "rotated-quadratic", dimension: Self.dimension,
                                              parameters: FunctionParameters(conditionNumber: 100, seed: 1))
        let gradient = try ReferenceGradient.at(objective)
        let estimator = try OptimizerStepEstimator<Double>("mezo", options: ["eps": "1e-3"], parameters: objective.parameters,
                                                           seed: c.seed(1), label: "MeZO")
        let norm2 = Sampling.squaredNorm(gradient)
        return Setup(objective: objective, gradient: gradient, estimator: estimator,
                     sigma: gradient.map { (norm2 + $0 * $0).squareRoot() })
    }

    /// δ: the smallest relative scale error (ĝ·(1 + δ)) detected with power 1 − β. A scale
    /// error also scales σ, so the shift δ|∂ᵢL| must reach (z + z)(1 + δ)σᵢ/√n: δ = a/(1 − a)
    /// with a = (z + z)σᵢ/(√n|∂ᵢL|), at the most sensitive coordinate.
    func relativeScaleDetectable(_ s: Setup, _ c: CheckConfiguration, draws n: Int) -> Double {
        let a = zip(s.sigma, s.gradient).map { c.criticalSum * $0 / (Double(n).squareRoot() * abs($1)) }.min()!
        return CheckConfiguration.scaleError(forRelativeShift: a)
    }

    func draws(_ c: CheckConfiguration) throws -> Int { max(try c.sampleSize(), c.scale == .test ? 2000 : 0) }

    public func smallestDetectableDiscrepancy(configuration c: CheckConfiguration) throws -> Discrepancy {
        let s = try setup(c)
        let n = try draws(c)
        return Discrepancy(value: relativeScaleDetectable(s, c, draws: n), unit: "relative scale error of ĝ",
                           basis: "n = \(n), αᵢ/K = \(Format.probability(c.perTestAlpha)), β = \(c.beta), σᵢ² = ‖∇L‖² + ∂ᵢL² (exact)")
    }

    public func run(configuration c: CheckConfiguration) throws -> CheckResult {
        try experiment(c, kind: .claim, scaleError: 0)
    }

    public func runNegativeControl(configuration c: CheckConfiguration) throws -> CheckResult {
        let delta = try smallestDetectableDiscrepancy(configuration: c).value
        return try experiment(c, kind: .negativeControl, scaleError: delta)
    }

    func experiment(_ c: CheckConfiguration, kind: RunKind, scaleError: Double) throws -> CheckResult {
        let s = try setup(c)
        let n = try draws(c)
        let estimator: any GradientEstimator<Double> = scaleError == 0 ? s.estimator
            : DistortedEstimator.scaled(s.estimator, by: 1 + scaleError)
        let means = try Sampling.coordinateMeans(estimator, on: s.objective, reference: s.gradient, draws: n)
        let alpha = c.familyAlpha(tests: Self.dimension)
        let sub = try means.test(name: "rotated quadratic d = 8, κ = 100", hypothesis: "E[ĝᵢ] = ∂ᵢL for every i",
                                 familyAlpha: alpha, beta: c.beta)
        let delta = relativeScaleDetectable(s, c, draws: n)
        let relative = zip(means.means, s.gradient).map { 1 + $0 / $1 }
        let worstRelative = relative.map { abs($0 - 1) }.max() ?? .nan
        let verdict: Verdict = sub.rejected == true ? .refuted : .holds
        let label = kind == .negativeControl ? "MeZO × (1 + \(Format.number(scaleError, digits: 3)))" : "MeZO"
        let summary = "\(label): ĝ vs ∇L on the rotated quadratic (d = 8, κ = 100, ε = 1e-3), n = \(Format.count(n)) draws: "
            + "max |t| = \(Format.number(sub.value, digits: 3)), Bonferroni p = \(Format.probability(sub.pValue ?? .nan)) "
            + (sub.rejected == true ? "≤" : ">") + " α = \(Format.probability(alpha)); largest relative deviation of a "
            + "coordinate mean \(Format.number(worstRelative, digits: 2)). A relative scale error ≥ \(Format.number(delta, digits: 2)) "
            + "is detected with power \(1 - c.beta)."
        let figure = FigureData(title: "Claim 1: E[ĝ] = ∇L (MeZO, rotated quadratic d = 8)", panels: [
            PanelData(intervals: (0..<Self.dimension).map { i in
                let t = means.means[i] / (means.standardDeviations[i] / Double(n).squareRoot())
                return CategoryData(label: "θ\(i + 1)", value: t)
            }, title: "t of ĝᵢ − ∂ᵢL (n = \(Format.count(n)))", yLabel: "t",
                      references: [ReferenceLine("+critical", c.criticalValue), ReferenceLine("−critical", -c.criticalValue)]),
            PanelData(intervals: (0..<Self.dimension).map { i in
                let half = c.criticalValue * means.standardDeviations[i] / Double(n).squareRoot() / abs(s.gradient[i])
                return CategoryData(label: "θ\(i + 1)", value: relative[i], lower: relative[i] - half, upper: relative[i] + half,
                                    expected: 1)
            }, title: "mean ĝᵢ / ∂ᵢL with Bonferroni intervals", yLabel: "ratio", references: [ReferenceLine("1", 1)]),
        ])
        return result(kind, c, verdict: verdict, summary: summary, subResults: [sub],
                      detectable: Discrepancy(value: delta, unit: "relative scale error of ĝ",
                                              basis: "n = \(n), αᵢ/K = \(Format.probability(c.perTestAlpha)), β = \(c.beta)"),
                      injected: kind == .negativeControl ? scaleError : nil,
                      numbers: ["draws": Double(n), "maxAbsT": sub.value, "familyP": sub.pValue ?? .nan,
                                "detectableRelativeScale": delta, "injectedScaleError": scaleError,
                                "forwardPassesPerDraw": Double(s.estimator.forwardPassesPerDraw)],
                      figure: figure)
    }
}
