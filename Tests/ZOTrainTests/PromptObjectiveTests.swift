import Foundation
import Testing
import ZOCore
import ZOModel
import ZOOptim
@testable import ZOTrain

@Suite("Prompt scoring and the classification objectives")
struct PromptObjectiveTests {
    let model = try! GPTModel(config: Fixture.tinyConfig, seed: 3)
    let examples = [
        LabeledExample(fields: ["sentence": "a charming film ."], label: 1),
        LabeledExample(fields: ["sentence": "the plot is not dull , but the cast is weak ."], label: 0),
        LabeledExample(fields: ["sentence": "dull ."], label: 0),
    ]

    func encoder() throws -> PromptEncoder {
        try PromptEncoder(task: .sst2, tokenizer: try ByteTokenizer(), contextLength: 128, examples: examples)
    }

    @Test func scoresEqualAHandComputationFromLogProbabilities() throws {
        let enc = try encoder()
        let scores = try PromptScorer(encoder: enc).scores(model: model, examples: examples, chunk: 2)
        let bytes = try ByteTokenizer()
        for (i, e) in examples.enumerated() {
            let prompt = try bytes.encode(PromptTask.sst2.prompt(for: e))
            var hand: [Double] = []
            for word in PromptTask.sst2.labelWords {
                let w = try bytes.encode(word)
                let sequence = prompt + w
                let batch = try TokenBatch.nextToken([sequence])
                let queries = w.indices.map { j in TargetQuery(sequence: 0, position: prompt.count - 1 + j, token: w[j]) }
                let logp = try model.logProbabilities(of: queries, in: batch)
                hand.append(logp.reduce(0, +) / Double(w.count))   // length-normalised
            }
            for k in 0..<2 { #expect(abs(scores.scores[i][k] - hand[k]) < 1e-5, "example \(i) label \(k)") }
            let m = max(hand[0], hand[1])
            let ce = m + log(exp(hand[0] - m) + exp(hand[1] - m)) - hand[e.label]
            #expect(abs(scores.crossEntropies[i] - ce) < 1e-5)
        }
        #expect(scores.labels == [1, 0, 0])
    }

    @Test func paddingAndChunkingDoNotChangeScores() throws {
        let enc = try encoder()
        let wide = try PromptEncoder(task: .sst2, tokenizer: try ByteTokenizer(), contextLength: 128, length: enc.length + 9)
        let a = try PromptScorer(encoder: enc).scores(model: model, examples: examples, chunk: 3)
        let b = try PromptScorer(encoder: wide).scores(model: model, examples: examples, chunk: 1)
        for i in 0..<3 { for k in 0..<2 { #expect(abs(a.scores[i][k] - b.scores[i][k]) < 1e-5) } }
    }

    @Test func longPromptsLoseTokensOnTheLeft() throws {
        let enc = try PromptEncoder(task: .sst2, tokenizer: try ByteTokenizer(), contextLength: 128, length: 20)
        let encoded = try enc.encode([examples[1]])
        #expect(encoded.truncated == 1 && encoded.batch.length == 20)
        // The last input positions still hold "It was" and the label word's targets.
        let targets = encoded.batch.targets[0..<20].filter { $0 >= 0 }
        #expect(targets.count == " terrible".utf8.count)
    }

    @Test func accuracyAndF1() {
        let s = PromptScores(scores: [[0, 1], [2, 1], [0, 3], [1, 1]], labels: [1, 1, 0, 0])
        #expect(s.predictions == [1, 0, 1, 0])
        #expect(s.accuracy == 0.5)
        // class 0: tp 1, fp 1, fn 1 → 0.5; class 1: tp 1, fp 1, fn 1 → 0.5
        #expect(abs(s.macroF1(classes: 2) - 0.5) < 1e-12)
    }

    @Test func crossEntropyGradientMatchesDirectionalDifferences() throws {
        let m = try GPTModel(config: Fixture.tinyConfig, mode: .lora(rank: 2, alpha: 4), seed: 5)
        // Non-zero LoRA B so the gradient is generic.
        var draws = SeededDraws(seed: 1, stream: 1)
        for i in 0..<m.trainable.count { m.trainable.buffer[i] = Float(draws.uniform() - 0.5) * 0.2 }
        let objective = try ClassificationObjective(model: m, encoder: try encoder(), loss: .crossEntropy, train: examples,
                                                    batchSize: 3, seed: 1)
        objective.selectBatch(0)
        var g = [Float](repeating: 0, count: m.trainable.count)
        let value = try g.withUnsafeMutableBufferPointer { try objective.lossAndGradient(into: $0) }
        #expect(abs(value - (try objective.loss())) < 1e-9)
        let theta = m.trainable.snapshot()
        for direction in 0..<3 {
            var v = [Float](repeating: 0, count: theta.count)
            var d = SeededDraws(seed: 9, stream: UInt64(direction))
            for i in v.indices { v[i] = Float(d.uniform() - 0.5) }
            let h: Float = 1e-2
            m.trainable.assign(zip(theta, v).map { $0 + h * $1 })
            let plus = try objective.loss()
            m.trainable.assign(zip(theta, v).map { $0 - h * $1 })
            let minus = try objective.loss()
            m.trainable.assign(theta)
            let numeric = (plus - minus) / Double(2 * h)
            let analytic = zip(g, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(numeric - analytic) <= 2e-2 * max(abs(analytic), 1e-3), "direction \(direction): \(numeric) vs \(analytic)")
        }
    }

    @Test func nonDifferentiableObjectivesAreZeroOrderOnly() throws {
        let objective = try ClassificationObjective(model: model, encoder: try encoder(), loss: .accuracy, train: examples,
                                                    batchSize: 3, seed: 1)
        objective.selectBatch(0)
        let scores = try objective.currentScores()
        #expect(try objective.loss() == 1 - scores.accuracy)
        #expect(!objective.providesGradient)
        var g = [Float](repeating: 0, count: model.trainable.count)
        #expect(throws: ObjectiveError.self) { _ = try g.withUnsafeMutableBufferPointer { try objective.lossAndGradient(into: $0) } }
        // A ZO step runs on it; its two losses are multiples of 1/B.
        let mezo = try OptimizerRegistry.make("mezo", options: ["lr": "1e-2", "eps": "0.5"], parameters: model.trainable)
        let report = try mezo.step(objective, context: StepContext(step: 0, runSeed: 1))
        for l in report.losses { #expect(abs(l * 3 - (l * 3).rounded()) < 1e-9) }
        let f1 = try ClassificationObjective(model: model, encoder: try encoder(), loss: .f1, train: examples, batchSize: 3, seed: 1)
        f1.selectBatch(0)
        #expect(try f1.loss() == 1 - (try f1.currentScores()).macroF1(classes: 2))
    }

    @Test func batchesArePureFunctionsOfSeedAndStep() throws {
        let many = (0..<10).map { LabeledExample(fields: ["sentence": "s\($0) ."], label: $0 % 2, line: $0) }
        let a = try ClassificationObjective(model: model, encoder: try encoder(), loss: .crossEntropy, train: many, batchSize: 4, seed: 2)
        let b = try ClassificationObjective(model: model, encoder: try encoder(), loss: .crossEntropy, train: many, batchSize: 4, seed: 2)
        #expect(a.examples(ofBatch: 7) == b.examples(ofBatch: 7))
        // An epoch (batches covering 10 examples) visits every example once.
        let firstEpoch = (0..<5).flatMap { a.examples(ofBatch: $0) }.prefix(10).map(\.line)
        #expect(Set(firstEpoch).count == 10)
    }

    /// An example the tokenizer refuses: the objective rethrows the tokenizer's own error, with
    /// the batch it belongs to, from every evaluation — not a generic "no batch" message.
    @Test func anEncodingFailureIsRethrownWithItsCause() throws {
        let bad = LabeledExample(fields: ["sentence": "\(RefusingTokenizer.marker) ."], label: 0)
        let encoder = try PromptEncoder(task: .sst2, tokenizer: RefusingTokenizer(), contextLength: 128, length: 64)
        let objective = try ClassificationObjective(model: model, encoder: encoder, loss: .crossEntropy, train: [bad],
                                                    batchSize: 2, seed: 1, evaluationExamples: examples)
        objective.selectBatch(0)
        do {
            _ = try objective.loss()
            Issue.record("an unencodable batch was scored")
        } catch let e as BatchEncodingError {
            #expect(e.batch == 0)
            #expect((e.cause as? RefusingTokenizer.Refused)?.text == "\(RefusingTokenizer.marker) . It was")
            #expect(e.description == "training batch 0 could not be encoded: refused \"\(RefusingTokenizer.marker) . It was\"")
        }
        var g = [Float](repeating: 0, count: model.trainable.count)
        #expect(throws: BatchEncodingError.self) { _ = try g.withUnsafeMutableBufferPointer { try objective.lossAndGradient(into: $0) } }
        #expect(throws: BatchEncodingError.self) { _ = try objective.currentScores() }
        let mezo = try OptimizerRegistry.make("mezo", parameters: model.trainable)
        #expect(throws: BatchEncodingError.self) { _ = try mezo.step(objective, context: StepContext(step: 0, runSeed: 1)) }
        #expect(throws: BatchEncodingError.self) { try objective.select(batch: 1) }
        // A batch that encodes clears the error.
        try objective.select(batch: -1)
        #expect(try objective.loss().isFinite)
        // The evaluation set names itself.
        objective.evaluationExamples = examples + [bad]
        do {
            try objective.select(batch: -1)
            Issue.record("an unencodable evaluation set was selected")
        } catch let e as BatchEncodingError {
            #expect(e.batch == -1 && e.description.hasPrefix("the evaluation set could not be encoded: refused"))
        }
    }
}

/// The byte tokenizer, except that it refuses any text containing ``marker``.
struct RefusingTokenizer: Tokenizer {
    static let marker = "UNENCODABLE"
    struct Refused: Error, CustomStringConvertible {
        let text: String
        var description: String { "refused \"\(text)\"" }
    }
    let bytes = try! ByteTokenizer()
    var vocabularySize: Int { bytes.vocabularySize }

    func encode(_ text: String, allowSpecialTokens: Bool) throws -> [Int] {
        if text.contains(Self.marker) { throw Refused(text: text) }
        return try bytes.encode(text, allowSpecialTokens: allowSpecialTokens)
    }

    func decode(_ ids: [Int]) throws -> String { try bytes.decode(ids) }
}
