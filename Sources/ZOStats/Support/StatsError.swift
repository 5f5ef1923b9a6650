/// Errors raised by ZOStats for input a statistic cannot be computed from. Every case says
/// what was wrong and what is needed, so a check or the CLI can print it as is; ZOStats never
/// traps on user input.
public enum StatsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sample with no (finite) observations.
    case emptySample(what: String)
    /// Fewer observations than the statistic needs (e.g. a variance needs 2, Hotelling's T²
    /// in d dimensions needs d + 1).
    case tooFewSamples(what: String, needed: Int, got: Int)
    /// A probability, significance level or confidence that must lie strictly inside (0, 1)
    /// (or inside [0, 1] where stated) does not.
    case probabilityOutOfRange(name: String, value: Double)
    /// The data contain NaN or ±∞ (`count` of them); statistics refuse to guess.
    case nonFiniteData(what: String, count: Int)
    /// A parameter outside its domain (degrees of freedom ≤ 0, negative counts, …).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// A vector of the wrong length.
    case dimensionMismatch(what: String, expected: Int, got: Int)
    /// The sample has zero variance, so a studentized statistic is undefined.
    case zeroVariance(what: String)
    /// The sample covariance is singular or too close to singular to invert reliably:
    /// coordinate `coordinate` (0-based) is, up to a fraction `residual` of its variance, a
    /// linear combination of the coordinates before it (`residual` = 0 for a constant or
    /// exactly dependent coordinate).
    case singularCovariance(dimension: Int, coordinate: Int, residual: Double, tolerance: Double)
    /// A name a ``FalseFailBudget`` does not know.
    case unknownCheck(name: String, known: [String])
    /// The same check name appears twice in a ``FalseFailBudget``.
    case duplicateCheck(name: String)

    public var description: String {
        switch self {
        case .emptySample(let what):
            return "\(what) is empty: at least one finite observation is needed"
        case .tooFewSamples(let what, let needed, let got):
            return "\(what) has \(got) observation(s); this statistic needs at least \(needed)"
        case .probabilityOutOfRange(let name, let value):
            return "\(name) = \(value) is not a probability strictly between 0 and 1"
        case .nonFiniteData(let what, let count):
            return "\(what) contains \(count) non-finite value(s) (NaN or ±∞); remove or fix them before testing"
        case .invalidParameter(let name, let value, let requirement):
            return "\(name) = \(value) is invalid: \(requirement)"
        case .dimensionMismatch(let what, let expected, let got):
            return "\(what) has dimension \(got), expected \(expected)"
        case .zeroVariance(let what):
            return "\(what) has zero variance: the studentized statistic is undefined (compare the values directly)"
        case .singularCovariance(let dimension, let coordinate, let residual, let tolerance):
            return "the \(dimension)×\(dimension) sample covariance is singular or nearly so: coordinate \(coordinate) "
                + "keeps only a fraction \(residual) of its variance after regressing on the earlier coordinates "
                + "(tolerance \(tolerance)); drop redundant coordinates, add samples, or use per-coordinate tests"
        case .unknownCheck(let name, let known):
            return "no check named '\(name)' in the false-fail budget (known: \(known.joined(separator: ", ")))"
        case .duplicateCheck(let name):
            return "check '\(name)' appears more than once in the false-fail budget"
        }
    }
}
