import Foundation
import Testing
import ZOCore
import ZOModel
import ZOOptim
@testable import ZOTrain

/// Every registered optimizer fine-tunes the transformer through the trainer — two steps of
/// `FineTuner` in full, LoRA and prefix mode with the optimizer's own defaults, on a narrow
/// model with the committed model's block structure (4 layers, 5 prefix tokens) — or is refused
/// before anything runs with an error that says why and what to change.
@Suite("Every optimizer through the trainer")
struct EveryOptimizerTests {
    /// The combinations refused, with a phrase the refusal must contain: the Newton oracles
    /// (the transformer has no exact Hessian) and SubZero's default rank 8 on 5-token prefixes.
    static func refusal(_ name: String, mode: String) -> String? {
        switch (name, mode) {
        case ("newton", _), ("diag-newton", _): return "needs the exact Hessian"
        case ("subzero", "prefix"): return "set cap-rank=true"
        default: return nil
        }
    }

    @Test(arguments: ["full", "lora", "prefix"])
    func everyRegisteredOptimizerRunsTwoSteps(mode: String) throws {
        let dir = Fixture.temporaryDirectory("every-optimizer")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let config = GPTConfig(vocabularySize: 256, contextLength: 128, width: 16, depth: 4, heads: 2)
        try GPTCheckpoint.save(try GPTModel(config: config, seed: 11), to: dir.appendingPathComponent("base.safetensors"))
        #expect(OptimizerRegistry.names.count >= 19)
        for name in OptimizerRegistry.names {
            var c = Fixture.config(dir, optimizer: name, steps: 2, mode: mode)
            c.evalEvery = 2
            c.checkpointEvery = 0
            c.devExamples = 4
            c.testExamples = 4
            c.prefixTokens = 5
            let run = dir.appendingPathComponent("\(name)-\(mode)")
            if let phrase = Self.refusal(name, mode: mode) {
                do {
                    _ = try FineTuner(config: c, directory: run)
                    Issue.record("\(name) (\(mode)) was accepted")
                } catch {
                    #expect("\(error)".contains(name) && "\(error)".contains(phrase), "\(name) (\(mode)): \(error)")
                }
                #expect(!FileManager.default.fileExists(atPath: run.path), "\(name) (\(mode)) wrote a run before refusing")
                continue
            }
            do {
                let tuner = try FineTuner(config: c, directory: run)
                var reports: [StepReport] = []
                tuner.loop.afterStep = { reports.append($0) }
                let summary = try tuner.run(resume: false)
                #expect(summary.steps == 2 && reports.map(\.step) == [0, 1], "\(name) (\(mode))")
                #expect(reports.allSatisfy { $0.loss.isFinite && $0.losses.allSatisfy(\.isFinite) }, "\(name) (\(mode)): \(reports.map(\.losses))")
                #expect(reports.allSatisfy { $0.forwardPasses + $0.backwardPasses > 0 }, "\(name) (\(mode))")
                #expect(tuner.model.trainable.isFinite, "\(name) (\(mode)): non-finite weights")
                #expect(summary.dev.total == 4 && summary.test.total == 4)
            } catch {
                Issue.record("\(name) (\(mode)): \(error)")
            }
        }
    }

    /// The loop's own refusal, for a Hessian method that reaches it without `FineTuner`: a
    /// ``TrainError/unsupported(_:)`` at step 0, not the optimizer's internal error.
    @Test func theLoopRefusesAMethodThatNeedsAHessian() throws {
        let dir = Fixture.temporaryDirectory("every-optimizer")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let tuner = try FineTuner(config: Fixture.config(dir, steps: 2), directory: dir.appendingPathComponent("run"))
        let newton = try OptimizerRegistry.make("newton", parameters: tuner.model.trainable)
        let loop = TrainingLoop(objective: tuner.objective, optimizer: newton, settings: tuner.loop.settings,
                                directory: dir.appendingPathComponent("loop"))
        try FileManager.default.createDirectory(at: loop.directory, withIntermediateDirectories: true)
        do {
            _ = try loop.run(resume: false)
            Issue.record("newton ran on the transformer")
        } catch TrainError.unsupported(let why) {
            #expect(why.contains("newton needs the exact Hessian"), "\(why)")
        }
    }
}
