import Foundation
import ZOCore
import ZOModel
import ZOOptim
import ZOTrain

/// The fine-tuning objective of the transformer-level checks (claims 4, 6, 7): prompt-based
/// sst2 classification (ZOTrain's `ClassificationObjective`, Float32, backprop gradient) on
/// a GPT in full-parameter mode.
///
/// - `full`: the committed pre-trained model (`models/pretrained.safetensors`, 842 K
///   parameters) and `datasets/sst2` when they are found from the working directory (the
///   repository root), i.e. the comparison's setting; otherwise the same as `quick`.
/// - `quick` / `test`: a seeded random GPT (C 16, L 2, NH 2, V 256) on sst2 examples generated
///   in memory (`DatasetGenerator`, seed 7) — the estimators' laws do not depend on training.
enum TransformerProbe {
    struct Setup {
        let model: GPTModel
        let objective: ClassificationObjective
        let label: String
        /// Parameter blocks: embeddings, h.0 … h.{L−1}, ln_f.
        var blocks: [ParameterBlockInfo] { model.trainable.blocks }
    }

    static func make(_ scale: RunScale, seed: UInt64, batchSize: Int = 8) throws -> Setup {
        let checkpoint = URL(fileURLWithPath: "models/pretrained.safetensors")
        let data = URL(fileURLWithPath: "datasets")
        if scale == .full, FileManager.default.fileExists(atPath: checkpoint.path),
           let dataset = try? TaskDataset.load(task: .sst2, directory: data) {
            let model = try GPTCheckpoint.loadModel(from: checkpoint)
            let train = try KShotSampler.sample(dataset.train, classes: 2, perClass: 256, seed: seed)
            return try setup(model, train: train, batchSize: batchSize, seed: seed,
                             label: "pre-trained GPT (\(model.trainable.count) parameters), sst2")
        }
        let model = try GPTModel(config: GPTConfig(vocabularySize: 256, contextLength: 128, width: 16, depth: 2, heads: 2), seed: seed)
        var sizes = DatasetGenerator.Sizes()
        sizes.train = 256
        sizes.dev = 8
        sizes.test = 8
        let text = DatasetGenerator(seed: 7, sizes: sizes).taskFiles().files.first { $0.path == "sst2/train.jsonl" }!.text
        let train = try JSONLinesReader.examples(Data(text.utf8), task: .sst2)
        return try setup(model, train: train, batchSize: batchSize, seed: seed,
                         label: "random GPT C 16, L 2 (\(model.trainable.count) parameters), generated sst2")
    }

    static func setup(_ model: GPTModel, train: [LabeledExample], batchSize: Int, seed: UInt64, label: String) throws -> Setup {
        let encoder = try PromptEncoder(task: .sst2, tokenizer: try ByteTokenizer(), contextLength: model.config.contextLength, examples: train)
        let objective = try ClassificationObjective(model: model, encoder: encoder, loss: .crossEntropy, train: train,
                                                    batchSize: batchSize, seed: seed)
        objective.selectBatch(0)
        return Setup(model: model, objective: objective, label: label)
    }

    /// ‖g_b‖ per block of a gradient.
    static func blockNorms(_ g: [Double], _ blocks: [ParameterBlockInfo]) -> [Double] {
        blocks.map { b in g[b.range].reduce(0) { $0 + $1 * $1 }.squareRoot() }
    }
}
