import Foundation
import ZOCore
import ZOModel
import ZOOptim

/// One fine-tuning run from a ``FineTuneConfig``: loads the task and the pre-trained model,
/// samples the k-shot training set, builds the prompt objective and the optimizer, measures
/// the inference memory, runs the ``TrainingLoop`` in `directory` (checkpoints, metrics,
/// resume) and evaluates dev and test at the end (`summary.json`, `final.safetensors`), for the
/// final weights and for the dev-selected checkpoint (`best.safetensors`, ``RunSummary/selected``).
///
/// Dev and test subsets are drawn with a fixed seed (0), so every method and seed of a
/// comparison is scored on the same examples (paired comparisons).
public final class FineTuner {
    public let config: FineTuneConfig
    public let directory: URL
    public let task: PromptTask
    public let model: GPTModel
    public let encoder: PromptEncoder
    public let objective: ClassificationObjective
    public let optimizer: any Optimizer<Float>
    public let trainSample: [LabeledExample]
    public let dev: [LabeledExample]
    public let test: [LabeledExample]
    public let loop: TrainingLoop
    /// Peak memory of one inference pass (see ``measureInferenceMemory(model:objective:)``).
    public let inferenceMemory: MemoryPeak

    public var summaryURL: URL { directory.appendingPathComponent("summary.json") }
    public var finalURL: URL { directory.appendingPathComponent("final.safetensors") }

    /// The run's optimizer name, option names and values, and whether it can train this
    /// objective at all — checked before anything is loaded (the CLI calls it from `validate()`).
    /// Shape-dependent checks (a rank larger than a matrix) need the model and come later.
    public static func check(_ config: FineTuneConfig) throws {
        let factory = try OptimizerRegistry.factory(named: config.optimizer)
        _ = try OptimizerOptions(optimizer: factory.name, specs: factory.options, given: config.options)
        if config.classificationLoss != .crossEntropy && factory.family != .zerothOrder {
            throw TrainError.unsupported("the \(config.objective) objective is not differentiable: use a zeroth-order optimizer, not \(config.optimizer)")
        }
        if factory.needsExactHessian {
            throw TrainError.unsupported("\(config.optimizer) needs the exact Hessian, which the transformer objective does not provide (gradients by backprop only): use a zeroth- or first-order method")
        }
    }

    public init(config: FineTuneConfig, directory: URL) throws {
        try Self.check(config)
        self.config = config
        self.directory = directory
        task = try PromptTask.named(config.task)
        let data = try TaskDataset.load(task: task, directory: URL(fileURLWithPath: config.data))
        trainSample = config.kShot > 0
            ? try KShotSampler.sample(data.train, classes: task.classCount, perClass: config.kShot, seed: config.sampleSeed)
            : data.train
        dev = KShotSampler.subset(data.dev, count: config.devExamples, seed: 0, stream: 0x6465_76)
        test = KShotSampler.subset(data.test, count: config.testExamples, seed: 0, stream: 0x7465_7374)

        let baseURL = URL(fileURLWithPath: config.base)
        guard FileManager.default.fileExists(atPath: baseURL.path) else {
            throw TrainError.invalidSetting("the pre-trained checkpoint \(config.base) does not exist (run `zolab pretrain` or set base=…)")
        }
        let mode = config.fineTuningMode
        model = try GPTCheckpoint.loadModel(from: baseURL, mode: mode, adapterSeed: config.seed)
        let tokenizer = try ByteTokenizer()
        guard model.config.vocabularySize == tokenizer.vocabularySize else {
            throw TrainError.invalidSetting("the checkpoint's vocabulary (\(model.config.vocabularySize)) is not the byte tokenizer's (256)")
        }
        if case .prefix(let P) = mode {
            // MeZO's prefix initialisation from real activations, of P seeded lower-case letters.
            var draws = SeededDraws(seed: config.seed, stream: 0x7072_6566)
            try model.initializePrefixFromActivations(tokens: (0..<P).map { _ in 97 + draws.index(below: 26) })
        }
        encoder = try PromptEncoder(task: task, tokenizer: tokenizer, contextLength: model.config.contextLength,
                                    examples: trainSample + dev + test)
        objective = try ClassificationObjective(model: model, encoder: encoder, loss: config.classificationLoss, train: trainSample,
                                                batchSize: config.batchSize, seed: config.seed, evaluationExamples: dev)
        // Inference memory: the model and one forward's workspace, before any optimizer state exists.
        inferenceMemory = try Self.measureInferenceMemory(model: model, objective: objective)
        optimizer = try OptimizerRegistry.make(config.optimizer, options: config.options, parameters: model.trainable)

        let fingerprint = mode == .full ? "full" : try TrainingCheckpoint.fingerprint(of: baseURL)
        let settings = TrainingLoop.Settings(
            kind: "finetune", steps: config.steps, seed: config.seed, checkpointEvery: config.checkpointEvery,
            evalEvery: config.evalEvery, curveWindow: config.curveWindow, configJSON: try config.canonicalJSON(),
            baseFingerprint: fingerprint, selectionMetric: "dev_accuracy", learningRateMultiplier: { [config] in config.learningRateMultiplier(step: $0) })
        loop = TrainingLoop(objective: objective, optimizer: optimizer, settings: settings, directory: directory)
        loop.evaluate = { [unowned self] step in
            let s = try self.scores(self.dev)
            var metrics = ["dev_accuracy": s.accuracy, "dev_loss": s.crossEntropy]
            // The zero-shot test accuracy: the baseline of the dev-selected checkpoint's gain.
            if step == 0 { metrics["test_accuracy"] = try self.scores(self.test).accuracy }
            return metrics
        }
    }

