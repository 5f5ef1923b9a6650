/// Errors the subcommands report to the user. ArgumentParser prints "Error: <description>"
/// on stderr and exits with status 1 (parse and `validate()` failures exit with 64).
enum CLIError: Error, CustomStringConvertible {
    /// Bad input found after parsing (unknown names, impossible values).
    case input(String)

    var description: String {
        switch self {
        case .input(let message): return message
        }
    }
}
