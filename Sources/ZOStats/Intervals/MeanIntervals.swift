/// The reference distribution of a mean interval.
public enum MeanIntervalMethod: String, Sendable, CaseIterable {
    /// x̄ ± z_{1−α/2} s/√n: the large-sample interval (too narrow for small n).
    case z
    /// x̄ ± t_{n−1, 1−α/2} s/√n: exact for normal data.
    case t
}

extension ConfidenceInterval {
    /// A confidence interval for the mean from a sample's moments, using the sample s.
    ///
    /// - Throws: ``StatsError`` for an unclean or empty sample, n < 2, or a confidence not in (0, 1).
    public static func mean(
        _ sample: RunningMoments, confidence: Double = 0.95, method: MeanIntervalMethod = .t
    ) throws(StatsError) -> ConfidenceInterval {
        try requireOpenProbability(confidence, "confidence 1 − α")
        try sample.validate("sample", needed: 2)
        let alpha = 1 - confidence
        let critical: Double
        switch method {
        case .z: critical = try StandardNormal.upperQuantile(alpha / 2)
        case .t: critical = try StudentT(degreesOfFreedom: Double(sample.count - 1)).upperQuantile(alpha / 2)
        }
        let half = critical * sample.standardError
        return ConfidenceInterval(lower: sample.mean - half, upper: sample.mean + half, confidence: confidence,
                                  method: method.rawValue)
    }

    /// The z interval x̄ ± z_{1−α/2} σ/√n with a known σ.
    ///
    /// - Throws: ``StatsError`` for an unclean or empty sample, σ not finite and > 0, or a
    ///   confidence not in (0, 1).
    public static func mean(
        _ sample: RunningMoments, confidence: Double = 0.95, knownStandardDeviation sigma: Double
    ) throws(StatsError) -> ConfidenceInterval {
        try requireOpenProbability(confidence, "confidence 1 − α")
        try requirePositiveFinite(sigma, "standard deviation σ")
        try sample.validate("sample", needed: 1)
        let half = try StandardNormal.upperQuantile((1 - confidence) / 2) * sigma / Double(sample.count).squareRoot()
        return ConfidenceInterval(lower: sample.mean - half, upper: sample.mean + half, confidence: confidence,
                                  method: "z, known σ")
    }
}
