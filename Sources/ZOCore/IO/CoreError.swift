/// Errors raised by ZOCore. Every case carries what a user needs to act on it.
public enum CoreError: Error, Equatable, CustomStringConvertible {
    case invalidShape([Int])
    case io(path: String, reason: String)
    case invalidArgument(String)
    case nonFinite(what: String)

    public var description: String {
        switch self {
        case .invalidShape(let dims): return "invalid tensor shape \(dims): dimensions must be ≥ 0 and their product must fit in Int"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .invalidArgument(let message): return message
        case .nonFinite(let what): return "\(what) is not finite (NaN or ±∞)"
        }
    }
}
