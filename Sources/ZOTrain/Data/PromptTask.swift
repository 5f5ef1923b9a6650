/// A prompt-based classification task (MeZO's / LM-BFF's format): a template turns an
/// example's fields into a prompt, and each label has a *label word* (verbaliser) whose
/// length-normalised log-probability after the prompt scores that label.
///
/// Example, SST-2: template `"{sentence} It was"`, label words `" terrible"`, `" great"`:
/// the model scores "… It was terrible" against "… It was great".
public struct PromptTask: Hashable, Sendable {
    /// Registry name, e.g. "sst2".
    public let name: String
    /// One line for listings.
    public let summary: String
    /// Text fields every example must have, in template order.
    public let fields: [String]
    /// Label names as they appear in data files (JSON Lines may also give the index).
    public let labels: [String]
    /// The candidate continuation of each label, with its leading space.
    public let labelWords: [String]
    /// The prompt with `{field}` placeholders; the label word is appended after it.
    public let template: String
    /// GLUE-style TSV header names accepted for each field (and "label").
    public let tsvColumns: [String: [String]]

    public init(name: String, summary: String, fields: [String], labels: [String], labelWords: [String],
                template: String, tsvColumns: [String: [String]]) {
        precondition(labels.count == labelWords.count && labels.count >= 2, "one label word per label, at least two labels")
        self.name = name
        self.summary = summary
        self.fields = fields
        self.labels = labels
        self.labelWords = labelWords
        self.template = template
        self.tsvColumns = tsvColumns
    }

    /// K: number of classes.
    public var classCount: Int { labels.count }

    /// The prompt text of `example` (the template with its fields filled in).
    public func prompt(for example: LabeledExample) -> String {
        var text = template
        for field in fields { text = text.replacingOccurrences(of: "{\(field)}", with: example.fields[field] ?? "") }
        return text
    }

    /// The label index of a data-file label: a label name, or (JSON Lines) its index.
    public func labelIndex(named text: String) -> Int? { labels.firstIndex(of: text) }

    // MARK: Built-in tasks

    /// SST-2-like binary sentiment (template and label words as MeZO's OPT prompts).
    public static let sst2 = PromptTask(
        name: "sst2", summary: "binary sentiment of a movie review (SST-2-like)",
        fields: ["sentence"], labels: ["negative", "positive"], labelWords: [" terrible", " great"],
        template: "{sentence} It was",
        tsvColumns: ["sentence": ["sentence"], "label": ["label"]])

    /// RTE-like binary entailment: does the premise entail the hypothesis?
    public static let rte = PromptTask(
        name: "rte", summary: "does the premise entail the hypothesis? (RTE-like)",
        fields: ["premise", "hypothesis"], labels: ["entailment", "not_entailment"], labelWords: [" Yes", " No"],
        template: "{premise} Question: {hypothesis}? Yes or No? Answer:",
        tsvColumns: ["premise": ["sentence1", "premise"], "hypothesis": ["sentence2", "hypothesis"], "label": ["label"]])

    /// AG-News-like four-way topic classification of a headline.
    public static let topic = PromptTask(
        name: "topic", summary: "topic of a news headline: world, sports, business, science (AG-News-like)",
        fields: ["sentence"], labels: ["world", "sports", "business", "science"],
        labelWords: [" world", " sports", " business", " science"],
        template: "{sentence} Topic:",
        tsvColumns: ["sentence": ["sentence", "text"], "label": ["label"]])

    /// Every built-in task.
    public static let all: [PromptTask] = [.sst2, .rte, .topic]

    /// The built-in task called `name`.
    public static func named(_ name: String) throws -> PromptTask {
        guard let task = all.first(where: { $0.name == name.lowercased() }) else {
            throw DatasetError.unknownTask(name, known: all.map(\.name))
        }
        return task
    }
}
