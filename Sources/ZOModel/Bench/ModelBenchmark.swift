import Foundation
import ZOCore
#if canImport(Glibc)
import Glibc
#endif

/// Timed passes of a ``GPTModel`` for `zolab bench model` and the memory report: the
/// inference forward, a MeZO step, a training step (forward + backward), and the memory of a
/// MeZO step against a forward-only pass.
public enum ModelBenchmark {
    /// A deterministic batch of random tokens (targets random too): B sequences of T tokens.
    public static func randomBatch(config: GPTConfig, batchSize B: Int, length T: Int, seed: UInt64 = 1) throws -> TokenBatch {
        var rng = PhiloxRandom(seed: seed, stream: 99)
        let V = UInt64(config.vocabularySize)
        let tokens = (0..<(B * T)).map { _ in Int32(rng.next() % V) }
        let targets = (0..<(B * T)).map { _ in Int32(rng.next() % V) }
        return try TokenBatch(batchSize: B, length: T, tokens: tokens, targets: targets)
    }

    /// One MeZO step (Malladi et al. 2023) on `objective`'s parameters with the fused restore:
    /// θ += εz; L₊ = L(θ); θ −= 2εz; L₋ = L(θ); g = (L₊ − L₋)/(2ε); θ += εz − η·g·z
    /// (one pass: restore and update fused). z is regenerated from `key` each time, never stored.
    /// Returns (L₊, L₋, g).
    @discardableResult
    public static func mezoStep(model: GPTModel, batch: TokenBatch, key: NoiseKey, epsilon: Float = 1e-3,
                                learningRate: Float = 1e-6) throws -> (Double, Double, Double) {
        let theta = model.trainable.buffer
        Noise.addScaled(theta, scale: epsilon, key: key)
        let plus = try model.loss(batch)
        Noise.addScaled(theta, scale: -2 * epsilon, key: key)
        let minus = try model.loss(batch)
        let g = (plus - minus) / (2 * Double(epsilon))
        Noise.addScaled(theta, scale: epsilon - learningRate * Float(g), key: key)
        return (plus, minus, g)
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

    /// Peak memory of a forward-only pass and of a MeZO step on the same batch, each measured
    /// from a state without activation buffers (both allocate the same inference workspace).
    public struct MemoryReport: Sendable, Codable {
        /// MemoryLedger peaks (bytes in live slabs: parameters + buffers).
        public var forwardSlabBytes: Int
        public var mezoSlabBytes: Int
        /// MemoryProbe peak resident set (VmHWM), nil where unsupported.
        public var forwardPeakRSS: Int?
        public var mezoPeakRSS: Int?
        public var slabRatio: Double { Double(mezoSlabBytes) / Double(max(forwardSlabBytes, 1)) }
        public var rssRatio: Double? {
            guard let f = forwardPeakRSS, let m = mezoPeakRSS else { return nil }
            return Double(m) / Double(max(f, 1))
        }
    }

    ///
    /// Before each measurement the model's buffers are released and freed heap memory is handed
    /// back to the kernel (`malloc_trim`), so the resident-set peak counts live memory: glibc
    /// otherwise keeps freed multi-MB blocks resident and may not reuse them for the next
    /// allocation, which would charge the second measurement with the first one's buffers.
    public static func measureMemory(model: GPTModel, batch: TokenBatch, key: NoiseKey) throws -> MemoryReport {
        func releaseAll() {
            model.releaseBuffers()
            trimHeap()
        }
        releaseAll()
        MemoryLedger.shared.resetPeak()
        let rssReset = MemoryProbe.resetPeak()
        _ = try model.loss(batch)
        let forwardSlab = MemoryLedger.shared.peakBytes
        let forwardRSS = rssReset ? MemoryProbe.peakResidentBytes : nil

        releaseAll()
        MemoryLedger.shared.resetPeak()
        _ = MemoryProbe.resetPeak()
        try mezoStep(model: model, batch: batch, key: key)
        let mezoSlab = MemoryLedger.shared.peakBytes
        let mezoRSS = rssReset ? MemoryProbe.peakResidentBytes : nil
        return MemoryReport(forwardSlabBytes: forwardSlab, mezoSlabBytes: mezoSlab, forwardPeakRSS: forwardRSS, mezoPeakRSS: mezoRSS)
    }
}
