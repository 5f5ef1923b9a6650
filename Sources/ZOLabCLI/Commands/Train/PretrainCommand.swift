import ArgumentParser
import Foundation
import ZOModel
import ZOTrain

/// `zolab pretrain`: AdamW next-byte pre-training on the corpus → the checkpoint fine-tuning starts from.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train the byte-level GPT on the corpus (AdamW) and report its zero-shot accuracy.",
        discussion: """
        The committed models/pretrained.safetensors came from:
          zolab pretrain --out out/pretrain && cp out/pretrain/model.safetensors models/pretrained.safetensors
        Settings (--set name=value; `--list` shows them with their defaults) are refused when unknown.
        """
    )

    @Option(help: "Run directory (checkpoint.safetensors, metrics.jsonl, model.safetensors, summary.json).")
    var out = "out/pretrain"
    @Option(name: .customLong("set"), help: ArgumentHelp("A setting, repeatable.", valueName: "name=value"))
    var settings: [String] = []
    @Flag(help: "Continue from the run directory's checkpoint.") var resume = false
    @Flag(help: "Start over, removing an existing run's checkpoint.") var force = false
    @Flag(help: "List the settings with their values and exit.") var list = false
    @Option(help: "Dataset directory for the zero-shot report.") var data = "datasets"
    @Option(help: "Dev/test examples per task in the zero-shot report (0 = all).") var zeroShotExamples = 0

    func validate() throws {
        _ = try config()
        if resume && force { throw ValidationError("--resume and --force exclude each other") }
    }

    func config() throws -> PretrainConfig {
        var c = PretrainConfig()
        do { try ConfigOverrides.apply(try ConfigOverrides.parse(settings), to: &c, keys: PretrainConfig.keys) } catch let e as TrainError {
            throw ValidationError(e.description)
        }
        return c
    }

    func run() throws {
        let c = try config()
        if list {
            for row in ConfigOverrides.listing(c, keys: PretrainConfig.keys) { print("\(row.name) = \(row.value)    # \(row.help)") }
            return
        }
        let directory = URL(fileURLWithPath: out)
        let summary = try TrainCLI.run { () -> Pretrainer.Summary in
            try TrainCLI.prepare(directory, resume: resume, force: force)
            let trainer = try Pretrainer(config: c, directory: directory)
            Output.progress("pretrain: \(trainer.model.config) on \(trainer.trainBatches.tokenCount) corpus bytes, \(c.steps) steps → \(out)")
            return try trainer.run(resume: resume, progress: ProgressDisplay(label: "pretrain", totalSteps: c.steps))
        }
        print("pre-training: \(summary.parameters) parameters, \(c.steps) steps in \(Output.format(summary.trainSeconds, digits: 4)) s, validation loss \(Output.format(summary.validationLoss, digits: 4)) nats/byte")
        print("checkpoint:   \(directory.appendingPathComponent("model.safetensors").path)")
        for task in PromptTask.all {
            guard let z = try? Pretrainer.zeroShot(checkpoint: directory.appendingPathComponent("model.safetensors"), task: task,
                                                   data: URL(fileURLWithPath: data), examples: zeroShotExamples) else { continue }
            print("zero-shot \(task.name): dev \(TrainCLI.percent(z.dev.accuracy)) [\(TrainCLI.percent(z.dev.lower)), \(TrainCLI.percent(z.dev.upper))], test \(TrainCLI.percent(z.test.accuracy)) [\(TrainCLI.percent(z.test.lower)), \(TrainCLI.percent(z.test.upper))]; majority \(TrainCLI.percent(z.majorityTest))")
        }
    }
}
