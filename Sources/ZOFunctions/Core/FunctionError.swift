/// Errors of the test-function catalog. Each message says what to change.
public enum FunctionError: Error, Equatable, CustomStringConvertible {
    /// No function has this name; `suggestions` are the closest catalog ids.
    case unknownFunction(String, suggestions: [String])
    /// The function does not exist in this dimension.
    case unsupportedDimension(function: String, requested: Int, supported: DimensionRule)
    /// A point coordinate or a parameter is NaN or infinite.
    case nonFiniteInput(String)
    /// A point lies outside the function's domain where the caller asked for that check.
    /// `coordinate` is 0-based.
    case outsideDomain(function: String, coordinate: Int, value: Double, lower: Double, upper: Double)
    /// A point has the wrong number of coordinates.
    case dimensionMismatch(function: String, expected: Int, got: Int)
    /// A parameter is out of range, or the function does not take it.
    case invalidParameter(function: String, parameter: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFunction(let name, let suggestions):
            let hint = suggestions.isEmpty
                ? "run `zolab functions` for the list"
                : "did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))? (`zolab functions` lists all)"
            return "unknown test function '\(name)': \(hint)"
        case .unsupportedDimension(let function, let requested, let supported):
            return "\(function) is not defined for d = \(requested): it supports \(supported)"
                + " (e.g. d = \(supported.examples.map(String.init).joined(separator: ", ")))"
        case .nonFiniteInput(let what):
            return "\(what) is not finite (NaN or ±∞)"
        case .outsideDomain(let function, let coordinate, let value, let lower, let upper):
            return "coordinate \(coordinate + 1) = \(NumberText.short(value)) lies outside \(function)'s domain "
                + FunctionDomain.interval(lower, upper)
        case .dimensionMismatch(let function, let expected, let got):
            return "\(function) has d = \(expected) coordinates, but the point has \(got)"
        case .invalidParameter(let function, let parameter, let reason):
            return "\(function): parameter \(parameter) \(reason)"
        }
    }
}
