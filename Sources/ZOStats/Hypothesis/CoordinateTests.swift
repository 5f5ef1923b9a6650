/// Per-coordinate one-sample t-tests of a vector mean, with one Bonferroni family decision:
/// the family H₀ (every coordinate has its null mean) is rejected at family level α when some
/// coordinate's p ≤ α/K. Valid under any dependence between coordinates; conservative when
/// they are strongly correlated (Hotelling's T² uses the correlation instead).
public struct CoordinateTestResult: Sendable, Equatable, CustomStringConvertible {
    /// One t-test per coordinate, in coordinate order.
    public let tests: [TestResult]

    /// K, the number of coordinates tested.
    public var familySize: Int { tests.count }

    /// The smallest per-coordinate p-value.
    public var minimumPValue: Double { tests.map(\.pValue).min() ?? 1 }

    /// The Bonferroni-adjusted family p-value min(1, K · min p): the family is rejected at α
    /// exactly when this is ≤ α.
    public var familyPValue: Double { Swift.min(1, Double(familySize) * minimumPValue) }

    /// True when some coordinate has p ≤ α/K.
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` unless 0 < α < 1.
    public func rejects(at familyAlpha: Double) throws(StatsError) -> Bool {
        try !rejectedCoordinates(at: familyAlpha).isEmpty
    }

    /// The coordinates with p ≤ α/K (each a discrepancy at family level α).
    /// - Throws: ``StatsError/probabilityOutOfRange(name:value:)`` unless 0 < α < 1.
    public func rejectedCoordinates(at familyAlpha: Double) throws(StatsError) -> [Int] {
        try requireOpenProbability(familyAlpha, "family significance level α")
        let perTest = familyAlpha / Double(familySize)
        return tests.indices.filter { tests[$0].pValue <= perTest }
    }

    public var description: String {
        "per-coordinate t-tests, K = \(familySize): min p = \(minimumPValue), Bonferroni p = \(familyPValue)"
    }
}

extension SignificanceTest {
    /// Per-coordinate t-tests from one accumulator per coordinate (use this when d is too
    /// large for a covariance matrix: it needs O(d) memory).
    ///
    /// - Parameter nullMean: μ₀ per coordinate; `nil` means all zeros.
    /// - Throws: ``StatsError`` for no coordinates, a coordinate sample that is unclean or has
    ///   n < 2 or zero variance (naming the coordinate), a wrong-length or non-finite μ₀.
    public static func coordinateT(
        _ coordinates: [RunningMoments], nullMean: [Double]? = nil, alternative: Alternative = .twoSided
    ) throws(StatsError) -> CoordinateTestResult {
        guard !coordinates.isEmpty else { throw .emptySample(what: "coordinate list") }
        let mu0 = try checkedNullMean(nullMean, dimension: coordinates.count)
        var tests: [TestResult] = []
        tests.reserveCapacity(coordinates.count)
        for (i, c) in coordinates.enumerated() {
            try c.validate("coordinate \(i)", needed: 2)
            tests.append(try studentT(mean: c.mean, variance: c.variance, count: c.count, nullMean: mu0[i],
                                      alternative: alternative, what: "coordinate \(i)"))
        }
        return CoordinateTestResult(tests: tests)
    }

    /// Per-coordinate t-tests from a ``RunningMeanCovariance`` (its diagonal).
    public static func coordinateT(
        _ sample: RunningMeanCovariance, nullMean: [Double]? = nil, alternative: Alternative = .twoSided
    ) throws(StatsError) -> CoordinateTestResult {
        try sample.validate("sample", needed: 2)
        let mu0 = try checkedNullMean(nullMean, dimension: sample.dimension)
        let mean = sample.mean, variances = sample.variances
        var tests: [TestResult] = []
        for i in 0..<sample.dimension {
            tests.append(try studentT(mean: mean[i], variance: variances[i], count: sample.count, nullMean: mu0[i],
                                      alternative: alternative, what: "coordinate \(i)"))
        }
        return CoordinateTestResult(tests: tests)
    }

    static func checkedNullMean(_ nullMean: [Double]?, dimension: Int) throws(StatsError) -> [Double] {
        guard let mu0 = nullMean else { return [Double](repeating: 0, count: dimension) }
        guard mu0.count == dimension else {
            throw .dimensionMismatch(what: "null mean μ₀", expected: dimension, got: mu0.count)
        }
        let bad = mu0.filter { !$0.isFinite }.count
        if bad > 0 { throw .nonFiniteData(what: "null mean μ₀", count: bad) }
        return mu0
    }
}
