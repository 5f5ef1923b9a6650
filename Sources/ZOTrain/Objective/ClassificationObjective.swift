import ZOCore
import ZOModel

/// What a fine-tuning run minimises on a minibatch.
public enum ClassificationLoss: String, CaseIterable, Sendable, Codable {
    /// Cross-entropy over the label words' length-normalised log-probabilities (differentiable).
    case crossEntropy = "ce"
    /// 1 − accuracy on the minibatch: non-differentiable, only ZO methods can use it (seed 004 §4.3).
    case accuracy
    /// 1 − macro-F1 on the minibatch: non-differentiable (seed 004 §4.3, MeZO's F1 objective).
    case f1
}

/// Prompt-based classification as a ZOCore ``Objective``: θ = the model's trainable set,
/// batch t = the examples at positions [tB, (t+1)B) of the training sample's seeded
/// epoch-wise permutations (epoch e shuffled by Philox(seed, e)) — a pure function of
/// (seed, t), which is what makes a resumed run see the same batches.
///
/// `selectBatch(i)` with i < 0 selects the *evaluation set* (``evaluationExamples``, scored in
/// chunks of B): what ``LearningRateSearch`` evaluates. A batch that cannot be encoded makes
/// the following evaluations throw ``BatchEncodingError`` (with the encoder's error as cause).
///
/// Gradient (cross-entropy only). With p = softmax(s), ∂CE/∂s_k = p_k − y_k and
/// s_k = −(1/n_k) Σ_t nll_t, so ∇CE = (1/B) [Σ_gold (1 − p_y)/n_y Σ_t ∇nll_t − Σ_{k≠y} p_k/n_k Σ_t ∇nll_t].
/// The model's backward takes non-negative position weights only, so the two sums are two
/// training passes — gold rows and the other rows, the same B·K sequences one pass would
/// see — each called with its weights w and rescaled by Σw (the model normalises by it). The
/// probabilities come from one inference pass first.
public final class ClassificationObjective: Objective {
    public typealias Scalar = Float

    public let model: GPTModel
    public let encoder: PromptEncoder
    public let lossKind: ClassificationLoss
    public let train: [LabeledExample]
    public let batchSize: Int
    public let seed: UInt64
    /// The examples `selectBatch(-1)` evaluates.
    public var evaluationExamples: [LabeledExample]

    private var current: [PromptEncoder.Encoded] = []
    /// Why the last selection has no batch (rethrown by every evaluation until the next selection).
    private var selectionError: BatchEncodingError?
    private var permutations: [Int: [Int]] = [:]
    /// Inference and training passes run so far (each over one batch of B·K sequences, or part of it).
    public private(set) var inferencePasses = 0
    public private(set) var trainingPasses = 0

    public init(model: GPTModel, encoder: PromptEncoder, loss: ClassificationLoss, train: [LabeledExample],
                batchSize: Int, seed: UInt64, evaluationExamples: [LabeledExample] = []) throws {
        guard batchSize >= 1 else { throw TrainError.invalidSetting("batch size must be ≥ 1") }
        guard !train.isEmpty else { throw TrainError.invalidSetting("no training examples") }
        self.model = model
        self.encoder = encoder
        self.lossKind = loss
        self.train = train
        self.batchSize = batchSize
        self.seed = seed
        self.evaluationExamples = evaluationExamples
    }

    public var parameters: ParameterSet<Float> { model.trainable }
    public var providesGradient: Bool { lossKind == .crossEntropy }
    public var isStochastic: Bool { true }

    /// The training examples of batch `t`.
    public func examples(ofBatch t: Int) -> [LabeledExample] {
        let n = train.count
        return (0..<batchSize).map { j in
            let position = t * batchSize + j
            let epoch = position / n
            if permutations[epoch] == nil {
                if permutations.count > 4 { permutations.removeAll() }
                var draws = SeededDraws(seed: seed, stream: 0x6261_7463_6800 &+ UInt64(epoch))   // "batch" + epoch
                permutations[epoch] = draws.permutation(n)
            }
            return train[permutations[epoch]![position % n]]
        }
    }

    /// Makes batch `index` current (i < 0: the evaluation set). The ``Objective`` protocol's
    /// `selectBatch` cannot throw, so an encoding failure is kept and rethrown — as a
    /// ``BatchEncodingError`` carrying the batch index and the encoder's error — by the next
    /// ``currentScores()``, ``loss()`` or ``lossAndGradient(into:)``; ``select(batch:)``
    /// throws it at once.
    public func selectBatch(_ index: Int) {
        do { try select(batch: index) } catch {
            // `select(batch:)` stored the error; the next evaluation throws it.
        }
    }

