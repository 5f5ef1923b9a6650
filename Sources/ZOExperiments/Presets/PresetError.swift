/// Errors of figure presets and figure rendering. Every message starts with the preset file
/// and the key path of the offending value (`plots/x.json: optimizers[1].optoins: …`).
public enum PresetError: Error, Equatable, CustomStringConvertible {
    /// The file is not valid JSON.
    case syntax(file: String, JSONSyntaxError)
    /// A key the format does not define (typos are never ignored).
    case unknownKey(file: String, path: String, known: [String])
    /// A required key is absent.
    case missingKey(file: String, path: String)
    /// A value of the wrong type, out of range, non-finite, or inconsistent with another.
    case invalidValue(file: String, path: String, reason: String)
    /// A function or optimizer catalog refused the value (its own message follows).
    case catalog(file: String, path: String, message: String)
    /// The preset or an output could not be read or written.
    case io(path: String, reason: String)
    /// Rendering failed (a ZOPlot error, e.g. a panel too small for the requested size).
    case render(file: String, message: String)

    public var description: String {
        switch self {
        case .syntax(let file, let e): return "\(file): \(e)"
        case .unknownKey(let file, let path, let known):
            return "\(file): \(path): unknown key; known: \(known.joined(separator: ", "))"
        case .missingKey(let file, let path): return "\(file): \(path): required key is missing"
        case .invalidValue(let file, let path, let reason): return "\(file): \(path): \(reason)"
        case .catalog(let file, let path, let message): return "\(file): \(path): \(message)"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .render(let file, let message): return "\(file): \(message)"
        }
    }
}
