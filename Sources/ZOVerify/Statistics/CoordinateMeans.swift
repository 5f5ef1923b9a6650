import ZOStats

/// Streams vectors X and tests E[X] = μ₀ coordinate by coordinate: one-sample t-tests with a
/// Bonferroni family decision (``SignificanceTest/coordinateT(_:nullMean:alternative:)``).
///
/// Assumption: each coordinate's sample mean is close to normal (CLT). The estimators tested
/// (ĝ = g·z and Ĥ = c(u² − 1)H) are products of Gaussians with finite fourth moments and
/// symmetric or mildly skewed laws; at the sample sizes used (hundreds in the unit tests,
/// thousands in the suite) the t-test's level holds closely, and `--vary-seed` measures it.
/// Power: a shift Δᵢ in coordinate i is detected with probability ≥ 1 − β when
/// Δᵢ ≥ (z_{1−α/(2K)} + z_{1−β}) sᵢ/√n (``detectableShifts(familyAlpha:beta:)``).
public struct CoordinateMeans: Sendable {
    public private(set) var moments: [RunningMoments]

    public init(dimension: Int) {
        moments = [RunningMoments](repeating: RunningMoments(), count: dimension)
    }

    public var dimension: Int { moments.count }
    public var count: Int { moments.first?.count ?? 0 }
    public var means: [Double] { moments.map(\.mean) }
    public var standardDeviations: [Double] { moments.map(\.standardDeviation) }

    /// Adds x − reference (reference nil: x).
    public mutating func add(_ x: [Double], minus reference: [Double]? = nil) {
        precondition(x.count == moments.count, "expected \(moments.count) coordinates, got \(x.count)")
        if let reference {
            for i in x.indices { moments[i].add(x[i] - reference[i]) }
        } else {
            for i in x.indices { moments[i].add(x[i]) }
        }
    }

    /// Per-coordinate detectable shifts at family level α over the K = `dimension` coordinates.
    public func detectableShifts(familyAlpha: Double, beta: Double) throws -> [Double] {
        try moments.map {
            try PowerAnalysis.detectableShift(sampleCount: $0.count, standardDeviation: $0.standardDeviation,
                                              alpha: familyAlpha, beta: beta, tests: dimension)
        }
    }

    /// The family test of H₀: every coordinate mean is `nullMean` (default 0), as a sub-result.
    /// `scales` (e.g. |∇ᵢ|) turn the detectable shifts into relative errors for the note.
    public func test(name: String, hypothesis: String, familyAlpha: Double, beta: Double,
                     nullMean: [Double]? = nil) throws -> SubResult {
        let family = try SignificanceTest.coordinateT(moments, nullMean: nullMean)
        let rejected = try family.rejects(at: familyAlpha)
        let t = family.tests.map { abs($0.statistic) }
        let worst = t.indices.max { t[$0] < t[$1] } ?? 0
        let shifts = try detectableShifts(familyAlpha: familyAlpha, beta: beta)
        let mean0 = nullMean?[worst] ?? 0
        let note = "worst coordinate \(worst): mean \(Format.number(moments[worst].mean)) vs \(Format.number(mean0)), "
            + "t = \(Format.number(family.tests[worst].statistic, digits: 3)); detectable shifts "
            + "\(Format.number(shifts.min() ?? .nan))…\(Format.number(shifts.max() ?? .nan))"
        return SubResult(name: name, hypothesis: hypothesis, statistic: "max |t| over \(dimension) coordinates",
                         value: t[worst], pValue: family.familyPValue, alpha: familyAlpha, rejected: rejected,
                         estimate: moments[worst].mean - mean0, detectable: shifts[worst], sampleSize: count, note: note)
    }
}
