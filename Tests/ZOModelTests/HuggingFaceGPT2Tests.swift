import Foundation
import Testing
import ZOCore
@testable import ZOModel

/// A checkpoint shaped like Hugging Face's GPT-2 `model.safetensors`, written here tensor by tensor
/// with HF's names, order, shapes and dtypes (no Python): GPT-2's vocabulary V = 50257, no
/// `transformer.` prefix, Conv1D weights [in, out], the causal-mask buffers `h.{i}.attn.bias`
/// [1, 1, ctx, ctx] and `h.{i}.attn.masked_bias` [] in every layer, no `lm_head.weight` (or a tied
/// one). Small width so it stays fast: C 64, L 2, ctx 64. The loaded model must infer the
/// configuration and compute bit for bit what a model built directly from the same tensors does.
@Suite("A Hugging Face GPT-2 file: V 50257, mask buffers, no prefix, Conv1D; F32, F16, BF16")
struct HuggingFaceGPT2Tests {
    static let V = 50257, ctx = 64, C = 64, L = 2

    struct Variant: CustomTestStringConvertible, Sendable {
        let dtype: SafetensorsDType
        /// dtype of the `attn.bias` mask (transformers has used float, uint8 and bool masks).
        let maskDType: SafetensorsDType
        let tiedHead: Bool
        /// Metadata `n_head`; without it the loader takes C/64 = 1 (GPT-2's head size 64).
        let nHead: Int?
        var heads: Int { nHead ?? HuggingFaceGPT2Tests.C / 64 }
        var testDescription: String { "\(dtype.rawValue), mask \(maskDType.rawValue), \(tiedHead ? "tied lm_head" : "no lm_head"), n_head \(nHead.map(String.init) ?? "absent")" }
    }

    /// (The tied head goes with F32: the half-precision conversions are slow in debug builds.)
    static let variants = [
        Variant(dtype: .f32, maskDType: .f32, tiedHead: false, nHead: nil),     // as the hub's gpt2 model.safetensors
        Variant(dtype: .f32, maskDType: .bool, tiedHead: true, nHead: 4),
        Variant(dtype: .f16, maskDType: .u8, tiedHead: false, nHead: 2),
        Variant(dtype: .bf16, maskDType: .bf16, tiedHead: false, nHead: nil),
    ]

    /// HF GPT2Model's state-dict entries in order: name, shape, values (Float32 before storage).
    static func stateDict(seed: UInt64) throws -> [(String, [Int], [Float])] {
        // Weights from GPT-2's initialisation; 1-D parameters get distinct values so a mix-up shows.
        let source = try GPTModel(config: GPTConfig(vocabularySize: V, contextLength: ctx, width: C, depth: L, heads: 1), seed: seed)
        var small = PhiloxRandom(seed: seed, stream: 3)
        func w(_ name: String) -> [Float] { source.base.view(named: name)!.array }
        func vector(_ n: Int, around mean: Float) -> [Float] { (0..<n).map { _ in mean + Float(0.05 * small.nextGaussian()) } }
        var entries: [(String, [Int], [Float])] = [("wte.weight", [V, C], w("wte.weight")), ("wpe.weight", [ctx, C], w("wpe.weight"))]
        let causal = (0..<(ctx * ctx)).map { Float($0 % ctx <= $0 / ctx ? 1 : 0) }
        for i in 0..<L {
            let h = "h.\(i)."
            entries += [
                (h + "ln_1.weight", [C], vector(C, around: 1)), (h + "ln_1.bias", [C], vector(C, around: 0)),
                (h + "attn.bias", [1, 1, ctx, ctx], causal), (h + "attn.masked_bias", [], [-1e4]),
                (h + "attn.c_attn.weight", [C, 3 * C], w(h + "attn.c_attn.weight")), (h + "attn.c_attn.bias", [3 * C], vector(3 * C, around: 0)),
                (h + "attn.c_proj.weight", [C, C], w(h + "attn.c_proj.weight")), (h + "attn.c_proj.bias", [C], vector(C, around: 0)),
                (h + "ln_2.weight", [C], vector(C, around: 1)), (h + "ln_2.bias", [C], vector(C, around: 0)),
                (h + "mlp.c_fc.weight", [C, 4 * C], w(h + "mlp.c_fc.weight")), (h + "mlp.c_fc.bias", [4 * C], vector(4 * C, around: 0)),
                (h + "mlp.c_proj.weight", [4 * C, C], w(h + "mlp.c_proj.weight")), (h + "mlp.c_proj.bias", [C], vector(C, around: 0)),
            ]
        }
        entries += [("ln_f.weight", [C], vector(C, around: 1)), ("ln_f.bias", [C], vector(C, around: 0))]
        return entries
    }

