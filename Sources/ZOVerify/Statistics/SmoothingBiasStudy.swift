import ZOStats

/// The O(h²) bias experiment of claims 1, 2 and 3 on a non-quadratic function.
///
/// Each draw gives, for the same random direction, the estimator's error against its
/// exact-derivative term at two perturbation sizes h and h/2 (a control variate: e.g.
/// e = ĝ − (∇ᵀz)z for SPSA, whose mean is the bias and whose variance is O(h⁴) instead of
/// O(‖∇‖²)). Two statistics:
///
/// 1. Exactness for the smoothed function: Gaussian smoothing makes the two-sided estimators
///    unbiased for the Gaussian-smoothed function, whose bias against the true derivative is
///    known in closed form for the test function used (Rastrigin: cos/sin terms damped by
///    e^{−ω²σ²/2}). Per-coordinate t-tests of e − b_pred at both sizes (K = 2d).
/// 2. The order: ρ = ⟨w, E e(h)⟩ / ⟨w, E e(h/2)⟩ along the predicted bias direction w, with a
///    delta-method interval (paired draws). "O(h²)" predicts ρ ≈ 4 (exactly ρ_pred for the
///    smoothed function); the equivalence margin is [3.6, 4.4] (±10 %), so an O(h) bias
///    (ρ ≈ 2) or O(h³) (ρ ≈ 8) is refuted.
///
/// Elementary tests: 2d + 1. The negative control adds the smallest detectable extra bias to
/// one coordinate of e(h).
struct SmoothingBiasStudy {
    var first: CoordinateMeans
    var second: CoordinateMeans
    var ratio = RatioOfMeans()
    let predictedFirst: [Double]
    let predictedSecond: [Double]
    let direction: [Double]

    init(predictedFirst: [Double], predictedSecond: [Double]) {
        self.predictedFirst = predictedFirst
        self.predictedSecond = predictedSecond
        first = CoordinateMeans(dimension: predictedFirst.count)
        second = CoordinateMeans(dimension: predictedFirst.count)
        let norm = Sampling.squaredNorm(predictedFirst).squareRoot()
        direction = predictedFirst.map { $0 / norm }
    }

    static func elementaryTests(dimension d: Int) -> Int { 2 * d + 1 }

    var predictedRatio: Double { Sampling.dot(direction, predictedFirst) / Sampling.dot(direction, predictedSecond) }

    mutating func add(_ e1: [Double], _ e2: [Double]) {
        first.add(e1, minus: predictedFirst)
        second.add(e2, minus: predictedSecond)
        ratio.add(Sampling.dot(direction, e1), Sampling.dot(direction, e2))
    }

    /// The smallest extra bias detectable in coordinate `i` of e(h) and the best coordinate,
    /// from a pilot's standard deviations.
    static func detectableShift(pilot: CoordinateMeans, draws n: Int, configuration c: CheckConfiguration) -> (Double, Int) {
        let s = pilot.standardDeviations
        let i = s.indices.min { s[$0] < s[$1] }!
        return (c.criticalSum * s[i] / Double(n).squareRoot(), i)
    }

    struct Outcome {
        var exactness: SubResult
        var order: SubResult
        var verdict: Verdict
        var ratioInterval: IntervalEstimate
    }

    func outcome(sizes: (String, String), configuration c: CheckConfiguration, what: String) throws -> Outcome {
        let d = first.dimension
        let alphaCoordinates = c.familyAlpha(tests: 2 * d)
        let familyFirst = try SignificanceTest.coordinateT(first.moments)
        let familySecond = try SignificanceTest.coordinateT(second.moments)
        let tests = familyFirst.tests + familySecond.tests
        let minP = tests.map(\.pValue).min() ?? 1
        let familyP = min(1, Double(tests.count) * minP)
        let rejected = familyP <= alphaCoordinates
        let worst = tests.indices.max { abs(tests[$0].statistic) < abs(tests[$1].statistic) }!
        let shifts = try first.detectableShifts(familyAlpha: alphaCoordinates, beta: c.beta)
        let exactness = SubResult(
            name: "\(what): bias = Gaussian-smoothing prediction",
            hypothesis: "E[e(h)] = b_pred(h) and E[e(h/2)] = b_pred(h/2) in every coordinate (\(sizes.0), \(sizes.1))",
            statistic: "max |t| over \(2 * d) coordinates", value: abs(tests[worst].statistic), pValue: familyP,
            alpha: alphaCoordinates, rejected: rejected, estimate: tests[worst].estimate,
            detectable: shifts.min(), sampleSize: first.count,
            note: "worst: \(worst < d ? sizes.0 : sizes.1) coordinate \(worst % d), t = \(Format.number(tests[worst].statistic, digits: 3))")
        let alphaRatio = c.familyAlpha(tests: 1)
        let interval = try ratio.interval(alpha: alphaRatio)
        let decision = IntervalDecision.equivalence(interval, lower: 3.6, upper: 4.4)
        let order = SubResult(
            name: "\(what): bias order",
            hypothesis: "bias(h)/bias(h/2) ∈ [3.6, 4.4] (O(h²)); smoothing predicts \(Format.number(predictedRatio, digits: 4))",
            statistic: "ratio of paired means along the predicted bias direction", value: ratio.ratio,
            alpha: alphaRatio, rejected: decision == .outside, estimate: ratio.ratio, interval: interval,
            detectable: c.criticalSum * ratio.standardError, sampleSize: ratio.count,
            note: "decision \(decision.rawValue); SE(denominator)/|denominator| = \(Format.number(ratio.relativeErrorOfDenominator, digits: 2))")
        let verdict: Verdict
        if rejected || decision == .outside { verdict = .refuted }
        else if decision == .straddles { verdict = .holdsWithCaveat }
        else { verdict = .holds }
        return Outcome(exactness: exactness, order: order, verdict: verdict, ratioInterval: interval)
    }
}
