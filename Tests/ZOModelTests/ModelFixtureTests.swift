import Foundation
import Testing
import ZOCore
@testable import ZOModel

/// The whole model against the independent PyTorch reference (scripts/make_model_fixtures.py,
/// float64 autograd; stored as F32). Config: V 40, context 16, C 24, NH 3, L 2; batch 3×12 with
/// masked targets and random position weights. The checkpoint is in Hugging Face layout
/// ("transformer." prefix, Conv1D weights, tied lm_head.weight), so loading is tested too.
///
/// Tolerances (Float32 model vs float64 reference): logits and NLLs |Δ| ≤ 2e-5·(1 + |ref|);
/// losses relative 2e-6; gradients max |Δ| ≤ 1e-4 · max|ref| per tensor. Each test prints the
/// worst error it observed in those units (`swift test --filter ModelFixtureTests`), the numbers
/// docs/model.md quotes.
@Suite("Whole model vs PyTorch fixtures")
struct ModelFixtureTests {
    let reference: SafetensorsFile
    let batch: TokenBatch

    init() throws {
        reference = try SafetensorsFile(contentsOf: TestSupport.fixtures.appendingPathComponent("gpt_tiny_reference.safetensors"))
        batch = try TokenBatch(batchSize: 3, length: 12, tokens: try reference.floats("tokens").map { Int32($0) },
                               targets: try reference.floats("targets").map { Int32($0) }, weights: try reference.floats("weights"))
    }

    func model(_ mode: FineTuningMode) throws -> GPTModel {
        let m = try GPTCheckpoint.loadModel(from: TestSupport.fixtures.appendingPathComponent("gpt_tiny.safetensors"), mode: mode)
        try GPTCheckpoint.loadAdapters(reference, into: m)
        return m
    }

    /// Checks every trainable gradient; returns the worst max|Δ| / max|ref| over the tensors.
    @discardableResult
    func expectGradients(_ model: GPTModel, prefix: String) throws -> Double {
        var grad = [Float](repeating: 0, count: model.trainable.count)
        _ = try grad.withUnsafeMutableBufferPointer { try model.lossAndGradient(batch, into: $0) }
        var worst = 0.0
        for t in model.trainable.tensors {
            let ref = try reference.floats(prefix + t.name)
            let mine = Array(grad[t.range])
            let scale = ref.map { abs($0) }.max()!
            let err = zip(mine, ref).map { abs($0 - $1) }.max()!
            #expect(err <= 1e-4 * scale, "\(t.name): max error \(err), scale \(scale)")
            worst = max(worst, Double(err / scale))
        }
        return worst
    }

    /// |a − ref| / (1 + |ref|), the unit of the logit and NLL tolerance.
    static func pointError(_ a: Float, _ ref: Float) -> Double { Double(abs(a - ref)) / (1 + Double(abs(ref))) }

    static func report(_ what: String, _ errors: [(String, Double)]) {
        print("ModelFixtureTests worst errors, \(what): " + errors.map { "\($0.0) \(String(format: "%.2e", $0.1))" }.joined(separator: ", "))
    }

    @Test("checkpoint loads with the right configuration")
    func configuration() throws {
        let m = try model(.full)
        #expect(m.config == GPTConfig(vocabularySize: 40, contextLength: 16, width: 24, depth: 2, heads: 3))
    }

    @Test("full model: logits, per-position NLL, losses, every gradient")
    func fullModel() throws {
        let m = try model(.full)
        let refLogits = try reference.floats("logits")
        let V = 40, T = 12
        var worstLogit = 0.0, worstNLL = 0.0
        for t in 0..<T {
            let logits = try m.logits(batch, at: [t, t, t])
            for b in 0..<3 {
                for v in 0..<V {
                    let r = refLogits[(b * T + t) * V + v]
                    #expect(abs(logits[b * V + v] - r) <= 2e-5 * (1 + abs(r)))
                    worstLogit = max(worstLogit, Self.pointError(logits[b * V + v], r))
                }
            }
        }
        let nll = try m.positionLosses(batch)
        for (a, r) in zip(nll, try reference.floats("nll")) {
            #expect(abs(a - r) <= 2e-5 * (1 + abs(r)))
            worstNLL = max(worstNLL, Self.pointError(a, r))
        }
        let loss = try m.loss(batch)
        let refLoss = Double(try reference.floats("loss")[0])
        #expect(abs(loss - refLoss) <= 2e-6 * refLoss, "loss \(loss) vs \(refLoss)")
        var unweighted = batch
        unweighted.weights = nil
        let u = Double(try reference.floats("loss_unweighted")[0])
        let unweightedLoss = try m.loss(unweighted)
        #expect(abs(unweightedLoss - u) <= 2e-6 * u)
        let gradients = try expectGradients(m, prefix: "grad.")
        Self.report("full model", [("logits |Δ|/(1+|ref|)", worstLogit), ("NLL |Δ|/(1+|ref|)", worstNLL),
                                   ("loss rel.", max(abs(loss - refLoss) / refLoss, abs(unweightedLoss - u) / u)),
                                   ("gradients max|Δ|/max|ref|", gradients)])
    }

    @Test("LoRA (q, v; r 4, α 8): loss and adapter gradients")
    func lora() throws {
        let m = try model(.lora(rank: 4, alpha: 8))
        let refLoss = Double(try reference.floats("lora.loss")[0])
        let loss = try m.loss(batch)
        #expect(abs(loss - refLoss) <= 2e-6 * refLoss)
        let gradients = try expectGradients(m, prefix: "lora.grad.")
        Self.report("LoRA", [("loss rel.", abs(loss - refLoss) / refLoss), ("gradients max|Δ|/max|ref|", gradients)])
    }

    @Test("prefix-tuning (3 tokens): logits, loss and prefix gradients")
    func prefix() throws {
        let m = try model(.prefix(tokens: 3))
        let refLoss = Double(try reference.floats("prefix.loss")[0])
        let loss = try m.loss(batch)
        #expect(abs(loss - refLoss) <= 2e-6 * refLoss)
        let refLogits = try reference.floats("prefix.logits")
        let logits = try m.logits(batch)        // last position
        var worstLogit = 0.0
        for b in 0..<3 {
            for v in 0..<40 {
                let r = refLogits[(b * 12 + 11) * 40 + v]
                #expect(abs(logits[b * 40 + v] - r) <= 2e-5 * (1 + abs(r)))
                worstLogit = max(worstLogit, Self.pointError(logits[b * 40 + v], r))
            }
        }
        let gradients = try expectGradients(m, prefix: "prefix.grad.")
        Self.report("prefix", [("logits |Δ|/(1+|ref|)", worstLogit), ("loss rel.", abs(loss - refLoss) / refLoss),
                               ("gradients max|Δ|/max|ref|", gradients)])
    }
}