    /// ``selectBatch(_:)`` that throws the ``BatchEncodingError`` immediately.
    public func select(batch index: Int) throws {
        current = []
        selectionError = nil
        do {
            if index >= 0 {
                current = [try encoder.encode(examples(ofBatch: index))]
            } else {
                var chunks: [PromptEncoder.Encoded] = []
                var start = 0
                while start < evaluationExamples.count {
                    chunks.append(try encoder.encode(Array(evaluationExamples[start..<min(start + batchSize, evaluationExamples.count)])))
                    start += batchSize
                }
                current = chunks
            }
        } catch {
            let failure = BatchEncodingError(batch: index, cause: error)
            selectionError = failure
            throw failure
        }
    }

    /// Scores of the current batch (one inference pass per chunk).
    public func currentScores() throws -> PromptScores {
        if let selectionError { throw selectionError }
        guard !current.isEmpty else { throw ModelError.invalidBatch("no batch selected (call selectBatch(_:) first; an empty evaluation set selects nothing)") }
        var all = PromptScores(scores: [], labels: [])
        for chunk in current {
            all = all + (try PromptScorer.scores(model: model, encoded: chunk))
            inferencePasses += 1
        }
        return all
    }

    func value(of scores: PromptScores) -> Double {
        switch lossKind {
        case .crossEntropy: return scores.crossEntropy
        case .accuracy: return 1 - scores.accuracy
        case .f1: return 1 - scores.macroF1(classes: encoder.task.classCount)
        }
    }

    public func loss() throws -> Double {
        let scores = try currentScores()
        let v = value(of: scores)
        // A NaN score makes the accuracy objective look finite; check the scores themselves.
        guard v.isFinite, scores.scores.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw ObjectiveError.nonFiniteLoss(v.isFinite ? .nan : v)
        }
        return v
    }

    public func lossAndGradient(into gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        guard lossKind == .crossEntropy else { throw ObjectiveError.unavailable("gradient of the \(lossKind.rawValue) objective") }
        if let selectionError { throw selectionError }
        guard current.count == 1, let encoded = current.first else {
            throw ModelError.invalidBatch("gradients are computed on training batches only")
        }
        let scores = try currentScores()
        let value = scores.crossEntropy
        guard value.isFinite else { throw ObjectiveError.nonFiniteLoss(value) }
        let p = scores.probabilities
        let B = encoded.examples, K = encoded.classes, T = encoded.batch.length
        // Row coefficients c (per position of each row): gold rows (1 − p_y)/n_y, others p_k/n_k.
        var goldRows: [Int] = [], otherRows: [Int] = []
        var goldCoefficient: [Float] = [], otherCoefficient: [Float] = []
        for i in 0..<B {
            for k in 0..<K {
                let row = encoded.row(example: i, class: k)
                let n = (0..<T).filter { encoded.batch.targets[row * T + $0] >= 0 }.count
                if k == encoded.labels[i] {
                    goldRows.append(row); goldCoefficient.append(Float((1 - p[i][k]) / Double(max(n, 1))))
                } else {
                    otherRows.append(row); otherCoefficient.append(Float(p[i][k] / Double(max(n, 1))))
                }
            }
        }
        gradient.update(repeating: 0)
        let scratch = Slab<Float>(count: gradient.count)
        for (rows, coefficients, sign) in [(goldRows, goldCoefficient, Float(1)), (otherRows, otherCoefficient, Float(-1))] {
            guard !rows.isEmpty else { continue }
            var tokens: [Int32] = [], targets: [Int32] = [], weights: [Float] = []
            var total = 0.0
            for (row, c) in zip(rows, coefficients) {
                tokens += encoded.batch.tokens[(row * T)..<((row + 1) * T)]
                let rowTargets = encoded.batch.targets[(row * T)..<((row + 1) * T)]
                targets += rowTargets
                for t in rowTargets {
                    weights.append(t >= 0 ? c : 0)
                    if t >= 0 { total += Double(c) }
                }
            }
            guard total > 0 else { continue }   // every p exactly 0 or 1: this part contributes nothing
            let batch = try TokenBatch(batchSize: rows.count, length: T, tokens: tokens, targets: targets, weights: weights)
            _ = try model.lossAndGradient(batch, into: scratch.buffer)
            trainingPasses += 1
            // Σ w ∇nll = total · ∇(Σ w nll / Σ w); divide by B for the batch mean.
            let scale = sign * Float(total / Double(B))
            for j in 0..<gradient.count { gradient[j] += scale * scratch[j] }
        }
        return value
    }
}

/// A batch that could not be encoded into token sequences (e.g. the tokenizer refused an
/// example's text). `cause` is the encoder's or tokenizer's error, unchanged.
public struct BatchEncodingError: Error, CustomStringConvertible {
    /// The batch index; negative for the evaluation set.
    public let batch: Int
    public let cause: any Error

    public init(batch: Int, cause: any Error) {
        self.batch = batch
        self.cause = cause
    }

    public var description: String {
        (batch >= 0 ? "training batch \(batch)" : "the evaluation set") + " could not be encoded: \(cause)"
    }
}
