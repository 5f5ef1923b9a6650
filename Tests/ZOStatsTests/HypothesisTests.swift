import Testing
import ZOStats

/// Fixed-data tests against SciPy 1.17.1: `ttest_1samp`, `ttest_ind(equal_var=False)`,
/// `binomtest`, and a NumPy evaluation of Hotelling's T² (n·dᵀ S⁻¹ d with `np.linalg.solve`)
/// with `scipy.stats.f.sf` for its p-value.
@Suite("Significance tests")
struct HypothesisTests {
    static let a = [2.1, 1.9, 3.2, 2.8, 2.5, 1.7, 2.9, 3.1, 2.2, 2.6, 2.4, 3.0]
    static let b = [1.8, 2.0, 1.5, 2.3, 1.1, 1.9, 2.2, 1.4, 1.7]
    static let hotellingData: [[Double]] = [
        [1.2, 0.3, -0.5], [0.8, 0.1, 0.2], [1.5, 0.7, -0.1], [0.9, -0.2, 0.4], [1.1, 0.5, 0.0],
        [1.4, 0.2, -0.3], [0.7, 0.0, 0.1], [1.3, 0.6, -0.4], [1.0, 0.4, 0.3], [1.6, 0.8, -0.2],
    ]

    @Test func oneSampleTMatchesSciPy() throws {
        let expected: [(Alternative, Double)] = [
            (.twoSided, 0.12503424384318645), (.less, 0.9374828780784068), (.greater, 0.06251712192159323),
        ]
        for (alternative, p) in expected {
            let r = try SignificanceTest.oneSampleT(Self.a, nullMean: 2.3, alternative: alternative)
            #expect(relativeError(r.statistic, 1.6604316451097416) <= 1e-13)
            #expect(relativeError(r.pValue, p) <= 1e-12, "\(alternative)")
            #expect(r.reference == .studentT(degreesOfFreedom: 11))
        }
        let r = try SignificanceTest.oneSampleT(Self.a, nullMean: 2.3)
        #expect(try !r.rejects(at: 0.05))
        #expect(try r.rejects(at: 0.2))
    }

    @Test func oneSampleZMatchesSciPyFormulas() throws {
        // Known σ = 0.5: z = (x̄ − 2.3)/(0.5/√12); p from scipy.stats.norm.
        let known = try SignificanceTest.oneSampleZ(Self.a, nullMean: 2.3, standardDeviation: 0.5)
        #expect(relativeError(known.statistic, 1.6165807537309522) <= 1e-13)
        #expect(relativeError(known.pValue, 0.10596880912720226) <= 1e-13)
        let less = try SignificanceTest.oneSampleZ(Self.a, nullMean: 2.3, standardDeviation: 0.5, alternative: .less)
        #expect(relativeError(less.pValue, 0.9470155954363989) <= 1e-13)
        let greater = try SignificanceTest.oneSampleZ(Self.a, nullMean: 2.3, standardDeviation: 0.5, alternative: .greater)
        #expect(relativeError(greater.pValue, 0.05298440456360113) <= 1e-13)
        // Estimated σ: the same statistic as t, normal p-value.
        let estimated = try SignificanceTest.oneSampleZ(Self.a, nullMean: 2.3)
        #expect(relativeError(estimated.statistic, 1.6604316451097414) <= 1e-13)
        #expect(relativeError(estimated.pValue, 0.0968276484106959) <= 1e-13)
    }

