import Foundation
import ZOCore
import ZOOptim

/// The training loop shared by pre-training and fine-tuning: steps with the `StepContext`
/// convention (step t uses batch t and noise stream `NoiseKey(seed, t)`), metrics as JSON
/// Lines, evaluations, atomic checkpoints every N steps, bit-identical resume, divergence and
/// interrupt handling.
///
/// - **Resume.** A checkpoint holds the trainable weights, the optimizer state, the
///   ``TrainerState`` and the configuration. Resuming restores them, truncates the metrics file
///   to its recorded length and continues at the next step with the same batches and noise
///   keys, so the final weights and metrics equal an uninterrupted run's bit for bit (tested).
/// - **Divergence.** A non-finite loss (or an optimizer's `diverged`), a non-finite evaluation
///   loss, or non-finite weights at a checkpoint stop the run with ``TrainError/diverged``;
///   nothing is written over the last good checkpoint.
/// - **Model selection.** With a `selectionMetric`, each evaluation after step 0 that beats
///   the best so far (strictly: the earliest wins ties) writes the weights to `best.safetensors`
///   and records itself as ``TrainerState/best`` (MeZO's protocol: the dev set picks the
///   checkpoint, the test set scores it). Step 0 is never selected: the pre-trained model is not
///   a fine-tuning result.
/// - **Interrupts.** SIGINT/SIGTERM (``InterruptMonitor``) are honoured at the next step
///   boundary: a checkpoint is saved there and ``TrainError/interrupted`` thrown.
public final class TrainingLoop {
    public struct Settings {
        /// "pretrain" or "finetune": checkpoints of one kind are refused by the other.
        public var kind: String
        public var steps: Int
        public var seed: UInt64
        /// 0 = only at the end.
        public var checkpointEvery: Int
        public var evalEvery: Int
        public var curveWindow: Int
        public var configJSON: String
        public var baseFingerprint: String
        public var learningRateMultiplier: (Int) -> Double
        /// Evaluation metric for model selection (higher is better), e.g. "dev_accuracy": the
        /// weights of the best evaluation after step 0 go to `best.safetensors` (nil: none).
        public var selectionMetric: String?

        public init(kind: String, steps: Int, seed: UInt64, checkpointEvery: Int, evalEvery: Int, curveWindow: Int,
                    configJSON: String, baseFingerprint: String, selectionMetric: String? = nil,
                    learningRateMultiplier: @escaping (Int) -> Double) {
            self.kind = kind
            self.steps = steps
            self.seed = seed
            self.checkpointEvery = checkpointEvery
            self.evalEvery = evalEvery
            self.curveWindow = curveWindow
            self.configJSON = configJSON
            self.baseFingerprint = baseFingerprint
            self.learningRateMultiplier = learningRateMultiplier
            self.selectionMetric = selectionMetric
        }
    }

    public let objective: any Objective<Float>
    public let optimizer: any Optimizer<Float>
    public let settings: Settings
    public let directory: URL
    /// Metrics of the model at the current step (e.g. dev accuracy and loss).
    public var evaluate: ((Int) throws -> [String: Double])?
    public var progress: ProgressDisplay?
    /// Called after each checkpoint is written (step = next step to run).
    public var afterCheckpoint: ((Int) throws -> Void)?
    /// Called after each completed step with its report (before any checkpoint).
    public var afterStep: ((StepReport) throws -> Void)?

    public init(objective: any Objective<Float>, optimizer: any Optimizer<Float>, settings: Settings, directory: URL) {
        self.objective = objective
        self.optimizer = optimizer
        self.settings = settings
        self.directory = directory
    }

    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL { directory.appendingPathComponent("metrics.jsonl") }
    /// Weights of ``TrainerState/best`` (written atomically when a new best is evaluated).
    public var bestURL: URL { directory.appendingPathComponent("best.safetensors") }

    /// Loads the weights of `best.safetensors` into the trainable parameters.
    public func loadBest() throws { _ = try read(bestURL) }

    /// The current trainable weights, `optimizer` and `trainer` state to `url` (atomic).
    private func write(_ url: URL, optimizer: OptimizerState<Float>, trainer: TrainerState) throws {
        try TrainingCheckpoint.save(to: url, kind: settings.kind, configJSON: settings.configJSON,
                                    baseFingerprint: settings.baseFingerprint, trainable: objective.parameters,
                                    optimizer: optimizer, trainer: trainer)
    }

    /// Loads `url` into the trainable parameters after checking kind, configuration and base.
    private func read(_ url: URL) throws -> TrainingCheckpoint.Loaded {
        try TrainingCheckpoint.load(from: url, kind: settings.kind, configJSON: settings.configJSON,
                                    baseFingerprint: settings.baseFingerprint, into: objective.parameters)
    }

