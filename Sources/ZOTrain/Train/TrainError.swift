/// Errors of the trainer. The CLI maps them to messages and exit codes (see docs/training.md).
public enum TrainError: Error, Equatable, CustomStringConvertible {
    /// An unknown configuration key (with the closest known key, if any).
    case unknownSetting(String, suggestion: String?, known: [String])
    /// A configuration value that does not parse or is out of range.
    case invalidSetting(String)
    /// A checkpoint was written by a run with a different configuration.
    case configurationMismatch(path: String, differences: [String])
    /// A checkpoint file that is not a ZOLab training checkpoint or is damaged.
    case invalidCheckpoint(path: String, reason: String)
    /// `--resume` without a checkpoint.
    case noCheckpoint(path: String)
    /// A run directory that already holds a checkpoint, without `--resume` or `--force`.
    case runExists(path: String)
    /// The loss or a parameter became NaN/±∞. `checkpoint` is the last good checkpoint (its step), if any.
    case diverged(step: Int, reason: String, checkpoint: String?, checkpointStep: Int?)
    /// SIGINT/SIGTERM: a checkpoint was saved at `step` (the next step to run).
    case interrupted(signal: Int32, step: Int, checkpoint: String)
    /// The objective cannot be optimised by this method (e.g. accuracy with a first-order method).
    case unsupported(String)

    public var description: String {
        switch self {
        case .unknownSetting(let key, let suggestion, let known):
            return "unknown setting '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "") + "; known: \(known.joined(separator: ", "))"
        case .invalidSetting(let why):
            return why
        case .configurationMismatch(let path, let differences):
            return "\(path) was written by a run with a different configuration; refusing to resume:\n  "
                + differences.joined(separator: "\n  ")
        case .invalidCheckpoint(let path, let reason):
            return "\(path) is not a usable training checkpoint: \(reason)"
        case .noCheckpoint(let path):
            return "nothing to resume: \(path) does not exist"
        case .runExists(let path):
            return "\(path) already holds a checkpoint: pass --resume to continue it or --force to start over"
        case .diverged(let step, let reason, let checkpoint, let checkpointStep):
            let kept = checkpoint.map { "the last good checkpoint (step \(checkpointStep ?? 0)) is kept at \($0)" }
                ?? "no checkpoint had been written yet"
            return "the run diverged at step \(step): \(reason); stopped, \(kept)"
        case .interrupted(let signal, let step, let checkpoint):
            return "interrupted (signal \(signal)): checkpoint saved at step \(step) in \(checkpoint); continue with --resume"
        case .unsupported(let why):
            return why
        }
    }
}
