import Foundation
import ZOCore

/// Generates ZOLab's synthetic datasets reproducibly from a seed: the pre-training corpus
/// and the SST-2-, RTE- and AG-News-like classification tasks, as JSON Lines. Every draw is a
/// Philox stream keyed by (seed, purpose), so the same seed gives byte-identical files on
/// every machine. Train, dev and test are disjoint (by text), and no dev or test text occurs
/// in the corpus (rejection at generation time). See docs/training.md for the design.
public struct DatasetGenerator: Sendable {
    public struct Sizes: Sendable, Hashable, Codable {
        public var train = 2000
        public var dev = 500
        public var test = 1000
        public var corpusTrain = 30000
        public var corpusValidation = 1000
        public init() {}
    }

    public var seed: UInt64
    public var sizes: Sizes

    public init(seed: UInt64 = 0, sizes: Sizes = Sizes()) {
        self.seed = seed
        self.sizes = sizes
    }

    /// The files it writes, relative to the output directory, with their contents.
    public func files() -> [(path: String, text: String)] {
        let (tasks, heldOut) = taskFiles()
        var out = tasks
        out.append(("corpus/train.jsonl", corpus(count: sizes.corpusTrain, stream: 0x636f_7270_0001, exclude: heldOut)))
        out.append(("corpus/validation.jsonl", corpus(count: sizes.corpusValidation, stream: 0x636f_7270_0002, exclude: heldOut)))
        return out.sorted { $0.0 < $1.0 }
    }

    /// The task files (they do not depend on the corpus) and the held-out (dev and test) texts.
    public func taskFiles() -> (files: [(path: String, text: String)], heldOut: Set<String>) {
        var out: [(String, String)] = []
        var heldOut = Set<String>()
        for (index, task) in PromptTask.all.enumerated() {
            var seen = Set<String>()
            var splits: [(DatasetSplit, [LabeledExample])] = []
            // Test first, then dev, then train: every split excludes the texts of the earlier ones.
            for split in [DatasetSplit.test, .dev, .train] {
                var draws = SeededDraws(seed: seed, stream: 0x7461_736b_0000 | UInt64(index) << 8 | UInt64(split.hashKey))
                let count = split == .train ? sizes.train : split == .dev ? sizes.dev : sizes.test
                var examples: [LabeledExample] = []
                while examples.count < count {
                    let e = Self.example(task, &draws)
                    let key = Self.key(e, task: task)
                    guard !seen.contains(key) else { continue }
                    seen.insert(key)
                    if split != .train { heldOut.insert(key) }
                    examples.append(e)
                }
                splits.append((split, examples))
            }
            for (split, examples) in splits {
                out.append(("\(task.name)/\(split.rawValue).jsonl", Self.jsonLines(examples, task: task)))
            }
        }
        return (out, heldOut)
    }

    /// Writes ``files()`` under `directory` (each atomically).
    public func write(to directory: URL) throws -> [URL] {
        try files().map { path, text in
            let url = directory.appendingPathComponent(path)
            try AtomicFile.write(text, to: url)
            return url
        }
    }

    /// Corpus mix: 40 % reviews, 25 % entailment pairs, 20 % headlines, 15 % narrative.
    func corpus(count: Int, stream: UInt64, exclude: Set<String>) -> String {
        var draws = SeededDraws(seed: seed, stream: stream)
        var lines: [String] = []
        lines.reserveCapacity(count)
        for _ in 0..<count {
            let r = draws.uniform()
            let text: String
            if r < 0.40 {
                text = SentimentGrammar.document(&draws, exclude: exclude)
            } else if r < 0.65 {
                text = EntailmentGrammar.document(&draws, exclude: exclude)
            } else if r < 0.85 {
                text = TopicGrammar.document(&draws, exclude: exclude)
            } else {
                text = NarrativeGrammar.document(&draws)
            }
            lines.append("{\"text\": \(Self.quoted(text))}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func example(_ task: PromptTask, _ draws: inout SeededDraws) -> LabeledExample {
        switch task.name {
        case "sst2":
            let s = SentimentGrammar.sentence(&draws)
            return LabeledExample(fields: ["sentence": s.text], label: s.label)
        case "rte":
            let p = EntailmentGrammar.pair(&draws)
            return LabeledExample(fields: ["premise": p.premise, "hypothesis": p.hypothesis], label: p.label)
        default:
            let h = TopicGrammar.headline(&draws)
            return LabeledExample(fields: ["sentence": h.text], label: h.label)
        }
    }

    /// The text identity of an example (what "disjoint" compares); the corpus generators use
    /// the same keys.
    static func key(_ e: LabeledExample, task: PromptTask) -> String {
        task.fields.map { e.fields[$0] ?? "" }.joined(separator: "|")
    }

    /// One JSON object per line, fields in template order then the label name.
    public static func jsonLines(_ examples: [LabeledExample], task: PromptTask) -> String {
        examples.map { e in
            let fields = task.fields.map { "\(quoted($0)): \(quoted(e.fields[$0] ?? ""))" }
            return "{" + (fields + ["\"label\": \(quoted(task.labels[e.label]))"]).joined(separator: ", ") + "}"
        }.joined(separator: "\n") + "\n"
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension DatasetSplit {
    var hashKey: Int {
        switch self {
        case .train: return 1
        case .dev: return 2
        case .test: return 3
        }
    }
}
