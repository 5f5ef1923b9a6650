/// Errors of the verification suite, each with a message a user can act on.
public enum VerifyError: Error, Equatable, CustomStringConvertible {
    /// `--check NAME` names no registered check.
    case unknownCheck(String, suggestions: [String], known: [String])
    /// An experiment could not produce its statistic (what failed and why).
    case machinery(check: String, reason: String)
    /// Invalid suite options (repeat count, budget …).
    case invalidOption(String)
    /// Writing a report, page or figure failed.
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownCheck(let name, let suggestions, let known):
            let hint = suggestions.isEmpty ? "" : " — did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown check '\(name)'\(hint) (known: \(known.joined(separator: ", ")); `zolab verify --list` lists them)"
        case .machinery(let check, let reason):
            return "check \(check): the experiment failed: \(reason)"
        case .invalidOption(let why):
            return why
        case .output(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