    @Test func welchMatchesSciPy() throws {
        let expected: [(Alternative, Double)] = [
            (.twoSided, 0.000742832454762202), (.less, 0.9996285837726189), (.greater, 0.000371416227381101),
        ]
        for (alternative, p) in expected {
            let r = try SignificanceTest.welchT(Self.a, Self.b, alternative: alternative)
            #expect(relativeError(r.statistic, 4.017644854924976) <= 1e-13)
            #expect(relativeError(r.pValue, p) <= 1e-11, "\(alternative)")
            guard case .studentT(let nu) = r.reference else { Issue.record("not a t reference"); continue }
            #expect(relativeError(nu, 18.895906892671796) <= 1e-13)
        }
        // Shifting the null difference by the observed difference gives t = 0.
        let centred = try SignificanceTest.welchT(Self.a, Self.b, nullDifference: RunningMoments(Self.a).mean - RunningMoments(Self.b).mean)
        #expect(abs(centred.statistic) <= 1e-14 && abs(centred.pValue - 1) <= 1e-14)
    }

    @Test func exactBinomialMatchesSciPy() throws {
        let cases: [(k: Int, n: Int, p: Double, twoSided: Double, less: Double, greater: Double)] = [
            (7, 20, 0.2, 0.09822172861346881, 0.9678573369191248, 0.08669251356740035),
            (3, 50, 0.15, 0.07610710711749102, 0.04604657889230182, 0.9858114833989174),
            (60, 100, 0.5, 0.05688793364098089, 0.9823998998911476, 0.028443966820490444),
            (0, 10, 0.3, 0.0388396033, 0.028247524900000005, 1.0),
            (95, 100, 0.9, 0.13014985175191457, 0.9762889173365232, 0.05757688648703389),
        ]
        for c in cases {
            let two = try SignificanceTest.exactBinomial(successes: c.k, trials: c.n, probability: c.p)
            let less = try SignificanceTest.exactBinomial(successes: c.k, trials: c.n, probability: c.p, alternative: .less)
            let greater = try SignificanceTest.exactBinomial(successes: c.k, trials: c.n, probability: c.p, alternative: .greater)
            #expect(relativeError(two.pValue, c.twoSided) <= 1e-12, "two-sided \(c)")
            #expect(relativeError(less.pValue, c.less) <= 1e-12, "less \(c)")
            #expect(relativeError(greater.pValue, c.greater) <= 1e-12, "greater \(c)")
        }
    }

    @Test func exactBinomialIsAValidLevelAlphaTest() throws {
        // The exact size Σₖ P(k)·[p(k) ≤ α] must not exceed α (a deterministic check that
        // p-values are not too small), and should use most of it.
        let n = 40, p0 = 0.3, alpha = 0.05
        let b = try Binomial(trials: n, probability: p0)
        var size = 0.0
        for k in 0...n where try SignificanceTest.exactBinomial(successes: k, trials: n, probability: p0).rejects(at: alpha) {
            size += b.pmf(k)
        }
        #expect(size <= alpha)
        #expect(size >= 0.03)
    }

    @Test func hotellingMatchesNumpy() throws {
        var acc = try RunningMeanCovariance(dimension: 3)
        for row in Self.hotellingData { try acc.add(row) }
        let r = try SignificanceTest.hotellingT2(acc, nullMean: [1.0, 0.2, 0.0])
        #expect(relativeError(r.statistic, 2.971372393390573) <= 1e-12)
        #expect(relativeError(SignificanceTest.hotellingF(t2: r.statistic, dimension: 3, sampleCount: 10), 0.7703558056938522) <= 1e-12)
        #expect(relativeError(r.pValue, 0.5461816191998365) <= 1e-12)
        #expect(r.reference == .fisherF(numerator: 3, denominator: 7))
    }

    @Test func hotellingIsInvariantToCoordinateScaling() throws {
        var acc = try RunningMeanCovariance(dimension: 3)
        var scaled = try RunningMeanCovariance(dimension: 3)
        for row in Self.hotellingData {
            try acc.add(row)
            try scaled.add([row[0] * 1e6, row[1] * 1e-6, row[2]])
        }
        let r = try SignificanceTest.hotellingT2(acc, nullMean: [1.0, 0.2, 0.0])
        let s = try SignificanceTest.hotellingT2(scaled, nullMean: [1e6, 0.2e-6, 0.0])
        #expect(relativeError(r.statistic, s.statistic) <= 1e-12)
    }