    /// Runs (or resumes) to `settings.steps`; returns the final trainer state.
    public func run(resume: Bool) throws -> TrainerState {
        var state = TrainerState()
        let metrics: MetricsLog
        var lastCheckpoint: Int?
        if resume {
            let loaded = try read(checkpointURL)
            do { try optimizer.loadState(loaded.optimizer) } catch {
                throw TrainError.invalidCheckpoint(path: checkpointURL.path, reason: "\(error)")
            }
            state = loaded.trainer
            metrics = try MetricsLog(url: metricsURL, truncateTo: state.metricsBytes)
            lastCheckpoint = state.nextStep
        } else {
            metrics = try MetricsLog(url: metricsURL)
        }
        InterruptMonitor.install()
        InterruptMonitor.reset()

        func diverge(step: Int, reason: String) throws -> Never {
            try? metrics.append(["step": .int(step), "diverged": .text(reason)])
            progress?.finish()
            throw TrainError.diverged(step: step, reason: reason, checkpoint: lastCheckpoint == nil ? nil : checkpointURL.path,
                                      checkpointStep: lastCheckpoint)
        }
        func save() throws {
            guard objective.parameters.isFinite else {
                try diverge(step: state.nextStep - 1, reason: "the weights became non-finite")
            }
            try metrics.synchronize()
            state.metricsBytes = metrics.byteCount
            try write(checkpointURL, optimizer: optimizer.saveState(), trainer: state)
            lastCheckpoint = state.nextStep
            try afterCheckpoint?(state.nextStep)
        }
        func evaluation(at step: Int) throws {
            guard let evaluate else { return }
            let values = try evaluate(step)
            if let loss = values["dev_loss"] ?? values["validation_loss"], !loss.isFinite {
                try diverge(step: step, reason: "the evaluation loss is not finite (\(loss))")
            }
            let record = TrainerState.Evaluation(step: step, forwardPasses: state.forwardPasses, metrics: values)
            state.evaluations.append(record)
            if step > 0, let name = settings.selectionMetric, let value = values[name], value.isFinite,
               value > (state.best?.metrics[name] ?? -.infinity) {
                state.best = record
                // Replayed identically after a resume, so a file newer than the checkpoint is rewritten as is.
                try write(bestURL, optimizer: OptimizerState(), trainer: state)
            }
            var line: [String: MetricValue] = ["step": .int(step), "event": .text("eval"), "forward_passes": .int(state.forwardPasses)]
            for (k, v) in values { line[k] = .double(v) }
            try metrics.append(line)
            progress?.note = values.keys.sorted().prefix(2).map { "\($0) \(String(format: "%.4f", values[$0]!))" }.joined(separator: "  ") + " @\(step)"
        }

        if state.nextStep == 0 && state.evaluations.isEmpty { try evaluation(at: 0) }
        for t in state.nextStep..<settings.steps {
            if let signal = InterruptMonitor.pendingSignal {
                if lastCheckpoint != t { try save() }
                progress?.finish()
                throw TrainError.interrupted(signal: signal, step: t, checkpoint: checkpointURL.path)
            }
            objective.selectBatch(t)
            let multiplier = settings.learningRateMultiplier(t)
            let report: StepReport
            do {
                report = try optimizer.step(objective, context: StepContext(step: t, runSeed: settings.seed, learningRateMultiplier: multiplier))
            } catch OptimizerError.diverged(_, let reason) {
                try diverge(step: t, reason: reason)
            } catch ObjectiveError.nonFiniteLoss(let value) {
                try diverge(step: t, reason: "a loss evaluated in step \(t) is not finite (\(value))")
            } catch ObjectiveError.invalidParameters(let why) where !objective.parameters.isFinite {
                try diverge(step: t, reason: "the weights became non-finite (\(why))")
            } catch OptimizerError.requiresHessian(let name) {
                progress?.finish()
                throw TrainError.unsupported("\(name) needs the exact Hessian, which this objective does not provide (the transformer gives gradients by backprop only): use a zeroth- or first-order method")
            } catch OptimizerError.requiresGradient(let name) {
                progress?.finish()
                throw TrainError.unsupported("\(name) needs a gradient, which this objective does not provide: use a zeroth-order method")
            }
            guard report.loss.isFinite else { try diverge(step: t, reason: "the step's loss is not finite (\(report.loss))") }
            state.nextStep = t + 1
            state.forwardPasses += report.forwardPasses
            state.backwardPasses += report.backwardPasses
            state.peakStateBytes = max(state.peakStateBytes, report.stateBytes)
            state.record(loss: report.loss, step: t, window: settings.curveWindow)
            try metrics.append(["step": .int(t), "loss": .double(report.loss), "forwards": .int(report.forwardPasses),
                                "backwards": .int(report.backwardPasses), "lr_multiplier": .double(multiplier)])
            try afterStep?(report)
            if (t + 1) % settings.evalEvery == 0 || t + 1 == settings.steps { try evaluation(at: t + 1) }
            if (settings.checkpointEvery > 0 && (t + 1) % settings.checkpointEvery == 0) || t + 1 == settings.steps { try save() }
            progress?.update(step: t + 1, loss: report.loss)
        }
        progress?.finish()
        return state
    }
}
