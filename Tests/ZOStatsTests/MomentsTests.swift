import Testing
import ZOCore
import ZOStats

@Suite("Running moments")
struct MomentsTests {
    /// Two-pass reference: mean, then Σ(x − x̄)²/(n − 1).
    static func twoPass(_ xs: [Double]) -> (mean: Double, variance: Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, ss / Double(xs.count - 1))
    }

    @Test func matchesTwoPassOnFixedData() {
        // mean 2.533…, variance 0.23696…: numpy mean / var(ddof=1).
        let a = [2.1, 1.9, 3.2, 2.8, 2.5, 1.7, 2.9, 3.1, 2.2, 2.6, 2.4, 3.0]
        let m = RunningMoments(a)
        #expect(m.count == 12)
        #expect(relativeError(m.mean, 2.533333333333333) <= 1e-15)
        #expect(relativeError(m.variance, 0.236969696969697) <= 1e-14)
        #expect(relativeError(m.standardError, 0.14052570849305387) <= 1e-14)  // scipy.stats.sem
        #expect(m.min == 1.7 && m.max == 3.2)
        #expect(relativeError(m.populationVariance, 0.236969696969697 * 11 / 12) <= 1e-14)
    }

    @Test func welfordSurvivesALargeOffset() {
        // 10⁵ values 1e9 + N(0, 1): Σx² − n x̄² loses every digit here; Welford keeps ~1e-7.
        var rng = PhiloxRandom(seed: 42)
        var xs: [Double] = []
        for _ in 0..<100_000 { xs.append(1e9 + rng.nextGaussian()) }
        let reference = Self.twoPass(xs)
        let m = RunningMoments(xs)
        #expect(relativeError(m.variance, reference.variance) <= 1e-6)
        #expect(relativeError(m.mean, reference.mean) <= 1e-13)  // each update rounds at ulp(1e9)/1e9
        var naiveSum = 0.0, naiveSquares = 0.0
        for x in xs { naiveSum += x; naiveSquares += x * x }
        let naive = (naiveSquares - naiveSum * naiveSum / Double(xs.count)) / Double(xs.count - 1)
        #expect(relativeError(naive, reference.variance) > 1e-2)  // the failure mode Welford avoids
    }

    @Test func mergeEqualsOneAccumulator() {
        var rng = PhiloxRandom(seed: 7)
        let xs = (0..<1001).map { _ in 3 + 2 * rng.nextGaussian() }
        let whole = RunningMoments(xs)
        var left = RunningMoments(xs[..<317])
        let right = RunningMoments(xs[317...])
        left.merge(right)
        #expect(left.count == whole.count)
        #expect(relativeError(left.mean, whole.mean) <= 1e-14)
        #expect(relativeError(left.variance, whole.variance) <= 1e-13)
        #expect(left.min == whole.min && left.max == whole.max)
        // Merging with an empty accumulator, in either order, changes nothing.
        #expect(whole.merged(with: RunningMoments()) == whole)
        #expect(RunningMoments().merged(with: whole) == whole)
    }

    @Test func nonFiniteValuesPoisonTheStatisticsAndTheTests() {
        var m = RunningMoments([1, 2, 3])
        m.add(.nan)
        m.add(.infinity)
        #expect(m.count == 3 && m.nonFiniteCount == 2 && !m.isClean)
        #expect(m.mean.isNaN && m.variance.isNaN && m.min.isNaN)
        #expect(throws: StatsError.nonFiniteData(what: "sample", count: 2)) { try SignificanceTest.oneSampleT(m) }
        // …and the count survives a merge into a clean accumulator.
        #expect(RunningMoments([5, 6]).merged(with: m).nonFiniteCount == 2)
    }

    @Test func undefinedStatisticsAreNaN() {
        #expect(RunningMoments().mean.isNaN)
        #expect(RunningMoments([4]).variance.isNaN)
        #expect(RunningMoments([4]).mean == 4)
    }

    @Test func covarianceMatchesNumpy() throws {
        // np.cov(X, rowvar=False) and X.mean(0) for the Hotelling example data.
        let x = HypothesisTests.hotellingData
        var acc = try RunningMeanCovariance(dimension: 3)
        for row in x { try acc.add(row) }
        let expectedMean = [1.15, 0.34, -0.05]
        let expectedCov = [0.09166666666666667, 0.07666666666666667, -0.06055555555555556,
                           0.07666666666666667, 0.10266666666666667, -0.04999999999999999,
                           -0.06055555555555556, -0.04999999999999999, 0.09166666666666666]
        for (a, b) in zip(acc.mean, expectedMean) { #expect(abs(a - b) <= 1e-15) }
        for (a, b) in zip(acc.covariance, expectedCov) { #expect(abs(a - b) <= 1e-15) }
        #expect(acc.variances == [acc.covariance[0], acc.covariance[4], acc.covariance[8]])
    }

    @Test func covarianceMergeEqualsOneAccumulator() throws {
        var rng = PhiloxRandom(seed: 99)
        var whole = try RunningMeanCovariance(dimension: 4)
        var a = try RunningMeanCovariance(dimension: 4)
        var b = try RunningMeanCovariance(dimension: 4)
        for i in 0..<500 {
            let z = (0..<4).map { _ in rng.nextGaussian() }
            let x = [z[0], z[0] + 0.5 * z[1], 10 + z[2], z[3] - z[0]]
            try whole.add(x)
            if i < 123 { try a.add(x) } else { try b.add(x) }
        }
        try a.merge(b)
        for (u, v) in zip(a.covariance, whole.covariance) { #expect(abs(u - v) <= 1e-13) }
        for (u, v) in zip(a.mean, whole.mean) { #expect(abs(u - v) <= 1e-13) }
    }

    @Test func covarianceRejectsBadInput() throws {
        var acc = try RunningMeanCovariance(dimension: 2)
        #expect(throws: StatsError.dimensionMismatch(what: "observation", expected: 2, got: 3)) { try acc.add([1, 2, 3]) }
        try acc.add([1, .nan])
        #expect(acc.count == 0 && acc.nonFiniteCount == 1)
        #expect(throws: StatsError.self) { try RunningMeanCovariance(dimension: 0) }
        var other = try RunningMeanCovariance(dimension: 3)
        try other.add([1, 2, 3])
        #expect(throws: StatsError.self) { try acc.merge(other) }
    }
}
