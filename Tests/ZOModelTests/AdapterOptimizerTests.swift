import Foundation
import Testing
import ZOCore
import ZOOptim
@testable import ZOModel

/// A ``ModelObjective`` seen through a recorder: counts the gradient requests an optimizer makes
/// and what the gradients held (so "first-order methods get a gradient" is observed, not assumed).
final class GradientRecordingObjective: Objective {
    typealias Scalar = Float
    let inner: ModelObjective
    private(set) var gradientCalls = 0
    private(set) var largestGradient: Float = 0
    private(set) var gradientsFinite = true

    init(_ inner: ModelObjective) { self.inner = inner }

    var parameters: ParameterSet<Float> { inner.parameters }
    var providesGradient: Bool { inner.providesGradient }
    var isStochastic: Bool { inner.isStochastic }
    func selectBatch(_ index: Int) { inner.selectBatch(index) }
    func loss() throws -> Double { try inner.loss() }

    func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        let value = try inner.lossAndGradient(into: gradient)
        gradientCalls += 1
        for g in gradient {
            gradientsFinite = gradientsFinite && g.isFinite
            largestGradient = max(largestGradient, abs(g))
        }
        return value
    }
}

/// LoRA and prefix adapters are trainable with every optimizer of ZOOptim's registry: a few
/// steps on a tiny model through ``ModelObjective`` keep the loss finite, move the adapters only
/// (the base slab stays bit-identical), and first-order methods are handed real gradients while
/// zeroth-order ones ask for none. The Hessian oracles (Newton, diagonal Newton) must refuse
/// with a typed error, since the model has no Hessian — and leave everything untouched.
@Suite("Adapters (LoRA, prefix) with every registered optimizer")
struct AdapterOptimizerTests {
    static let config = GPTConfig(vocabularySize: 32, contextLength: 16, width: 16, depth: 2, heads: 2)
    static let steps = 3

    /// Options a method needs on adapter-sized tensors; otherwise the registry's defaults.
    static func options(_ name: String) -> [String: String] {
        switch name {
        case "subzero": return ["rank": "2"]                  // subspace rank ≤ the adapters' smallest side (prefix P = 2)
        case "sparse-mezo": return ["zero-is-small": "true", "threshold-refresh": "1"]   // LoRA's B starts at exactly 0
        case "b-pdf": return ["active-blocks": "1"]            // k ≤ D = 2 adapter blocks (one per layer)
        default: return [:]
        }
    }

    /// Two learnable batches (sequences counting up modulo 16), alternated by the step index.
    static func batches() throws -> [TokenBatch] {
        try (0..<2).map { b in try TokenBatch.nextToken((0..<4).map { s in (0..<9).map { (s * 3 + b * 5 + $0) % 16 } }) }
    }

    @Test("every optimizer trains the adapters only", arguments: [FineTuningMode.lora(rank: 4, alpha: 8), .prefix(tokens: 2)])
    func everyOptimizer(mode: FineTuningMode) throws {
        let batches = try Self.batches()
        var trained: [String] = [], refused: [String] = []
        for factory in OptimizerRegistry.factories {
            let name = factory.name
            let model = try GPTModel(config: Self.config, mode: mode, seed: 1)
            #expect(model.trainable === model.adapters)
            let base = model.base.snapshot()
            let start = model.trainable.snapshot()
            let objective = GradientRecordingObjective(ModelObjective(model: model, batchProvider: { batches[$0 % 2] }))
            let optimizer = try OptimizerRegistry.make(name, options: Self.options(name), parameters: model.trainable)
            do {
                for step in 0..<Self.steps {
                    objective.selectBatch(step)
                    let report = try optimizer.step(objective, context: StepContext(step: step, runSeed: 7))
                    #expect(report.loss.isFinite && report.losses.allSatisfy(\.isFinite), "\(name) step \(step): \(report.losses)")
                }
            } catch let error as OptimizerError {
                guard case .requiresHessian = error else { throw error }
                #expect(model.trainable.snapshot() == start && TestSupport.sameBits(model.base.snapshot(), base), "\(name)")
                refused.append(name)
                continue
            }
            trained.append(name)
            #expect(try objective.loss().isFinite, "\(name)")
            #expect(TestSupport.sameBits(model.base.snapshot(), base), "\(name) changed the frozen base")
            #expect(model.trainable.snapshot() != start, "\(name) did not move the adapters in \(Self.steps) steps")
            if factory.family == .zerothOrder {
                #expect(objective.gradientCalls == 0, "\(name) is zeroth-order but asked for gradients")
            } else {
                #expect(objective.gradientCalls >= Self.steps && objective.gradientsFinite && objective.largestGradient > 0,
                        "\(name): \(objective.gradientCalls) gradients, largest |g| \(objective.largestGradient)")
            }
        }
        #expect(trained.count + refused.count == OptimizerRegistry.factories.count)
        #expect(Set(refused) == ["newton", "diag-newton"], "refused: \(refused)")
    }
}
