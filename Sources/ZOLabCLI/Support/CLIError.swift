import ArgumentParser

/// The exit-status policy of the subcommands (README "Exit status"):
///
/// - **64** (EX_USAGE): the command line is wrong — a malformed or out-of-range option, or an
///   unknown function, optimizer, optimizer option or core name, or an optimizer option value
///   its optimizer refuses. All of it is detected in `validate()`, before any work starts
///   (lookups included), and reported as a `ValidationError` with the subcommand's usage.
/// - **1**: a failure while working — a file that cannot be read or written, an experiment
///   that fails — reported as ``CLIError/input(_:)`` (ArgumentParser prints "Error: …").
/// - **3**: a run that diverged (its record is still written).
enum CLIError: Error, CustomStringConvertible {
    /// An error found while the command was working (exit status 1). The train, plot and
    /// verify commands also use it for names they look up in `run()`.
    case input(String)

    var description: String {
        switch self {
        case .input(let message): return message
        }
    }

    /// Runs a lookup of user-given names or values inside `validate()`: any error it throws is
    /// bad input and becomes a `ValidationError` (exit status 64).
    static func checkInput<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
