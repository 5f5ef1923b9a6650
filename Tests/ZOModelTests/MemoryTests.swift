import Foundation
import Testing
import ZOCore
import ZOOptim
@testable import ZOModel

/// A ZO step needs no more memory than a forward: the inference pass keeps one layer's
/// buffers and no backward caches, and the MeZO step only adds regenerated noise.
///
/// Measured through the model's own ledger (``GPTModel/memoryPeakBytes``) and a measuring scope
/// (``MemoryLedger/measure(_:)``: every slab allocated inside, the optimizer's included), which
/// other suites running concurrently cannot disturb, with the data-parallel worker count pinned by a
/// task-local `Parallel.withThreads` scope (the buffers hold one attention and LM-head scratch
/// per worker). Every number below is therefore deterministic and asserted exactly.
@Suite("Memory of the inference pass and of a MeZO step")
struct MemoryTests {
    static let workers = 2

    /// Bytes of the inference buffers by their definition: [B,T]·(C + C + 3C + C + 4C + r + 1) row
    /// buffers, plus per worker one sequence's attention [NH,T,P+T] and one LM-head chunk [R,V].
    static func inferenceBytes(_ config: GPTConfig, _ mode: FineTuningMode, B: Int, T: Int, workers: Int) -> Int {
        let C = config.width, BT = B * T
        let rows = BT * (10 * C + mode.loraRank + 1)
        let workerRows = (B + workers - 1) / workers * T
        let R = CrossEntropyHead.chunkRows(rows: workerRows, vocabulary: config.vocabularySize)
        let scratch = workers * (config.heads * T * (mode.prefixTokens + T) + R * config.vocabularySize)
        return 4 * (rows + scratch)
    }

    @Test("inference buffers are one layer's worth, independent of depth; no training caches")
    func inferenceBuffersDoNotGrowWithDepth() throws {
        try Parallel.withThreads(Self.workers) { try inferenceBuffersDoNotGrowWithDepthPinned() }
    }

    func inferenceBuffersDoNotGrowWithDepthPinned() throws {
        let shallow = try GPTModel(config: GPTConfig(vocabularySize: 64, contextLength: 32, width: 32, depth: 1, heads: 2))
        let deep = try GPTModel(config: GPTConfig(vocabularySize: 64, contextLength: 32, width: 32, depth: 6, heads: 2))
        let batch = try ModelBenchmark.randomBatch(config: shallow.config, batchSize: 4, length: 32)
        _ = try shallow.loss(batch)
        _ = try deep.loss(batch)
        #expect(shallow.bufferBytes.inference == deep.bufferBytes.inference)
        #expect(deep.bufferBytes.inference == Self.inferenceBytes(deep.config, .full, B: 4, T: 32, workers: Self.workers))
        #expect(deep.bufferBytes.training == 0)
        #expect(deep.memoryBytes == deep.parameterBytes + deep.bufferBytes.inference)
        var grad = [Float](repeating: 0, count: deep.trainable.count)
        _ = try grad.withUnsafeMutableBufferPointer { try deep.lossAndGradient(batch, into: $0) }
        #expect(deep.bufferBytes.training > 5 * deep.bufferBytes.inference)
        #expect(deep.memoryPeakBytes == deep.memoryBytes)       // the peak follows every allocation
        deep.releaseBuffers()
        #expect(deep.memoryBytes == deep.parameterBytes && deep.memoryPeakBytes > deep.memoryBytes)
        deep.resetMemoryPeak()
        #expect(deep.memoryPeakBytes == deep.parameterBytes)
    }

    @Test("the registry's MeZO step holds exactly the forward's buffers (model ledger ratio 1), in every mode",
          arguments: [FineTuningMode.full, .lora(rank: 4, alpha: 8), .prefix(tokens: 4)])
    func mezoStepMemory(mode: FineTuningMode) throws {
        try Parallel.withThreads(Self.workers) { try mezoStepMemoryPinned(mode: mode) }
    }

    func mezoStepMemoryPinned(mode: FineTuningMode) throws {
        let config = GPTConfig(vocabularySize: 128, contextLength: 32, width: 32, depth: 2, heads: 2)
        let model = try GPTModel(config: config, mode: mode, seed: 1)
        let batch = try ModelBenchmark.randomBatch(config: config, batchSize: 4, length: 32)
        let objective = ModelObjective(model: model, batch: batch)
        let mezo = try OptimizerRegistry.make("mezo", options: ["lr": "1e-3"], parameters: model.trainable)
        let before = model.trainable.snapshot()
        let report = try ModelBenchmark.measureMemory(model: model, batch: batch) {
            _ = try mezo.step(objective, context: StepContext(step: 0, runSeed: 1))
        }
        let buffers = Self.inferenceBytes(config, mode, B: 4, T: 32, workers: Self.workers)
        #expect(report.forwardBufferBytes == buffers)
        #expect(report.stepBufferBytes == report.forwardBufferBytes)          // the step's forwards reuse the forward's buffers
        #expect(report.stepTrainingBufferBytes == 0)                          // and form no backward caches
        #expect(report.forwardModelBytes == model.parameterBytes + buffers)
        #expect(report.stepModelBytes == report.forwardModelBytes)
        #expect(report.modelRatio == 1.0)
        // Every slab the step allocates — the optimizer's included — against the forward's:
        // the same bytes exactly (a MeZO that materialised z, even briefly, would exceed them).
        #expect(report.forwardScopedBytes == buffers)
        #expect(report.stepScopedBytes == report.forwardScopedBytes && report.scopedRatio == 1.0)
        #expect(mezo.stateBytes == 0)
        #expect(model.trainable.snapshot() != before)      // the step did update θ
    }

    @Test("a MeZO step on the model restores θ up to the update: +εz −2εz +εz with η ≈ 0 drifts ≤ a few ulps")
    func mezoRestores() throws {
        let config = GPTConfig(vocabularySize: 64, contextLength: 16, width: 16, depth: 1, heads: 2)
        let model = try GPTModel(config: config, seed: 2)
        let batch = try ModelBenchmark.randomBatch(config: config, batchSize: 2, length: 16)
        let mezo = try OptimizerRegistry.make("mezo", options: ["lr": "1e-30", "eps": "1e-3"], parameters: model.trainable)
        let before = model.trainable.snapshot()
        _ = try mezo.step(ModelObjective(model: model, batch: batch), context: StepContext(step: 4, runSeed: 3))
        let after = model.trainable.snapshot()
        for (a, b) in zip(after, before) { #expect(abs(a - b) <= 4 * (abs(b) + 6e-3).ulp) }
    }
}