    /// Label-word scores of `examples` with the current weights (chunks of B examples).
    public func scores(_ examples: [LabeledExample]) throws -> PromptScores {
        try PromptScorer(encoder: encoder).scores(model: model, examples: examples, chunk: config.batchSize)
    }

    /// Peak memory of one inference pass on training batch 0 (the forward a ZO step runs),
    /// measured before the optimizer exists: parameters + one forward's buffers.
    static func measureInferenceMemory(model: GPTModel, objective: ClassificationObjective) throws -> MemoryPeak {
        MemoryMeter.reset(model)
        try objective.select(batch: 0)
        _ = try objective.currentScores()
        return MemoryMeter.peak()
    }

    /// Runs (or resumes) the run and writes `summary.json` and `final.safetensors`.
    public func run(resume: Bool, progress: ProgressDisplay? = nil) throws -> RunSummary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if !resume && FileManager.default.fileExists(atPath: loop.checkpointURL.path) {
            throw TrainError.runExists(path: directory.path)
        }
        try AtomicFile.write(try config.canonicalJSON() + "\n", to: directory.appendingPathComponent("config.json"))
        let inference = inferenceMemory
        MemoryMeter.reset(model)
        loop.progress = progress
        let clock = Stopwatch()
        let state = try loop.run(resume: resume)
        let seconds = clock.elapsed
        let training = MemoryMeter.peak()

        let devScores = try scores(dev), testScores = try scores(test)
        let reached = state.evaluations.first { ($0.metrics["dev_accuracy"] ?? 0) >= config.targetAccuracy }
        var summary = RunSummary(
            config: config, trainableParameters: model.trainable.count, steps: state.nextStep,
            forwardPasses: state.forwardPasses, backwardPasses: state.backwardPasses, trainSeconds: seconds,
            zeroShotDevAccuracy: state.evaluations.first { $0.step == 0 }?.metrics["dev_accuracy"],
            dev: AccuracyReport(correct: devScores.correct, total: devScores.count),
            test: AccuracyReport(correct: testScores.correct, total: testScores.count),
            majorityDev: TaskDataset.majorityAccuracy(of: dev, reference: dev, classes: task.classCount).accuracy,
            majorityTest: TaskDataset.majorityAccuracy(of: test, reference: test, classes: task.classCount).accuracy,
            stepsToTarget: reached?.step, forwardsToTarget: reached?.forwardPasses,
            inferenceMemory: inference, trainingMemory: training,
            optimizerStateBytes: optimizer.stateBytes, peakOptimizerStateBytes: state.peakStateBytes,
            curve: state.curve, evaluations: state.evaluations,
            truncatedPrompts: try encoder.truncatedCount(trainSample + dev + test))
        try GPTCheckpoint.save(model, to: finalURL, includeBase: model.mode == .full)
        if let best = state.best {
            if best.step == state.nextStep {
                summary.selected = .init(step: best.step, forwardPasses: best.forwardPasses, dev: summary.dev, test: summary.test)
            } else {
                let final = model.trainable.snapshot()
                try loop.loadBest()
                let d = try scores(dev), t = try scores(test)
                model.trainable.assign(final)   // the model holds the final weights after run()
                summary.selected = .init(step: best.step, forwardPasses: best.forwardPasses,
                                         dev: AccuracyReport(correct: d.correct, total: d.count),
                                         test: AccuracyReport(correct: t.correct, total: t.count))
            }
        }
        try AtomicFile.write(try summary.json(), to: summaryURL)
        return summary
    }
}
