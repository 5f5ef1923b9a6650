import ArgumentParser
import Foundation
import ZOTrain

/// `zolab datasets`: the synthetic datasets (generate, check, show).
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "Generate, check and list the fine-tuning datasets.",
        subcommands: [Generate.self, Check.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the synthetic corpus and tasks (JSON Lines) reproducibly from a seed.",
            discussion: "The committed datasets/ were written by `zolab datasets generate --out datasets --seed 0`.")

        @Option(help: "Output directory.") var out = "datasets"
        @Option(help: "Generator seed.") var seed: UInt64 = 0

        func run() throws {
            let urls = try TrainCLI.run { try DatasetGenerator(seed: seed).write(to: URL(fileURLWithPath: out)) }
            for url in urls {
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                print("\(url.path)  \(size) bytes")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a dataset file (JSON Lines or GLUE TSV); every malformed line is reported with its number.")

        @Argument(help: "The file (.jsonl or .tsv).") var file: String
        @Option(help: "Task whose fields and labels the file must have (sst2, rte, topic), or 'corpus'.") var task: String

        func run() throws {
            let url = URL(fileURLWithPath: file)
            try TrainCLI.run {
                if task == "corpus" {
                    let docs = try JSONLinesReader.documents(contentsOf: url)
                    print("\(file): \(docs.count) documents, all well-formed")
                } else {
                    let t = try PromptTask.named(task)
                    let examples = try TaskDataset.readSplit(url, task: t)
                    let counts = TaskDataset.labelCounts(examples, classes: t.classCount)
                    let detail = zip(t.labels, counts).map { "\($0) \($1)" }.joined(separator: ", ")
                    print("\(file): \(examples.count) \(t.name) examples, all well-formed (\(detail))")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tasks: template, label words, split sizes.")
        @Option(help: "Dataset directory.") var data = "datasets"

        func run() throws {
            for t in PromptTask.all {
                print("\(t.name): \(t.summary)")
                print("  template     \"\(t.template)\" + label word")
                print("  label words  " + zip(t.labels, t.labelWords).map { "\($0) → \"\($1)\"" }.joined(separator: ", "))
                if let d = try? TaskDataset.load(task: t, directory: URL(fileURLWithPath: data)) {
                    print("  splits       train \(d.train.count), dev \(d.dev.count), test \(d.test.count)")
                }
            }
        }
    }
}
