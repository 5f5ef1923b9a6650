/// One problem found in one line of a dataset file.
public struct LineIssue: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number in the file.
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// Errors of the dataset layer. A file with any malformed line is refused as a whole and
/// every bad line is listed (nothing is dropped silently).
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// Lines that are not valid records: bad JSON, missing fields, unknown labels, wrong
    /// column counts. `total` counts all issues; `issues` holds at most the first 50.
    case malformedLines(path: String, issues: [LineIssue], total: Int)
    /// The file holds no records.
    case empty(path: String)
    /// Unknown task name.
    case unknownTask(String, known: [String])
    /// A split file is missing from a task directory.
    case missingSplit(task: String, split: String, tried: [String])
    /// Sampling asked for more than the data holds, or a bad size.
    case invalidSample(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformedLines(let path, let issues, let total):
            var text = "\(path): \(total) malformed line\(total == 1 ? "" : "s") (the file was not loaded):"
            for issue in issues { text += "\n  \(issue)" }
            if total > issues.count { text += "\n  … and \(total - issues.count) more" }
            return text
        case .empty(let path):
            return "\(path) holds no records"
        case .unknownTask(let name, let known):
            return "unknown task '\(name)'; known: \(known.joined(separator: ", "))"
        case .missingSplit(let task, let split, let tried):
            return "task \(task) has no \(split) split (tried \(tried.joined(separator: ", ")))"
        case .invalidSample(let why):
            return "invalid sample: \(why)"
        }
    }

    /// Most issues a ``malformedLines(path:issues:total:)`` carries.
    public static let reportedIssueLimit = 50
}
