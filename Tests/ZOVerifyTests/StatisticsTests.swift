import Foundation
import Testing
import ZOCore
import ZOStats
@testable import ZOVerify

/// The shared statistics on synthetic data with known truth: each detects an injected error of
/// its stated detectable size and keeps a true null.
@Suite("ZOVerify statistics on synthetic data")
struct StatisticsTests {
    func gaussians(_ n: Int, seed: UInt64, stream: UInt64 = 0) -> [Double] {
        Noise.values(count: n, key: NoiseKey(seed: seed, stream: stream))
    }

    @Test func coordinateMeansDetectTheirDetectableShift() throws {
        let n = 4000, d = 5
        let alpha = 1e-4, beta = 1e-3
        var clean = CoordinateMeans(dimension: d), shifted = CoordinateMeans(dimension: d)
        let z = gaussians(n * d, seed: 3)
        var pilot = CoordinateMeans(dimension: d)
        for i in 0..<n { pilot.add(Array(z[(i * d)..<((i + 1) * d)])) }
        let shift = try pilot.detectableShifts(familyAlpha: alpha, beta: beta)[2]
        for i in 0..<n {
            let x = Array(z[(i * d)..<((i + 1) * d)])
            clean.add(x)
            var y = x
            y[2] += shift
            shifted.add(y)
        }
        #expect(try clean.test(name: "clean", hypothesis: "0", familyAlpha: alpha, beta: beta).rejected == false)
        #expect(try shifted.test(name: "shifted", hypothesis: "0", familyAlpha: alpha, beta: beta).rejected == true)
    }

    @Test func ratioOfMeansCoversTheTruthAndIsTight() throws {
        var r = RatioOfMeans()
        let a = gaussians(20_000, seed: 5, stream: 1), b = gaussians(20_000, seed: 5, stream: 2)
        for i in 0..<a.count { r.add(4 + a[i] + 0.5 * b[i], 1 + 0.1 * b[i]) }
        let interval = try r.interval(alpha: 1e-3)
        #expect(interval.contains(4))
        #expect(interval.upper - interval.lower < 0.2)
    }

    @Test func decisionsAreThreeWay() {
        let i = IntervalEstimate(lower: 3.7, upper: 4.1, confidence: 0.99)
        #expect(IntervalDecision.equivalence(i, lower: 3.6, upper: 4.4) == .inside)
        #expect(IntervalDecision.equivalence(i, lower: 4.2, upper: 5) == .outside)
        #expect(IntervalDecision.equivalence(i, lower: 4.0, upper: 5) == .straddles)
        #expect(IntervalDecision.below(i, 5) == .inside && IntervalDecision.below(i, 3) == .outside)
        #expect(IntervalDecision.above(i, 3) == .inside && IntervalDecision.above(i, 4) == .straddles)
    }

    @Test func proportionDifferencesStaySensibleAtZero() throws {
        let (d, interval, _) = try Intervals.proportionDifference(successes: 0, trials: 1000, successes: 0, trials: 1000, alpha: 1e-3)
        #expect(d == 0 && interval.lower < 0 && interval.upper > 0)
        let (_, clear, _) = try Intervals.proportionDifference(successes: 500, trials: 1000, successes: 300, trials: 1000, alpha: 1e-3)
        #expect(IntervalDecision.above(clear, 0) == .inside)
    }

    @Test func slopesOfPowerLawsAreRecovered() throws {
        var s = SlopeStudy()
        let noise = gaussians(30, seed: 9)
        for (k, x) in [10.0, 20, 40, 80, 160].enumerated() {
            for r in 0..<6 { s.add(x, 3 * x * exp(0.05 * noise[6 * k + r])) }
        }
        let fit = try s.fit()
        let interval = try fit.slopeInterval(alpha: 1e-3)
        #expect(interval.contains(1) && interval.upper - interval.lower < 0.2)
    }

    @Test func scaleFreeVarianceIsInvariantToScaleAndMatchesMeZO() throws {
        // Synthetic MeZO estimates ĝ = (zᵀg)z in d = 10: R = d + 2 = 12 for any scale.
        let d = 10, n = 40_000
        let g = (0..<d).map { Double($0 + 1) }
        let z = gaussians(n * d, seed: 11)
        var s1 = ScaleFreeVariance(gradientNorm2: Sampling.squaredNorm(g)), s2 = s1
        for i in 0..<n {
            let zi = Array(z[(i * d)..<((i + 1) * d)])
            let e = zi.map { $0 * Sampling.dot(zi, g) }
            s1.add(e, gradient: g)
            s2.add(e.map { 0.01 * $0 }, gradient: g)
        }
        #expect(abs(s1.value - s2.value) <= 1e-9 * s1.value)
        #expect(try s1.interval(alpha: 1e-3).contains(12))
    }

    @Test func blockCosinesSplitByParameterBlock() {
        let layout = ProblemLayouts.vectors(dimension: 4, blocks: 2)
        let p = ParameterSet<Double>(layout: layout)
        let c = CosineStudy.blockCosines([1, 0, 0, 2], [1, 0, 0, -2], blocks: p.blocks)
        #expect(c == [1, -1])
        #expect(abs(CosineStudy.meanAbsoluteCosine(dimension: 1e6) - (2 / (Double.pi * 1e6)).squareRoot()) < 1e-9)
    }

    @Test func smoothingStudyFlagsAnInjectedBiasAndAWrongOrder() throws {
        let c = CheckConfiguration(scale: .test, seed: 1, alpha: 1e-3, elementaryTests: SmoothingBiasStudy.elementaryTests(dimension: 2))
        let z = gaussians(6000, seed: 13)
        func study(order: Double, extra: Double) throws -> SmoothingBiasStudy.Outcome {
            let b1 = [1.0, -2.0], b2 = b1.map { $0 / order }
            var s = SmoothingBiasStudy(predictedFirst: b1, predictedSecond: [0.25, -0.5])
            for i in 0..<3000 {
                let e = [z[2 * i] * 0.3, z[2 * i + 1] * 0.3]
                s.add([b1[0] + e[0] + extra, b1[1] + e[1]], [b2[0] + e[0] / 4, b2[1] + e[1] / 4])
            }
            return try s.outcome(sizes: ("h", "h/2"), configuration: c, what: "synthetic")
        }
        #expect(try study(order: 4, extra: 0).verdict == .holds)
        #expect(try study(order: 4, extra: 0.2).verdict == .refuted)
        #expect(try study(order: 2, extra: 0).verdict == .refuted)
    }
}
