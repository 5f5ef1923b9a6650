import Foundation
import ZOCore
#if canImport(Glibc)
import Glibc
#endif

/// Helpers of `zolab bench model`: random batches, the forward's FLOP count, the memory of an
/// optimizer step against a forward-only pass, and checkpoint save/load times. (The MeZO step
/// itself is ZOOptim's registry optimizer on a ``ModelObjective``, timed by the command.)
public enum ModelBenchmark {
    /// A deterministic batch of random tokens (targets random too): B sequences of T tokens.
    public static func randomBatch(config: GPTConfig, batchSize B: Int, length T: Int, seed: UInt64 = 1) throws -> TokenBatch {
        var rng = PhiloxRandom(seed: seed, stream: 99)
        let V = UInt64(config.vocabularySize)
        let tokens = (0..<(B * T)).map { _ in Int32(rng.next() % V) }
        let targets = (0..<(B * T)).map { _ in Int32(rng.next() % V) }
        return try TokenBatch(batchSize: B, length: T, tokens: tokens, targets: targets)
    }

    /// Forward FLOPs of one inference pass (matmuls, causal attention counted as the useful
    /// lower triangle, LM head): 2·B·T·12·C²·L + 2·B·T·(T+1)·C·L + 2·B·T·C·V (+ LoRA, prefix).
    public static func forwardFLOPs(config: GPTConfig, mode: FineTuningMode = .full, B: Int, T: Int) -> Double {
        let b = Double(B), t = Double(T), c = Double(config.width), l = Double(config.depth)
        let v = Double(config.vocabularySize), p = Double(mode.prefixTokens), r = Double(mode.loraRank)
        let projections = 2 * b * t * 12 * c * c * l
        let attention = 2 * b * t * (t + 1 + 2 * p) * c * l
        let lora = 2 * b * t * 4 * c * r * l
        return projections + attention + lora + 2 * b * t * c * v
    }

    /// glibc's `malloc_trim(0)` (not exported by the Glibc module; looked up at run time).
    static func trimHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Peak memory of a forward-only pass and of an optimizer step (e.g. the registry's MeZO on a
    /// ``ModelObjective``) on the same batch, each measured from a state without activation
    /// buffers, four ways: this model's own ledger (``GPTModel/memoryPeakBytes``: parameters +
    /// buffers), a measuring scope (``MemoryLedger/measure(_:)``: every slab allocated during the
    /// pass or the step — the model's buffers, the optimizer's state and transients — and nothing
    /// other threads allocate), ZOCore's process-wide MemoryLedger (every slab in the process) and
    /// the resident set.
    public struct MemoryReport: Sendable, Codable {
        /// ``GPTModel/memoryPeakBytes``: the model's parameters + activation buffers.
        public var forwardModelBytes: Int
        public var stepModelBytes: Int
        /// Inference buffers held after each (``GPTModel/bufferBytes``); training buffers after the step.
        public var forwardBufferBytes: Int
        public var stepBufferBytes: Int
        public var stepTrainingBufferBytes: Int
        /// Peak bytes of the slabs allocated inside the measured pass or step (a
        /// ``MemoryLedger/measure(_:)`` scope): exact under concurrency, optimizer included.
        public var forwardScopedBytes: Int
        public var stepScopedBytes: Int
        /// Process-wide MemoryLedger peaks (bytes in every live slab).
        public var forwardSlabBytes: Int
        public var stepSlabBytes: Int
        /// MemoryProbe peak resident set (VmHWM), nil where unsupported.
        public var forwardPeakRSS: Int?
        public var stepPeakRSS: Int?

        public var modelRatio: Double { Double(stepModelBytes) / Double(max(forwardModelBytes, 1)) }
        public var scopedRatio: Double { Double(stepScopedBytes) / Double(max(forwardScopedBytes, 1)) }
        public var slabRatio: Double { Double(stepSlabBytes) / Double(max(forwardSlabBytes, 1)) }
        public var rssRatio: Double? {
            guard let f = forwardPeakRSS, let m = stepPeakRSS else { return nil }
            return Double(m) / Double(max(f, 1))
        }
    }

    /// Measures ``MemoryReport`` for `model.loss(batch)` against `step`.
    ///
    /// Before each measurement the model's buffers are released and freed heap memory is handed
    /// back to the kernel (`malloc_trim`), so the resident-set peak counts live memory: glibc
    /// otherwise keeps freed multi-MB blocks resident and may not reuse them for the next
    /// allocation, which would charge the second measurement with the first one's buffers.
    public static func measureMemory(model: GPTModel, batch: TokenBatch, step: () throws -> Void) throws -> MemoryReport {
        func reset() -> Bool {
            model.releaseBuffers()
            trimHeap()
            model.resetMemoryPeak()
            MemoryLedger.shared.resetPeak()
            return MemoryProbe.resetPeak()
        }
        let rssReset = reset()
        let forwardScoped = try MemoryLedger.measure { try model.loss(batch) }.ledger.peakBytes
        let forwardModel = model.memoryPeakBytes, forwardBuffers = model.bufferBytes.inference
        let forwardSlab = MemoryLedger.shared.peakBytes
        let forwardRSS = rssReset ? MemoryProbe.peakResidentBytes : nil

        _ = reset()
        let stepScoped = try MemoryLedger.measure { try step() }.ledger.peakBytes
        let stepModel = model.memoryPeakBytes, stepBuffers = model.bufferBytes
        let stepSlab = MemoryLedger.shared.peakBytes
        let stepRSS = rssReset ? MemoryProbe.peakResidentBytes : nil
        return MemoryReport(forwardModelBytes: forwardModel, stepModelBytes: stepModel, forwardBufferBytes: forwardBuffers,
                            stepBufferBytes: stepBuffers.inference, stepTrainingBufferBytes: stepBuffers.training,
                            forwardScopedBytes: forwardScoped, stepScopedBytes: stepScoped,
                            forwardSlabBytes: forwardSlab, stepSlabBytes: stepSlab, forwardPeakRSS: forwardRSS, stepPeakRSS: stepRSS)
    }

    /// Checkpoint size and save/load wall times (``timeCheckpoint(model:directory:dtype:repeats:)``).
    public struct CheckpointTiming: Sendable {
        public var fileBytes: Int
        public var save: TimingSample
        public var load: TimingSample
    }

    /// Times writing `model` as a checkpoint (``GPTCheckpoint/save(_:to:dtype:includeBase:includeAdapters:)``:
    /// atomic, fsync included) and loading it back (``GPTCheckpoint/loadModel(from:mode:heads:layout:adapterSeed:)``:
    /// memory-mapped read, header validation, conversion into a new model), `repeats` times each,
    /// in `directory`; the file is removed afterwards.
    public static func timeCheckpoint(model: GPTModel, directory: URL, dtype: SafetensorsDType = .f32,
                                      repeats: Int) throws -> CheckpointTiming {
        let url = directory.appendingPathComponent("zolab-bench-\(ProcessInfo.processInfo.processIdentifier).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let save = try Stopwatch.measure(repeats: repeats, warmup: 0) { try GPTCheckpoint.save(model, to: url, dtype: dtype) }
        let bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let load = try Stopwatch.measure(repeats: repeats, warmup: 0) {
            let loaded = try GPTCheckpoint.loadModel(from: url, mode: model.mode)
            guard loaded.config == model.config else {
                throw ModelError.incompatibleCheckpoint("the benchmark checkpoint loaded as \(loaded.config)")
            }
        }
        return CheckpointTiming(fileBytes: bytes, save: save, load: load)
    }
}
