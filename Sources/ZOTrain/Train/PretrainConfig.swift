import Foundation
import ZOModel

/// Pre-training configuration (nanoGPT style; `--set name=value`, unknown names refused).
/// Defaults: the model and schedule `zolab pretrain` uses for `models/pretrained.safetensors`
/// (≈ 0.8 M parameters, byte-level, ≈ 8–10 minutes on 2 cores; see docs/training.md).
public struct PretrainConfig: Codable, Equatable, Sendable {
    /// Directory with `train.jsonl` and `validation.jsonl` ({"text": …} per line).
    public var corpus = "datasets/corpus"
    /// Model: C, L, NH, context (V = 256 bytes).
    public var width = 128
    public var depth = 4
    public var heads = 4
    public var context = 128
    /// Adam steps, rows per batch (each T = context tokens).
    public var steps = 2000
    public var batchSize = 16
    /// Peak η, linear warm-up steps, cosine decay to η·min_lr_ratio (nanoGPT).
    public var learningRate = 2e-3
    public var warmup = 100
    public var minLRRatio = 0.1
    /// AdamW decoupled weight decay on matrices (nanoGPT: 0.1).
    public var weightDecay = 0.1
    public var seed: UInt64 = 0
    /// Validation loss every this many steps, over this many batches.
    public var evalEvery = 250
    public var evalBatches = 8
    public var checkpointEvery = 250
    public var curveWindow = 25

    public init() {}

    public var model: GPTConfig { GPTConfig(vocabularySize: 256, contextLength: context, width: width, depth: depth, heads: heads) }

    public static var keys: [ConfigKey<PretrainConfig>] { [
        .text("corpus", \.corpus, "corpus directory (train.jsonl, validation.jsonl)"),
        .int("width", \.width, 8...4096, "C: residual width"),
        .int("depth", \.depth, 1...64, "L: layers"),
        .int("heads", \.heads, 1...64, "NH: attention heads"),
        .int("context", \.context, 8...4096, "context length T"),
        .int("steps", \.steps, 1...10_000_000, "Adam steps"),
        .int("batch_size", \.batchSize, 1...4096, "rows per batch"),
        .double("learning_rate", \.learningRate, 1e-8...1, "peak learning rate"),
        .int("warmup", \.warmup, 0...10_000_000, "linear warm-up steps"),
        .double("min_lr_ratio", \.minLRRatio, 0...1, "final η as a fraction of the peak (cosine)"),
        .double("weight_decay", \.weightDecay, 0...1, "AdamW weight decay"),
        .seed("seed", \.seed, "initialisation and batch seed"),
        .int("eval_every", \.evalEvery, 1...10_000_000, "validation interval (steps)"),
        .int("eval_batches", \.evalBatches, 1...10_000, "validation batches"),
        .int("checkpoint_every", \.checkpointEvery, 0...10_000_000, "checkpoint interval (0 = end only)"),
        .int("curve_window", \.curveWindow, 1...100_000, "steps per loss-curve point"),
    ] }

    /// nanoGPT's schedule: linear warm-up, then cosine from 1 to min_lr_ratio.
    public func learningRateMultiplier(step t: Int) -> Double {
        if t < warmup { return Double(t + 1) / Double(warmup) }
        let progress = Double(t - warmup) / Double(max(steps - warmup, 1))
        return minLRRatio + (1 - minLRRatio) * 0.5 * (1 + cos(Double.pi * min(progress, 1)))
    }

    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
