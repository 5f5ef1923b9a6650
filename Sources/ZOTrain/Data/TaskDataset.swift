import Foundation

/// The splits of a classification dataset.
public enum DatasetSplit: String, CaseIterable, Sendable, Codable {
    case train, dev, test
}

/// A task with its train / dev / test examples, loaded from `<directory>/<task>/<split>.jsonl`
/// (or `<split>.tsv`, GLUE style). GLUE's own test files have no labels: put a labelled file
/// (e.g. GLUE's dev set) in `test.tsv` and a held-out part of train in `dev.tsv`, as MeZO does.
public struct TaskDataset: Sendable {
    public let task: PromptTask
    public var train: [LabeledExample]
    public var dev: [LabeledExample]
    public var test: [LabeledExample]

    public init(task: PromptTask, train: [LabeledExample], dev: [LabeledExample], test: [LabeledExample]) {
        self.task = task
        self.train = train
        self.dev = dev
        self.test = test
    }

    public subscript(split: DatasetSplit) -> [LabeledExample] {
        switch split {
        case .train: return train
        case .dev: return dev
        case .test: return test
        }
    }

    /// Reads one split file by its extension (`.jsonl` or `.tsv`).
    public static func readSplit(_ url: URL, task: PromptTask) throws -> [LabeledExample] {
        switch url.pathExtension.lowercased() {
        case "tsv": return try TSVReader.examples(contentsOf: url, task: task)
        default: return try JSONLinesReader.examples(contentsOf: url, task: task)
        }
    }

    /// Loads `<directory>/<task.name>/{train,dev,test}.{jsonl,tsv}` (JSON Lines preferred).
    public static func load(task: PromptTask, directory: URL) throws -> TaskDataset {
        let folder = directory.appendingPathComponent(task.name)
        func split(_ s: DatasetSplit) throws -> [LabeledExample] {
            let candidates = ["jsonl", "tsv"].map { folder.appendingPathComponent("\(s.rawValue).\($0)") }
            guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                throw DatasetError.missingSplit(task: task.name, split: s.rawValue, tried: candidates.map(\.path))
            }
            return try readSplit(url, task: task)
        }
        return TaskDataset(task: task, train: try split(.train), dev: try split(.dev), test: try split(.test))
    }

    /// Counts per label.
    public static func labelCounts(_ examples: [LabeledExample], classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for e in examples { counts[e.label] += 1 }
        return counts
    }

    /// The majority-class baseline: the accuracy of always predicting the most frequent label
    /// of `reference` (the training sample), evaluated on `examples`.
    public static func majorityAccuracy(of examples: [LabeledExample], reference: [LabeledExample], classes: Int) -> (label: Int, accuracy: Double) {
        let counts = labelCounts(reference, classes: classes)
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        let hits = examples.filter { $0.label == majority }.count
        return (majority, Double(hits) / Double(max(examples.count, 1)))
    }
}
