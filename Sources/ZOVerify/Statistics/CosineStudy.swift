import Foundation
import ZOCore
import ZOStats

/// Cosine statistics of gradient estimates (claim 4), generic over the parameter type so a
/// transformer objective (Float32, backprop reference gradient) uses the same code as the test
/// functions.
public enum CosineStudy {
    /// cos(ĝᵢ, reference) for `draws` estimates at the objective's current θ and batch.
    /// `replaceWithReference(i)` true makes draw i return the reference itself (cos = 1): the
    /// negative control's mixture.
    public static func cosines<S: ZOScalar>(_ estimator: any GradientEstimator<S>, on objective: any Objective<S>,
                                            reference: [Double], draws: Int, firstIndex: Int = 0,
                                            replaceWithReference: (Int) -> Bool = { _ in false }) throws -> [Double] {
        try (0..<draws).map { i in
            replaceWithReference(i) ? 1 : Sampling.cosine(try estimator.draw(firstIndex + i, on: objective), reference)
        }
    }

    /// cos per parameter block (layer by layer for a transformer): the estimate and the reference
    /// restricted to each block's range.
    public static func blockCosines(_ estimate: [Double], _ reference: [Double], blocks: [ParameterBlockInfo]) -> [Double] {
        blocks.map { b in Sampling.cosine(Array(estimate[b.range]), Array(reference[b.range])) }
    }

    /// The DKWM-decided KS test of squared cosines against scale·Beta(½, (k − 1)/2), the law of
    /// cos² for a Gaussian direction in k dimensions (scale ρ ≤ 1 for a masked direction).
    public static func lawTest(_ squaredCosines: [Double], dimension k: Int, scale: Double = 1, name: String,
                               alpha: Double, detectable: Double) throws -> SubResult {
        try lawTest(squaredCosines, shape: 0.5, dimension: k, scale: scale, name: name, alpha: alpha, detectable: detectable)
    }

    /// The DKWM-decided KS test of squared cosines against scale·Beta(a, (k − 1)/2): a = ½ for one
    /// Gaussian direction in k dimensions, a = q/2 for the average of q Gaussian directions
    /// (cos² = χ²_q/(χ²_q + χ²_{k−1}), independent chi-squares).
    public static func lawTest(_ squaredCosines: [Double], shape a: Double, dimension k: Int, scale: Double = 1, name: String,
                               alpha: Double, detectable: Double) throws -> SubResult {
        let law = try BetaDistribution(alpha: a, beta: Double(k - 1) / 2)
        let t = try KolmogorovSmirnov.dkwmTest(squaredCosines) { x in law.cdf(min(1, max(0, x / scale))) }
        let m = RunningMoments(squaredCosines)
        let mean = scale * a / (a + Double(k - 1) / 2)
        return SubResult(name: name, hypothesis: "cos² ~ \(scale == 1 ? "" : "\(Format.number(scale, digits: 3))·")Beta(\(a == 0.5 ? "½" : Format.number(a)), \(Format.number(Double(k - 1) / 2)))",
                         statistic: "KS distance D (DKWM)", value: t.statistic, pValue: t.pValue, alpha: alpha,
                         rejected: try t.rejects(at: alpha), estimate: m.mean, interval: try Intervals.mean(m, alpha: alpha),
                         detectable: detectable, sampleSize: squaredCosines.count,
                         note: "E[cos²] = \(Format.number(m.mean, digits: 4)) vs \(Format.number(mean, digits: 4))")
    }

    /// The empirical CDF minus a theoretical CDF, plotted against the theoretical CDF (a P–P
    /// deviation curve): `points` order statistics spread over the sample; the KS distance is
    /// the largest |y| (up to the ±1/n of the step). Laws of different scale share one [0, 1] axis.
    public static func ppDeviation(_ values: [Double], cdf: (Double) -> Double, points: Int = 120) -> (x: [Double], y: [Double]) {
        let sorted = values.sorted()
        let n = sorted.count
        guard n > 0 else { return ([], []) }
        var xs: [Double] = [], ys: [Double] = []
        for j in 0...points {
            let k = min(n - 1, j * (n - 1) / max(points, 1))
            let f = cdf(sorted[k])
            xs.append(f)
            ys.append(Double(k + 1) / Double(n) - f)
        }
        return (xs, ys)
    }

    /// E|cos| for a Gaussian direction in d dimensions: Γ(d/2)/(√π Γ((d + 1)/2)) ≈ √(2/(πd)).
    public static func meanAbsoluteCosine(dimension d: Double) -> Double {
        exp(lgamma(d / 2) - lgamma((d + 1) / 2)) / Double.pi.squareRoot()
    }
}
