import Testing
import ZOCore
import ZOStats

/// Seeded Monte Carlo checks that the tests hold their level and have the power the planning
/// formulas promise. Each draws from `PhiloxRandom` with a fixed seed, so it is deterministic,
/// and compares a count with the central 99.9% region of its binomial distribution: a wrong
/// null distribution (e.g. z instead of t at small n) or a wrong power formula lands far
/// outside it. (A correct implementation fails a given check with probability ≤ 1e-3 over
/// seeds; with these seeds it passes.)
@Suite("Statistical sanity (seeded)")
struct StatisticalSanityTests {
    static func normalSample(_ rng: inout PhiloxRandom, count: Int, mean: Double = 0, sd: Double = 1) -> [Double] {
        (0..<count).map { _ in mean + sd * rng.nextGaussian() }
    }

    @Test func tTestFalseRejectionRateIsAlpha() throws {
        // n = 5 (ν = 4): using N(0, 1) instead of t(4) would reject 12.2% of the time, not 5%.
        var rng = PhiloxRandom(seed: 2024, stream: 1)
        let trials = 4000, alpha = 0.05
        var twoSided = 0, greater = 0
        for _ in 0..<trials {
            let x = Self.normalSample(&rng, count: 5, mean: 3, sd: 2)
            if try SignificanceTest.oneSampleT(x, nullMean: 3).rejects(at: alpha) { twoSided += 1 }
            if try SignificanceTest.oneSampleT(x, nullMean: 3, alternative: .greater).rejects(at: alpha) { greater += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: alpha)
        #expect(region.contains(twoSided), "two-sided rejections \(twoSided) ∉ \(region)")
        #expect(region.contains(greater), "one-sided rejections \(greater) ∉ \(region)")
    }

    @Test func plannedSampleSizeDeliversThePlannedPower() throws {
        // Negative control: an estimator biased by the planned shift Δ must be caught with
        // probability 1 − β. Δ = 0.5σ, α = 0.05, β = 0.2 → n = 32 (31.4 rounded up).
        let n = try PowerAnalysis.sampleSize(shift: 0.5, alpha: 0.05, beta: 0.2)
        #expect(n == 32)
        let power = try PowerAnalysis.power(shift: 0.5, sampleCount: n, alpha: 0.05)
        var rng = PhiloxRandom(seed: 77, stream: 2)
        let trials = 1500
        var caught = 0
        for _ in 0..<trials {
            let x = Self.normalSample(&rng, count: n, mean: 0.5)
            if try SignificanceTest.oneSampleZ(x, standardDeviation: 1).rejects(at: 0.05) { caught += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: power)
        #expect(region.contains(caught), "caught \(caught) of \(trials), power \(power), region \(region)")
        #expect(power >= 0.8)
    }

    @Test func welchHoldsItsLevelWithUnequalVariances() throws {
        var rng = PhiloxRandom(seed: 5, stream: 3)
        let trials = 2000
        var rejections = 0
        for _ in 0..<trials {
            let a = Self.normalSample(&rng, count: 5, mean: 1, sd: 1)
            let b = Self.normalSample(&rng, count: 15, mean: 1, sd: 3)
            if try SignificanceTest.welchT(a, b).rejects(at: 0.05) { rejections += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: 0.05)
        #expect(region.contains(rejections), "\(rejections) ∉ \(region)")
    }

    @Test func hotellingHoldsItsLevelAndDetectsAShift() throws {
        var rng = PhiloxRandom(seed: 11, stream: 4)
        // Correlated 3-d normal: x = A z.
        func draw(_ shift: [Double]) -> [Double] {
            let z = (0..<3).map { _ in rng.nextGaussian() }
            return [z[0] + shift[0], 0.8 * z[0] + 0.6 * z[1] + shift[1], 0.5 * z[1] - 0.3 * z[0] + 0.2 * z[2] + shift[2]]
        }
        let trials = 1000
        var rejections = 0
        for _ in 0..<trials {
            var acc = try RunningMeanCovariance(dimension: 3)
            for _ in 0..<20 { try acc.add(draw([0, 0, 0])) }
            if try SignificanceTest.hotellingT2(acc).rejects(at: 0.05) { rejections += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: 0.05)
        #expect(region.contains(rejections), "\(rejections) ∉ \(region)")
        // A shift against the correlation (coordinate 1 up by 0.5, where it should follow
        // coordinate 0): T² sees it through the covariance.
        var shifted = try RunningMeanCovariance(dimension: 3)
        for _ in 0..<60 { try shifted.add(draw([0, 0.5, 0])) }
        #expect(try SignificanceTest.hotellingT2(shifted).rejects(at: 1e-3))
    }

    @Test func tIntervalCoversAtTheNominalRateAndTheZIntervalDoesNot() throws {
        var rng = PhiloxRandom(seed: 8, stream: 5)
        let trials = 2000
        var tCovers = 0, zCovers = 0
        for _ in 0..<trials {
            let m = RunningMoments(Self.normalSample(&rng, count: 6, mean: -2, sd: 0.1))
            if try ConfidenceInterval.mean(m, confidence: 0.95).contains(-2) { tCovers += 1 }
            if try ConfidenceInterval.mean(m, confidence: 0.95, method: .z).contains(-2) { zCovers += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: 0.95)
        #expect(region.contains(tCovers), "t covers \(tCovers) ∉ \(region)")
        #expect(zCovers < region.lowerBound, "z covers \(zCovers): the large-sample interval should undercover at n = 6")
    }

    @Test func dkwmTestIsConservativeAndCatchesAShift() throws {
        var rng = PhiloxRandom(seed: 13, stream: 6)
        let trials = 300, alpha = 0.1
        var rejections = 0
        for _ in 0..<trials {
            let u = (0..<100).map { _ in rng.nextUniform() }
            if try KolmogorovSmirnov.dkwmTest(u, cdf: { Swift.min(1, Swift.max(0, $0)) }).rejects(at: alpha) { rejections += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: alpha)
        #expect(rejections <= region.upperBound, "\(rejections) false rejections > \(region.upperBound)")
        // N(0.3, 1) against Φ: D ≈ 0.118 at n = 400 exceeds ε(400, 0.01) ≈ 0.081.
        let shifted = Self.normalSample(&rng, count: 400, mean: 0.3)
        #expect(try KolmogorovSmirnov.dkwmTest(shifted, cdf: StandardNormal.cdf).rejects(at: 0.01))
    }

    @Test func coordinateFamilyHoldsItsLevel() throws {
        // K = 20 independent null coordinates: the Bonferroni family rejects at most α of the time.
        var rng = PhiloxRandom(seed: 21, stream: 7)
        let trials = 400, alpha = 0.1
        var rejections = 0
        for _ in 0..<trials {
            var coordinates = [RunningMoments](repeating: RunningMoments(), count: 20)
            for _ in 0..<10 { for j in 0..<20 { coordinates[j].add(rng.nextGaussian()) } }
            if try SignificanceTest.coordinateT(coordinates).rejects(at: alpha) { rejections += 1 }
        }
        let region = try binomialAcceptanceRegion(trials: trials, probability: alpha)
        #expect(rejections <= region.upperBound, "\(rejections) > \(region.upperBound)")
    }
}