    @Test func hotellingRefusesSingularCovariances() throws {
        // Coordinate 2 = coordinate 0 + coordinate 1: exactly dependent.
        var dependent = try RunningMeanCovariance(dimension: 3)
        for row in Self.hotellingData { try dependent.add([row[0], row[1], row[0] + row[1]]) }
        #expect {
            try SignificanceTest.hotellingT2(dependent)
        } throws: { error in
            guard case StatsError.singularCovariance(dimension: 3, coordinate: 2, _, _) = error else { return false }
            return true
        }
        // A constant coordinate.
        var constant = try RunningMeanCovariance(dimension: 2)
        for row in Self.hotellingData { try constant.add([row[0], 5]) }
        #expect(throws: StatsError.singularCovariance(dimension: 2, coordinate: 1, residual: 0, tolerance: 1e-10)) {
            try SignificanceTest.hotellingT2(constant)
        }
        // Nearly dependent (1 − R² ≈ 1.2e-11): refused at the default tolerance 1e-10, accepted at 1e-12.
        var near = try RunningMeanCovariance(dimension: 2)
        for (i, row) in Self.hotellingData.enumerated() { try near.add([row[0], row[0] + (i % 2 == 0 ? 1e-6 : -1e-6)]) }
        #expect(throws: StatsError.self) { try SignificanceTest.hotellingT2(near) }
        #expect(try SignificanceTest.hotellingT2(near, singularityTolerance: 1e-12).statistic.isFinite)
        // n ≤ d.
        var small = try RunningMeanCovariance(dimension: 3)
        for row in Self.hotellingData.prefix(3) { try small.add(row) }
        #expect(throws: StatsError.tooFewSamples(what: "sample", needed: 4, got: 3)) { try SignificanceTest.hotellingT2(small) }
    }

    @Test func coordinateTestsMatchSciPyAndApplyBonferroni() throws {
        var acc = try RunningMeanCovariance(dimension: 3)
        for row in Self.hotellingData { try acc.add(row) }
        let family = try SignificanceTest.coordinateT(acc, nullMean: [1.0, 0.2, 0.0])
        let expected: [(t: Double, p: Double)] = [
            (1.5666989036012795, 0.15162747448768296), (1.3816985594155142, 0.20039419830647015),
            (-0.5222329678670936, 0.6141172548083937),
        ]
        for (r, e) in zip(family.tests, expected) {
            #expect(relativeError(r.statistic, e.t) <= 1e-12)
            #expect(relativeError(r.pValue, e.p) <= 1e-12)
        }
        #expect(family.familySize == 3)
        #expect(relativeError(family.familyPValue, 3 * 0.15162747448768296) <= 1e-12)
        // Per-coordinate accumulators give the same tests.
        let columns = (0..<3).map { j in RunningMoments(Self.hotellingData.map { $0[j] }) }
        let same = try SignificanceTest.coordinateT(columns, nullMean: [1.0, 0.2, 0.0])
        for (u, v) in zip(same.tests, family.tests) { #expect(relativeError(u.pValue, v.pValue) <= 1e-12) }
        // Bonferroni: coordinate 0 alone would reject at 0.16, the family of 3 needs α ≥ 0.455.
        #expect(try family.tests[0].rejects(at: 0.16))
        #expect(try !family.rejects(at: 0.16))
        #expect(try family.rejects(at: 0.46))
        #expect(try family.rejectedCoordinates(at: 0.46) == [0])
    }

    @Test func rejectsValidatesAlpha() throws {
        let r = try SignificanceTest.oneSampleT(Self.a)
        #expect(throws: StatsError.probabilityOutOfRange(name: "significance level α", value: 0)) { try r.rejects(at: 0) }
        #expect(throws: StatsError.self) { try r.rejects(at: 1) }
    }
}
