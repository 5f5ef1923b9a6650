/// A two-sided confidence interval [lower, upper] at confidence level 1 − α.
///
/// Built by the static factories in `MeanIntervals.swift` (z and t intervals for a mean) and
/// `ProportionIntervals.swift` (Wilson score and Clopper–Pearson for a binomial proportion).
public struct ConfidenceInterval: Sendable, Equatable, CustomStringConvertible {
    public let lower: Double
    public let upper: Double
    /// 1 − α.
    public let confidence: Double
    /// How the interval was built, e.g. "t", "Wilson".
    public let method: String

    public init(lower: Double, upper: Double, confidence: Double, method: String) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.method = method
    }

    /// upper − lower.
    public var width: Double { upper - lower }

    /// The midpoint (for Wilson and Clopper–Pearson not the point estimate).
    public var center: Double { lower + 0.5 * (upper - lower) }

    /// True when lower ≤ value ≤ upper.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    public var description: String { "[\(lower), \(upper)] (\(method), \(confidence * 100)%)" }
}
