import Foundation
import ZOModel

/// Everything a fine-tuning run depends on, with documented defaults (nanoGPT style: one
/// struct, overridden by `--set name=value`, unknown names refused). The whole struct is the
/// run's identity: a checkpoint records it and `--resume` refuses a different one.
public struct FineTuneConfig: Codable, Equatable, Sendable {
    /// Task name (`sst2`, `rte`, `topic`).
    public var task = "sst2"
    /// Directory holding `<task>/{train,dev,test}.{jsonl,tsv}`.
    public var data = "datasets"
    /// The pre-trained checkpoint fine-tuning starts from.
    public var base = "models/pretrained.safetensors"
    /// `full`, `lora` (r = lora_rank, α = lora_alpha on q and v) or `prefix` (prefix_tokens).
    public var mode = "full"
    public var loraRank = 8
    public var loraAlpha = 16.0
    public var prefixTokens = 5
    /// Optimizer registry name and its options (validated by the registry).
    public var optimizer = "mezo"
    public var options: [String: String] = [:]
    /// `ce` (cross-entropy over label words), `accuracy` or `f1` (non-differentiable).
    public var objective = "ce"
    /// Optimizer steps.
    public var steps = 1000
    /// B: examples per step (MeZO: 16).
    public var batchSize = 16
    /// Training sample: k examples per class from the train split (0 = the whole split).
    public var kShot = 256
    /// Dev / test examples evaluated (seeded subsets; 0 = the whole split).
    public var devExamples = 500
    public var testExamples = 1000
    /// Run seed: noise stream t = (seed, t), batch order.
    public var seed: UInt64 = 1
    /// Seed of the k-shot sample (0 = the run seed, MeZO's convention).
    public var dataSeed: UInt64 = 0
    /// Dev accuracy every this many steps (also at step 0: the zero-shot point).
    public var evalEvery = 100
    /// Checkpoint every this many steps (and at the end); 0 = only at the end.
    public var checkpointEvery = 100
    /// Dev accuracy that counts as "reached" for steps / forward passes to target.
    public var targetAccuracy = 0.85
    /// Learning-rate schedule: `constant` (MeZO) or `linear` (decay to 0).
    public var schedule = "constant"
    /// Steps averaged into one point of the loss curve.
    public var curveWindow = 10

    public init() {}

    /// The k-shot sample seed in effect.
    public var sampleSeed: UInt64 { dataSeed == 0 ? seed : dataSeed }

    public var fineTuningMode: FineTuningMode {
        switch mode {
        case "lora": return .lora(rank: loraRank, alpha: Float(loraAlpha))
        case "prefix": return .prefix(tokens: prefixTokens)
        default: return .full
        }
    }

    public var classificationLoss: ClassificationLoss { ClassificationLoss(rawValue: objective) ?? .crossEntropy }

    /// The overridable keys, in listing order.
    public static var keys: [ConfigKey<FineTuneConfig>] { [
        .text("task", \.task, choices: PromptTask.all.map(\.name), "task name"),
        .text("data", \.data, "dataset directory (<task>/{train,dev,test}.jsonl or .tsv)"),
        .text("base", \.base, "pre-trained checkpoint (safetensors)"),
        .text("mode", \.mode, choices: ["full", "lora", "prefix"], "fine-tuning mode"),
        .int("lora_rank", \.loraRank, 1...4096, "LoRA rank r"),
        .double("lora_alpha", \.loraAlpha, 1e-6...1e6, "LoRA α"),
        .int("prefix_tokens", \.prefixTokens, 1...4096, "prefix-tuning tokens"),
        .text("optimizer", \.optimizer, "optimizer (zolab optimizers)"),
        .text("objective", \.objective, choices: ClassificationLoss.allCases.map(\.rawValue), "ce, accuracy or f1"),
        .int("steps", \.steps, 1...10_000_000, "optimizer steps"),
        .int("batch_size", \.batchSize, 1...4096, "examples per step"),
        .int("k_shot", \.kShot, 0...10_000_000, "training examples per class (0 = all)"),
        .int("dev_examples", \.devExamples, 0...10_000_000, "dev examples evaluated (0 = all)"),
        .int("test_examples", \.testExamples, 0...10_000_000, "test examples evaluated (0 = all)"),
        .seed("seed", \.seed, "run seed (noise, batch order)"),
        .seed("data_seed", \.dataSeed, "k-shot sample seed (0 = seed)"),
        .int("eval_every", \.evalEvery, 1...10_000_000, "dev evaluation interval (steps)"),
        .int("checkpoint_every", \.checkpointEvery, 0...10_000_000, "checkpoint interval (steps; 0 = end only)"),
        .double("target_accuracy", \.targetAccuracy, 0...1, "dev accuracy counted as reached"),
        .text("schedule", \.schedule, choices: ["constant", "linear"], "learning-rate schedule"),
        .int("curve_window", \.curveWindow, 1...100_000, "steps per loss-curve point"),
    ] }

    /// η multiplier at step t.
    public func learningRateMultiplier(step t: Int) -> Double {
        schedule == "linear" ? max(0, 1 - Double(t) / Double(steps)) : 1
    }

    /// Canonical JSON (sorted keys): the run's identity in checkpoints.
    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
