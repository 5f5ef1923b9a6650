import ArgumentParser
import Foundation
import ZOTrain

/// `zolab finetune`: one prompt-based fine-tuning run with checkpoints, resume and a summary.
struct FinetuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune the pre-trained model on a task with one optimizer (full, LoRA or prefix).",
        discussion: """
        Example: zolab finetune --optimizer mezo --mode full --task sst2 --steps 1000 --out runs/sst2-mezo

        Optimizer options (--opt name=value) default to the documented per-method settings of the \
        mode (docs/comparison.md); run settings (--set name=value, `--list`) to FineTuneConfig's defaults. \
        The run directory gets config.json, metrics.jsonl (per step and per evaluation), \
        checkpoint.safetensors (every checkpoint_every steps, atomic), best.safetensors (the \
        dev-selected checkpoint), final.safetensors and summary.json. Ctrl-C saves a checkpoint and exits with 130; --resume continues it \
        bit-identically. A NaN/Inf loss stops the run (exit 3) and keeps the last good checkpoint.
        """
    )

    @Option(help: "Optimizer (zolab optimizers).") var optimizer = "mezo"
    @Option(help: "full, lora or prefix.") var mode = "full"
    @Option(help: "Task: sst2, rte or topic.") var task = "sst2"
    @Option(help: "Steps (default: the method's documented budget).") var steps: Int?
    @Option(help: "Run seed.") var seed: UInt64?
    @Option(name: .customLong("set"), help: ArgumentHelp("A run setting, repeatable.", valueName: "name=value"))
    var settings: [String] = []
    @Option(name: .customLong("opt"), help: ArgumentHelp("An optimizer option, repeatable.", valueName: "name=value"))
    var options: [String] = []
    @Option(help: "Run directory.") var out: String?
    @Flag(help: "Continue from the run directory's checkpoint.") var resume = false
    @Flag(help: "Start over, removing an existing run's checkpoint.") var force = false
    @Flag(help: "List the run settings with their values and exit.") var list = false
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        let c = try config()
        if resume && force { throw ValidationError("--resume and --force exclude each other") }
        try CLIError.checkInput { try FineTuner.check(c) }
    }

    func config() throws -> FineTuneConfig {
        do {
            var c = FineTuneConfig()
            var assignments: [(String, String)] = [("optimizer", optimizer), ("mode", mode), ("task", task)]
            if let s = MethodDefaults.steps(for: optimizer, mode: mode) { assignments.append(("steps", "\(s)")) }
            if let steps { assignments.append(("steps", "\(steps)")) }
            if let seed { assignments.append(("seed", "\(seed)")) }
            let given = try ConfigOverrides.parse(settings)
            // Ten evaluations per run unless eval_every is given.
            let stepsInEffect = given.last { $0.0 == "steps" }.flatMap { Int($0.1) } ?? steps ?? MethodDefaults.steps(for: optimizer, mode: mode) ?? c.steps
            if !given.contains(where: { $0.0.replacingOccurrences(of: "-", with: "_") == "eval_every" }) {
                assignments.append(("eval_every", "\(max(1, stepsInEffect / 10))"))
            }
            assignments += given
            try ConfigOverrides.apply(assignments, to: &c, keys: FineTuneConfig.keys)
            var merged = MethodDefaults.options(for: c.optimizer, mode: c.mode)
            for (k, v) in try ConfigOverrides.parse(options) { merged[k] = v }
            c.options = merged
            return c
        } catch let e as TrainError {
            throw ValidationError(e.description)
        }
    }

    var directory: URL {
        URL(fileURLWithPath: out ?? "runs/\(task)-\(optimizer)-\(mode)-s\(seed ?? 1)")
    }

    func run() throws {
        let c = try config()
        if list {
            for row in ConfigOverrides.listing(c, keys: FineTuneConfig.keys) { print("\(row.name) = \(row.value)    # \(row.help)") }
            print("options = \(c.options.keys.sorted().map { "\($0)=\(c.options[$0]!)" }.joined(separator: " "))    # optimizer options")
            return
        }
        let dir = directory
        let summary = try TrainCLI.run { () -> RunSummary in
            try TrainCLI.prepare(dir, resume: resume, force: force)
            let tuner = try FineTuner(config: c, directory: dir)
            Self.installStopHook(tuner)
            Output.progress("finetune: \(c.optimizer) (\(c.options.keys.sorted().map { "\($0)=\(c.options[$0]!)" }.joined(separator: " "))), \(c.mode), \(c.task), \(tuner.model.trainable.count) trainable parameters, k = \(c.kShot) per class (\(tuner.trainSample.count) examples), \(c.steps) steps → \(dir.path)")
            return try tuner.run(resume: resume, progress: quiet ? nil : ProgressDisplay(label: "\(c.optimizer) \(c.task)", totalSteps: c.steps))
        }
        print(Self.report(summary))
    }

    /// Test hook: with `ZOLAB_STOP_AFTER_STEP=N` in the environment the process stops itself
    /// (SIGSTOP) after completing step N, so an end-to-end test can SIGKILL it at a known point
    /// instead of racing a running process. Not a user option; without the variable nothing changes.
    static let stopAfterStepVariable = "ZOLAB_STOP_AFTER_STEP"

    static func installStopHook(_ tuner: FineTuner) {
        guard let text = ProcessInfo.processInfo.environment[stopAfterStepVariable], let stop = Int(text) else { return }
        tuner.loop.afterStep = { report in
            if report.step + 1 == stop { raise(SIGSTOP) }
        }
    }

    static func report(_ s: RunSummary) -> String {
        func acc(_ a: AccuracyReport) -> String {
            "\(TrainCLI.percent(a.accuracy)) (\(a.correct)/\(a.total); 95% Wilson [\(TrainCLI.percent(a.lower)), \(TrainCLI.percent(a.upper))])"
        }
        var lines = [
            "\(s.config.optimizer) on \(s.config.task) (\(s.config.mode), seed \(s.config.seed)): \(s.steps) steps, \(s.forwardPasses) forward / \(s.backwardPasses) backward passes, \(Output.format(s.trainSeconds, digits: 4)) s",
            "  zero-shot      dev \(s.zeroShotDevAccuracy.map(TrainCLI.percent) ?? "n/a"), test \(s.zeroShotTestAccuracy.map(TrainCLI.percent) ?? "n/a")",
            "  final dev      \(acc(s.dev))",
            "  final test     \(acc(s.test))   majority \(TrainCLI.percent(s.majorityTest))",
            "  to \(TrainCLI.percent(s.config.targetAccuracy)) dev    " + (s.stepsToTarget.map { "\($0) steps, \(s.forwardsToTarget ?? 0) forward passes" } ?? "not reached"),
            "  memory         inference \(TrainCLI.bytes(s.inferenceMemory.ledgerBytes)) slabs / \(TrainCLI.bytes(s.inferenceMemory.residentBytes)) peak RSS; training \(TrainCLI.bytes(s.trainingMemory.ledgerBytes)) / \(TrainCLI.bytes(s.trainingMemory.residentBytes)); optimizer state \(s.optimizerStateBytes) bytes",
        ]
        if let b = s.selected {
            lines.insert("  selected       step \(b.step) (best dev): dev \(acc(b.dev)), test \(acc(b.test))", at: 4)
        }
        lines.append("  summary        summary.json, metrics.jsonl, final.safetensors" + (s.selected == nil ? "" : ", best.safetensors")
                     + " in the run directory")
        return lines.joined(separator: "\n")
    }
}
