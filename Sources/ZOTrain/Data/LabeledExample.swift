/// One classification example: its text fields (e.g. "sentence", or "premise" and
/// "hypothesis"), its label index into the task's labels, and where it came from.
public struct LabeledExample: Hashable, Sendable, Codable {
    public var fields: [String: String]
    /// Index into ``PromptTask/labels``.
    public var label: Int
    /// 1-based line in the source file (0 for examples built in memory).
    public var line: Int

    public init(fields: [String: String], label: Int, line: Int = 0) {
        self.fields = fields
        self.label = label
        self.line = line
    }
}
