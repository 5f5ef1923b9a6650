import Foundation
import ZOStats

/// Accuracy on an evaluated split with its 95 % Wilson interval.
public struct AccuracyReport: Codable, Equatable, Sendable {
    public var correct: Int
    public var total: Int
    public var accuracy: Double
    public var lower: Double
    public var upper: Double

    public init(correct: Int, total: Int) {
        self.correct = correct
        self.total = total
        accuracy = Double(correct) / Double(max(total, 1))
        let ci = try? ConfidenceInterval.wilson(successes: correct, trials: max(total, 1))
        lower = ci?.lower ?? .nan
        upper = ci?.upper ?? .nan
    }
}

/// Everything a fine-tuning run reports (`summary.json`); `zolab compare` aggregates these.
public struct RunSummary: Codable, Sendable {
    public var config: FineTuneConfig
    /// d: trainable parameters.
    public var trainableParameters: Int
    public var steps: Int
    public var forwardPasses: Int
    public var backwardPasses: Int
    /// Wall time of the training loop (this process; a resumed run counts its last segment).
    public var trainSeconds: Double
    public var zeroShotDevAccuracy: Double?
    /// Test accuracy of the pre-trained model (evaluated with step 0's dev evaluation).
    public var zeroShotTestAccuracy: Double? { evaluations.first { $0.step == 0 }?.metrics["test_accuracy"] }
    public var dev: AccuracyReport
    public var test: AccuracyReport
    /// The best constant predictor (most frequent label of the split).
    public var majorityDev: Double
    public var majorityTest: Double
    /// First evaluation with dev accuracy ≥ the target: steps and forward passes by then.
    public var stepsToTarget: Int?
    public var forwardsToTarget: Int?
    /// Peaks of one inference pass on a training batch, and of the training loop.
    public var inferenceMemory: MemoryPeak
    public var trainingMemory: MemoryPeak
    /// Optimizer state at the end, and its largest value in any step.
    public var optimizerStateBytes: Int
    public var peakOptimizerStateBytes: Int
    public var curve: [TrainerState.CurvePoint]
    public var evaluations: [TrainerState.Evaluation]
    /// Examples (train sample, dev, test) whose prompt lost tokens on the left.
    public var truncatedPrompts: Int
    /// The checkpoint the dev set selects (best dev accuracy after step 0, earliest on ties;
    /// `best.safetensors`), scored on dev and test — MeZO's reporting protocol. `dev`/`test`
    /// above are the final weights'. Nil in summaries written before selection existed.
    public var selected: SelectedCheckpoint?

    /// A dev-selected checkpoint and its scores.
    public struct SelectedCheckpoint: Codable, Equatable, Sendable {
        public var step: Int
        public var forwardPasses: Int
        public var dev: AccuracyReport
        public var test: AccuracyReport

        public init(step: Int, forwardPasses: Int, dev: AccuracyReport, test: AccuracyReport) {
            self.step = step
            self.forwardPasses = forwardPasses
            self.dev = dev
            self.test = test
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public static func read(_ url: URL) throws -> RunSummary {
        do { return try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: url)) } catch {
            throw TrainError.invalidSetting("cannot read run summary \(url.path): \(error.localizedDescription)")
        }
    }
}