    /// The value a reader must recover from `x` stored as `dtype`.
    static func stored(_ x: Float, _ dtype: SafetensorsDType) -> Float {
        switch dtype {
        case .f16: return HalfPrecision.float(fromF16: HalfPrecision.f16(from: x))
        case .bf16: return HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: x))
        default: return x
        }
    }

    @Test("configuration inferred, weights as stored, forward loss identical to the directly built model", arguments: variants)
    func loadsAndComputes(_ variant: Variant) throws {
        let entries = try Self.stateDict(seed: 11)
        var writer = SafetensorsWriter()
        writer.metadata = ["format": "pt"]
        if let n = variant.nHead { writer.metadata["n_head"] = "\(n)" }
        for (name, shape, values) in entries {
            let isMask = name.hasSuffix(".attn.bias")
            try writer.add(name, shape: shape, values: values, dtype: isMask ? variant.maskDType : variant.dtype)
        }
        if variant.tiedHead { try writer.add("lm_head.weight", shape: [Self.V, Self.C], values: entries[0].2, dtype: variant.dtype) }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try writer.write(to: url)

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensors["h.1.attn.bias"]?.dtype == variant.maskDType && file.tensors["h.1.attn.bias"]?.shape == [1, 1, 64, 64])
        #expect(file.tensors["h.0.attn.masked_bias"]?.shape == [])
        let expected = GPTConfig(vocabularySize: 50257, contextLength: 64, width: 64, depth: 2, heads: variant.heads)
        #expect(try GPTCheckpoint.configuration(of: file) == expected)
        #expect(try GPTCheckpoint.configuration(of: file, heads: 8).heads == 8)
        let loaded = try GPTCheckpoint.loadModel(from: url)
        #expect(loaded.config == expected)

        // The model built directly from the same tensors (rounded as the dtype stores them).
        let base = ParameterSet<Float>(layout: GPTLayout.base(expected))
        for (name, _, values) in entries where !name.hasSuffix(".attn.bias") && !name.hasSuffix(".attn.masked_bias") {
            let view = try #require(base.view(named: name), "\(name) is not a base tensor")
            #expect(view.count == values.count, "\(name)")
            if variant.dtype == .f32 {
                view.pointer.update(from: values, count: values.count)
            } else {
                for (i, x) in values.enumerated() { view.pointer[i] = Self.stored(x, variant.dtype) }
            }
        }
        let fromFile = Set(entries.map(\.0).filter { !$0.hasSuffix(".attn.bias") && !$0.hasSuffix(".attn.masked_bias") })
        #expect(Set(base.tensors.map(\.name)) == fromFile)      // every base tensor came from the file
        let direct = try GPTModel(config: expected, base: base)
        #expect(TestSupport.sameBits(loaded.base.snapshot(), direct.base.snapshot()))

        // Same weights, same worker split: the same loss to the bit (and a sane one: ≈ ln V at init).
        let batch = try ModelBenchmark.randomBatch(config: expected, batchSize: 2, length: 64, seed: 4)
        let (loss, directLoss) = try Parallel.withThreads(2) { (try loaded.loss(batch), try direct.loss(batch)) }
        #expect(loss.bitPattern == directLoss.bitPattern)
        #expect(abs(loss - log(50257.0)) < 0.25, "loss \(loss)")
    }
}
