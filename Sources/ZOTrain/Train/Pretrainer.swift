import Foundation
import ZOCore
import ZOModel
import ZOOptim

/// Pre-training with AdamW on the corpus (next-byte prediction), in the shared
/// ``TrainingLoop`` (checkpoints, resume, interrupts, divergence). Writes `model.safetensors`
/// (a GPT-2-layout checkpoint fine-tuning starts from) and `summary.json`.
public final class Pretrainer {
    public let config: PretrainConfig
    public let directory: URL
    public let model: GPTModel
    public let objective: ModelObjective
    public let optimizer: any Optimizer<Float>
    public let loop: TrainingLoop
    public let trainBatches: CorpusBatcher
    public let validationBatches: CorpusBatcher

    public var modelURL: URL { directory.appendingPathComponent("model.safetensors") }

    public init(config: PretrainConfig, directory: URL) throws {
        self.config = config
        self.directory = directory
        let corpus = URL(fileURLWithPath: config.corpus)
        let tokenizer = try ByteTokenizer()
        let train = try JSONLinesReader.documents(contentsOf: corpus.appendingPathComponent("train.jsonl"))
        let validation = try JSONLinesReader.documents(contentsOf: corpus.appendingPathComponent("validation.jsonl"))
        trainBatches = try CorpusBatcher(documents: train, tokenizer: tokenizer, batchSize: config.batchSize,
                                         length: config.context, seed: config.seed)
        validationBatches = try CorpusBatcher(documents: validation, tokenizer: tokenizer, batchSize: config.batchSize,
                                              length: config.context, seed: config.seed &+ 1)
        model = try GPTModel(config: config.model, mode: .full, seed: config.seed)
        let batches = trainBatches
        objective = ModelObjective(model: model, batchProvider: { batches.batch($0) })
        optimizer = try OptimizerRegistry.make("adamw", options: ["lr": "\(config.learningRate)", "weight-decay": "\(config.weightDecay)"],
                                               parameters: model.trainable)
        let settings = TrainingLoop.Settings(
            kind: "pretrain", steps: config.steps, seed: config.seed, checkpointEvery: config.checkpointEvery,
            evalEvery: config.evalEvery, curveWindow: config.curveWindow, configJSON: try config.canonicalJSON(),
            baseFingerprint: "none", learningRateMultiplier: { [config] in config.learningRateMultiplier(step: $0) })
        loop = TrainingLoop(objective: objective, optimizer: optimizer, settings: settings, directory: directory)
        loop.evaluate = { [unowned self] _ in ["validation_loss": try self.validationLoss()] }
    }

    /// Mean next-byte loss (nats) over `evalBatches` validation batches.
    public func validationLoss() throws -> Double {
        var total = 0.0
        for i in 0..<config.evalBatches { total += try model.loss(validationBatches.batch(i)) }
        return total / Double(config.evalBatches)
    }

    public struct Summary: Codable, Sendable {
        public var config: PretrainConfig
        public var parameters: Int
        public var trainSeconds: Double
        public var corpusTokens: Int
        public var validationLoss: Double
        public var curve: [TrainerState.CurvePoint]
        public var evaluations: [TrainerState.Evaluation]
    }

    /// Runs (or resumes) pre-training; writes `model.safetensors` and `summary.json`.
    public func run(resume: Bool, progress: ProgressDisplay? = nil) throws -> Summary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if !resume && FileManager.default.fileExists(atPath: loop.checkpointURL.path) {
            throw TrainError.runExists(path: directory.path)
        }
        loop.progress = progress
        let clock = Stopwatch()
        let state = try loop.run(resume: resume)
        let summary = Summary(config: config, parameters: model.trainable.count, trainSeconds: clock.elapsed,
                              corpusTokens: trainBatches.tokenCount, validationLoss: try validationLoss(),
                              curve: state.curve, evaluations: state.evaluations)
        try GPTCheckpoint.save(model, to: modelURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Data(encoder.encode(summary)), to: directory.appendingPathComponent("summary.json"))
        return summary
    }

    /// Zero-shot accuracy of the checkpoint at `url` on `task`'s dev and test sets (the
    /// prior fine-tuning starts from), with the majority baseline.
    public static func zeroShot(checkpoint url: URL, task: PromptTask, data: URL, batch: Int = 16, examples: Int = 0)
        throws -> (dev: AccuracyReport, test: AccuracyReport, majorityTest: Double) {
        let model = try GPTCheckpoint.loadModel(from: url)
        var dataset = try TaskDataset.load(task: task, directory: data)
        dataset.dev = KShotSampler.subset(dataset.dev, count: examples, seed: 0, stream: 0x6465_76)
        dataset.test = KShotSampler.subset(dataset.test, count: examples, seed: 0, stream: 0x7465_7374)
        let encoder = try PromptEncoder(task: task, tokenizer: try ByteTokenizer(), contextLength: model.config.contextLength,
                                        examples: dataset.dev + dataset.test)
        let scorer = PromptScorer(encoder: encoder)
        let d = try scorer.scores(model: model, examples: dataset.dev, chunk: batch)
        let t = try scorer.scores(model: model, examples: dataset.test, chunk: batch)
        return (AccuracyReport(correct: d.correct, total: d.count), AccuracyReport(correct: t.correct, total: t.count),
                TaskDataset.majorityAccuracy(of: dataset.test, reference: dataset.test, classes: task.classCount).accuracy)
    }
}
