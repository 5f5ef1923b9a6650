import Foundation
import Testing
import ZOCore
import ZOOptim
@testable import ZOModel

@Suite("GPT model: parameters, passes, modes, objective")
struct ModelTests {
    static let config = GPTConfig(vocabularySize: 32, contextLength: 16, width: 16, depth: 2, heads: 2)

    static func batch(B: Int = 2, T: Int = 10, seed: UInt64 = 5) throws -> TokenBatch {
        try ModelBenchmark.randomBatch(config: config, batchSize: B, length: T, seed: seed)
    }

    @Test("same seed, bit-identical weights; different seed, different weights; GPT-2 statistics")
    func deterministicInitialisation() throws {
        let a = try GPTModel(config: Self.config, seed: 7), b = try GPTModel(config: Self.config, seed: 7)
        let c = try GPTModel(config: Self.config, seed: 8)
        #expect(a.base.snapshot().map(\.bitPattern) == b.base.snapshot().map(\.bitPattern))
        #expect(a.base.snapshot() != c.base.snapshot())
        let big = try GPTModel(config: GPTConfig(vocabularySize: 512, contextLength: 64, width: 64, depth: 4, heads: 4), seed: 1)
        func std(_ name: String) -> Double {
            let v = big.base.view(named: name)!.array.map(Double.init)
            let m = v.reduce(0, +) / Double(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
        }
        #expect(abs(std("wte.weight") - 0.02) < 0.001)
        #expect(abs(std("h.1.attn.c_attn.weight") - 0.02) < 0.001)
        #expect(abs(std("h.2.mlp.c_proj.weight") - 0.02 / 8.0.squareRoot()) < 0.0005)   // 1/√(2·4)
        #expect(big.base.view(named: "h.0.ln_1.weight")!.array.allSatisfy { $0 == 1 })
        #expect(big.base.view(named: "h.0.attn.c_attn.bias")!.array.allSatisfy { $0 == 0 })
    }

    @Test("parameter sets: one block per layer plus embeddings and ln_f; roles; adapters separate")
    func parameterLayout() throws {
        let m = try GPTModel(config: Self.config)
        #expect(m.trainable === m.base)
        #expect(m.base.blocks.map(\.name) == ["embeddings", "h.0", "h.1", "ln_f"])
        #expect(m.base.blocks.map(\.layer) == [nil, 0, 1, nil])
        #expect(m.base.count == Self.config.parameterCount)
        let roles = Dictionary(uniqueKeysWithValues: m.base.tensors.map { ($0.name, $0.role) })
        #expect(roles["wte.weight"] == .embedding && roles["wpe.weight"] == .position)
        #expect(roles["h.0.ln_1.weight"] == .norm && roles["h.1.attn.c_attn.bias"] == .bias && roles["h.1.mlp.c_fc.weight"] == .weight)
        #expect(m.base.view(named: "h.0.attn.c_attn.weight")!.shape == [16, 48])
        let lora = try GPTModel(config: Self.config, mode: .lora(rank: 4, alpha: 8))
        #expect(lora.trainable !== lora.base && lora.trainable.blocks.map(\.name) == ["h.0", "h.1"])
        #expect(lora.trainable.tensors.allSatisfy { $0.role == .lora })
        #expect(lora.trainable.count == 2 * 4 * 16 * 4)
        let prefix = try GPTModel(config: Self.config, mode: .prefix(tokens: 5))
        #expect(prefix.trainable.tensors.map(\.name) == ["h.0.attn.prefix.key", "h.0.attn.prefix.value",
                                                         "h.1.attn.prefix.key", "h.1.attn.prefix.value"])
        #expect(prefix.trainable.tensors.allSatisfy { $0.role == .prefix && $0.shape == [5, 16] })
    }

    @Test("inference loss = training loss = mean of position losses")
    func passesAgree() throws {
        let m = try GPTModel(config: Self.config, seed: 3)
        let batch = try Self.batch()
        let inference = try m.loss(batch)
        var grad = [Float](repeating: 0, count: m.trainable.count)
        let training = try grad.withUnsafeMutableBufferPointer { try m.lossAndGradient(batch, into: $0) }
        #expect(abs(inference - training) < 1e-6 * inference)
        let nll = try m.positionLosses(batch)
        #expect(abs(nll.map(Double.init).reduce(0, +) / Double(nll.count) - inference) < 1e-5)
        #expect(abs(inference - log(32.0)) < 0.1)      // fresh GPT-2 init: near-uniform predictions
    }

    @Test("a fresh LoRA adapter (B = 0) leaves the model unchanged; its A gradient is 0, its B gradient is not")
    func freshLoRAIsIdentity() throws {
        let base = try GPTModel(config: Self.config, seed: 3)
        let lora = try GPTModel(config: Self.config, mode: .lora(rank: 2, alpha: 4), base: base.base, adapterSeed: 9)
        let batch = try Self.batch()
        #expect(try lora.loss(batch) == base.loss(batch))
        var grad = [Float](repeating: 0, count: lora.trainable.count)
        _ = try grad.withUnsafeMutableBufferPointer { try lora.lossAndGradient(batch, into: $0) }
        for t in lora.trainable.tensors {
            let g = grad[t.range]
            if t.name.hasSuffix(".A") { #expect(g.allSatisfy { $0 == 0 }, "\(t.name)") } else { #expect(g.contains { $0 != 0 }, "\(t.name)") }
        }
    }

    @Test("whole-model gradient vs a Float32 central difference along random directions",
          arguments: [FineTuningMode.full, .lora(rank: 2, alpha: 4), .prefix(tokens: 3)])
    func directionalDerivative(mode: FineTuningMode) throws {
        let m = try GPTModel(config: Self.config, mode: mode, seed: 4)
        if mode.loraRank > 0 {       // make B non-zero so every adapter matters
            for i in m.trainable.tensors.indices where m.trainable.tensors[i].name.hasSuffix(".B") {
                let v = m.trainable.view(i)
                for j in 0..<v.count { v.pointer[j] = Float(sin(Double(j))) * 0.3 }
            }
        }
        let batch = try Self.batch()
        var grad = [Float](repeating: 0, count: m.trainable.count)
        _ = try grad.withUnsafeMutableBufferPointer { try m.lossAndGradient(batch, into: $0) }
        for s in 0..<3 {
            let key = NoiseKey(seed: 77, stream: UInt64(s))
            let z = Noise.values(Float.self, count: grad.count, key: key)
            let analytic = zip(grad, z).map { Double($0) * Double($1) }.reduce(0, +)
            // Central differences at h and h/2 combined by Richardson extrapolation (truncation
            // O(h⁴)); h is small because z moves every weight (GPT-2 init: |θ| ≈ 0.02) and the
            // loss is far from linear at h ≳ 1e-3. Float32 loss rounding (≈ 1e-7 relative) over
            // 2h gives ≲ 2e-3 absolute noise.
            func central(_ h: Float) throws -> Double {
                Noise.addScaled(m.trainable.buffer, scale: h, key: key)
                let plus = try m.loss(batch)
                Noise.addScaled(m.trainable.buffer, scale: -2 * h, key: key)
                let minus = try m.loss(batch)
                Noise.addScaled(m.trainable.buffer, scale: h, key: key)
                return (plus - minus) / (2 * Double(h))
            }
            let h: Float = 2e-4
            let numeric = (4 * (try central(h / 2)) - (try central(h))) / 3
            #expect(abs(numeric - analytic) <= 1e-2 * abs(analytic) + 2e-3, "\(mode): numeric \(numeric) analytic \(analytic)")
        }
    }

    @Test("scoring: target log-probabilities, sequence log-probabilities and logits agree with the losses")
    func scoring() throws {
        let m = try GPTModel(config: Self.config, mode: .prefix(tokens: 2), seed: 6)
        let batch = try Self.batch(B: 3, T: 6)
        let nll = try m.positionLosses(batch)
        let queries = [TargetQuery(sequence: 0, position: 2, token: Int(batch.targets[2])),
                       TargetQuery(sequence: 2, position: 5, token: Int(batch.targets[17]))]
        let lp = try m.logProbabilities(of: queries, in: batch)
        #expect(abs(lp[0] + Double(nll[2])) < 1e-5 && abs(lp[1] + Double(nll[17])) < 1e-5)
        // Per sequence: weighted sum over the positions that have targets.
        var masked = batch
        masked.targets = batch.targets.enumerated().map { $0.offset % 6 >= 4 ? $0.element : -1 }
        masked.weights = Array(repeating: 0.5, count: 18)
        let seq = try m.sequenceLogProbabilities(masked)
        for b in 0..<3 { #expect(abs(seq[b] + 0.5 * Double(nll[b * 6 + 4] + nll[b * 6 + 5])) < 1e-5) }
        // Last-position logits: log-softmax at the target equals −nll.
        let logits = try m.logits(batch)
        for b in 0..<3 {
            let row = logits[(b * 32)..<((b + 1) * 32)].map(Double.init)
            let mx = row.max()!
            let lse = mx + log(row.map { exp($0 - mx) }.reduce(0, +))
            #expect(abs(row[Int(batch.targets[b * 6 + 5])] - lse + Double(nll[b * 6 + 5])) < 1e-5)
        }
        #expect(throws: ModelError.self) { try m.logProbabilities(of: [TargetQuery(sequence: 3, position: 0, token: 0)], in: batch) }
    }

    @Test("prefix initialised from activations reproduces the keys/values of those tokens")
    func prefixFromActivations() throws {
        let m = try GPTModel(config: Self.config, mode: .prefix(tokens: 3), seed: 2)
        try m.initializePrefixFromActivations(tokens: [1, 5, 9])
        let key = m.trainable.view(named: "h.0.attn.prefix.key")!.array
        // Layer 0's keys depend only on embeddings, ln_1 and c_attn: recompute the first one.
        let C = 16
        let wte = m.base.view(named: "wte.weight")!, wpe = m.base.view(named: "wpe.weight")!
        var x = (0..<C).map { Double(wte[1 * C + $0] + wpe[$0]) }
        let mean = x.reduce(0, +) / Double(C)
        let rstd = 1 / ((x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(C)) + 1e-5).squareRoot()
        x = x.map { ($0 - mean) * rstd }   // ln_1 weight 1, bias 0 at init
        let w = m.base.view(named: "h.0.attn.c_attn.weight")!
        for j in 0..<C {
            let k = (0..<C).map { x[$0] * Double(w[$0 * 3 * C + C + j]) }.reduce(0, +)
            #expect(abs(k - Double(key[j])) < 1e-5)
        }
        #expect(throws: ModelError.self) { try m.initializePrefixFromActivations(tokens: [1]) }
    }

    @Test("ModelObjective: loss, gradient, batch selection, errors")
    func objective() throws {
        let m = try GPTModel(config: Self.config, mode: .lora(rank: 2, alpha: 4), seed: 1)
        let objective = ModelObjective(model: m)
        #expect(throws: ModelError.self) { try objective.loss() }
        objective.batchProvider = { i in try! Self.batch(seed: UInt64(100 + i)) }
        #expect(objective.isStochastic && objective.providesGradient)
        objective.selectBatch(0)
        let l0 = try objective.loss()
        objective.selectBatch(1)
        let l1 = try objective.loss()
        objective.selectBatch(0)
        #expect(try objective.loss() == l0 && l0 != l1)
        #expect(objective.parameters === m.trainable)
        let g = try objective.gradient()
        #expect(g.count == m.trainable.count && g.contains { $0 != 0 })
    }

    @Test("invalid configurations and batches throw typed errors")
    func validation() throws {
        #expect(throws: ModelError.self) { try GPTModel(config: GPTConfig(vocabularySize: 10, contextLength: 4, width: 10, depth: 1, heads: 3)) }
        #expect(throws: ModelError.self) { try GPTModel(config: Self.config, mode: .lora(rank: 0, alpha: 1)) }
        #expect(throws: ModelError.self) { try GPTModel(config: Self.config, mode: .prefix(tokens: 0)) }
        let m = try GPTModel(config: Self.config)
        #expect(throws: ModelError.self) { try m.loss(try TokenBatch(batchSize: 1, length: 17, tokens: .init(repeating: 0, count: 17), targets: .init(repeating: 0, count: 17))) }
        #expect(throws: ModelError.self) { try m.loss(try TokenBatch(batchSize: 1, length: 2, tokens: [0, 32], targets: [0, 0])) }
        #expect(throws: ModelError.self) { try m.loss(try TokenBatch(batchSize: 1, length: 2, tokens: [0, 1], targets: [-1, -1])) }
        #expect(throws: ModelError.self) { try TokenBatch(batchSize: 2, length: 2, tokens: [0, 1], targets: [0, 1]) }
        #expect(throws: ModelError.self) { try TokenBatch(batchSize: 1, length: 2, tokens: [0, 1], targets: [0, 1], weights: [1, -1]) }
        #expect(throws: ModelError.self) { try TokenBatch.nextToken([[1, 2, 3], [1, 2]]) }
        let b = try TokenBatch.nextToken([[1, 2, 3], [4, 5, 6]])
        #expect(b.tokens == [1, 2, 4, 5] && b.targets == [2, 3, 5, 6])
    }
}

@Suite("Data-parallel inference")
struct DataParallelTests {
    @Test("a batch's position losses equal each sequence's losses computed alone (workers own whole sequences)")
    func workersAreIndependent() throws {
        let config = GPTConfig(vocabularySize: 48, contextLength: 12, width: 16, depth: 2, heads: 2)
        for mode in [FineTuningMode.full, .lora(rank: 2, alpha: 2), .prefix(tokens: 2)] {
            let m = try GPTModel(config: config, mode: mode, seed: 11)
            let batch = try ModelBenchmark.randomBatch(config: config, batchSize: 5, length: 12, seed: 3)
            let together = try m.positionLosses(batch)
            for b in 0..<5 {
                let slice = (b * 12)..<((b + 1) * 12)
                let one = try TokenBatch(batchSize: 1, length: 12, tokens: Array(batch.tokens[slice]), targets: Array(batch.targets[slice]))
                let alone = try m.positionLosses(one)
                for (x, y) in zip(alone, together[slice]) { #expect(abs(x - y) <= 1e-5 * (1 + abs(y)), "\(mode) sequence \(b)") }
            }
        }
    }
}

@Suite("Every mode trains")
struct TrainingSmokeTests {
    static let config = GPTConfig(vocabularySize: 16, contextLength: 8, width: 16, depth: 2, heads: 2)

    /// Adapters on a random GPT-2-initialised base (|W| ≈ 0.02) have little leverage, so they get
    /// larger steps and are held to smaller decreases (observed: full 1.9 / 0.49, LoRA 0.13 / 0.11,
    /// prefix 0.025 / 0.020 for gradient descent / MeZO).
    static func minimumDecrease(_ mode: FineTuningMode) -> Double {
        mode == .full ? 0.3 : mode.loraRank > 0 ? 0.05 : 0.01
    }

    /// A learnable batch: each sequence counts up modulo 16.
    static func countingBatch() throws -> TokenBatch {
        try TokenBatch.nextToken((0..<4).map { s in (0..<9).map { (s * 3 + $0) % 16 } })
    }

    @Test("gradient descent through ModelObjective lowers the loss", arguments: [FineTuningMode.full, .lora(rank: 4, alpha: 8), .prefix(tokens: 2)])
    func gradientDescent(mode: FineTuningMode) throws {
        let model = try GPTModel(config: Self.config, mode: mode, seed: 1)
        let objective = ModelObjective(model: model, batch: try Self.countingBatch())
        let start = try objective.loss()
        var g = [Float](repeating: 0, count: objective.parameters.count)
        for _ in 0..<30 {
            _ = try g.withUnsafeMutableBufferPointer { try objective.lossAndGradient(into: $0) }
            let theta = objective.parameters.buffer
            for i in 0..<theta.count { theta[i] -= (mode == .full ? 0.2 : mode.loraRank > 0 ? 5 : 100) * g[i] }
        }
        #expect(try objective.loss() < start - Self.minimumDecrease(mode), "\(mode)")
    }

    @Test("the registry's MeZO (SPSA, fused restore) through ModelObjective lowers the loss",
          arguments: [FineTuningMode.full, .lora(rank: 4, alpha: 8), .prefix(tokens: 2)])
    func mezo(mode: FineTuningMode) throws {
        let model = try GPTModel(config: Self.config, mode: mode, seed: 1)
        let objective = ModelObjective(model: model, batch: try Self.countingBatch())
        let lr = mode == .full ? 2e-3 : mode.loraRank > 0 ? 0.3 : 5
        let optimizer = try OptimizerRegistry.make("mezo", options: ["lr": "\(lr)", "eps": "1e-3"], parameters: model.trainable)
        let start = try objective.loss()
        for step in 0..<300 { _ = try optimizer.step(objective, context: StepContext(step: step, runSeed: 5)) }
        #expect(try objective.loss() < start - Self.minimumDecrease(mode), "\(mode)")
    }
}
