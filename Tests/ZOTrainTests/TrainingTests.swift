import Foundation
import Testing
import ZOCore
import ZOModel
import ZOOptim
@testable import ZOTrain

@Suite("Checkpoints, resume, divergence, interrupts", .serialized)
struct TrainingTests {
    @Test func checkpointRoundTripIsExact() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try GPTModel(config: Fixture.tinyConfig, seed: 2)
        let state = OptimizerState<Float>(buffers: ["m": [1.5, -0, .leastNonzeroMagnitude], "empty": []],
                                          vectors: ["w": [0.1, -.infinity, 1e-300]], integers: ["t": 7])
        var trainer = TrainerState()
        trainer.nextStep = 5
        trainer.curve = [.init(step: 2, loss: 0.1 + 0.2)]
        let url = dir.appendingPathComponent("c.safetensors")
        try TrainingCheckpoint.save(to: url, kind: "finetune", configJSON: "{\"a\":1}", baseFingerprint: "f",
                                    trainable: model.trainable, optimizer: state, trainer: trainer)
        let other = try GPTModel(config: Fixture.tinyConfig, seed: 99)
        let loaded = try TrainingCheckpoint.load(from: url, kind: "finetune", configJSON: "{\"a\":1}", baseFingerprint: "f", into: other.trainable)
        #expect(other.trainable.snapshot().map(\.bitPattern) == model.trainable.snapshot().map(\.bitPattern))
        #expect(loaded.optimizer.buffers["m"]!.map(\.bitPattern) == state.buffers["m"]!.map(\.bitPattern))
        #expect(loaded.optimizer.buffers["empty"] == [])
        #expect(loaded.optimizer.vectors["w"]!.map(\.bitPattern) == state.vectors["w"]!.map(\.bitPattern))
        #expect(loaded.optimizer.integers == ["t": 7] && loaded.trainer == trainer)
        // A different configuration or kind is refused with the differing key named.
        do {
            _ = try TrainingCheckpoint.load(from: url, kind: "finetune", configJSON: "{\"a\":2}", baseFingerprint: "f", into: other.trainable)
            Issue.record("accepted a different configuration")
        } catch TrainError.configurationMismatch(_, let differences) {
            #expect(differences == ["a: checkpoint 1, now 2"])
        }
        #expect(throws: TrainError.self) {
            _ = try TrainingCheckpoint.load(from: url, kind: "pretrain", configJSON: "{\"a\":1}", baseFingerprint: "f", into: other.trainable)
        }
    }

    /// Runs `config` to the end without interruption, and again interrupted (SIGINT simulated
    /// after the first checkpoint) then resumed; the final weights and metrics must be equal.
    func resumeIsBitIdentical(_ config: FineTuneConfig, _ dir: URL) throws {
        let straight = dir.appendingPathComponent("straight-\(config.optimizer)")
        _ = try FineTuner(config: config, directory: straight).run(resume: false)

        let broken = dir.appendingPathComponent("broken-\(config.optimizer)")
        let first = try FineTuner(config: config, directory: broken)
        first.loop.afterCheckpoint = { _ in InterruptMonitor.simulate(SIGINT) }
        do {
            _ = try first.run(resume: false)
            Issue.record("\(config.optimizer): the interrupt was ignored")
        } catch TrainError.interrupted(let signal, let step, _) {
            #expect(signal == SIGINT && step == config.checkpointEvery)
        }
        InterruptMonitor.reset()
        let second = try FineTuner(config: config, directory: broken)   // a fresh process's view
        let summary = try second.run(resume: true)
        #expect(summary.steps == config.steps)
        for file in ["final.safetensors", "metrics.jsonl", "checkpoint.safetensors", "best.safetensors"] {
            #expect(try Fixture.bytes(straight.appendingPathComponent(file)) == Fixture.bytes(broken.appendingPathComponent(file)),
                    "\(config.optimizer): \(file) differs after resume")
        }
        let a = try RunSummary.read(straight.appendingPathComponent("summary.json"))
        #expect(a.evaluations == summary.evaluations && a.curve == summary.curve && a.test == summary.test)
        #expect(a.selected != nil && a.selected == summary.selected)
    }

    /// The dev set selects the checkpoint: the best dev evaluation after step 0 (earliest on
    /// ties), its weights in best.safetensors, scored on dev (equal to the logged value) and test;
    /// the model holds the final weights afterwards, and step 0 records the zero-shot test accuracy.
    @Test func devSelectionPicksTheBestEvaluationAfterStepZero() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        var c = Fixture.config(dir, optimizer: "mezo", options: ["lr": "0.05"], steps: 12)
        c.evalEvery = 2
        let tuner = try FineTuner(config: c, directory: dir.appendingPathComponent("run"))
        let summary = try tuner.run(resume: false)
        let later = summary.evaluations.filter { $0.step > 0 }
        #expect(later.count == 6)
        let bestValue = later.map { $0.metrics["dev_accuracy"]! }.max()!
        let expected = later.first { $0.metrics["dev_accuracy"]! == bestValue }!
        let selected = try #require(summary.selected)
        #expect(selected.step == expected.step && selected.forwardPasses == expected.forwardPasses)
        #expect(selected.dev.accuracy == bestValue)
        #expect(summary.zeroShotTestAccuracy != nil)
        // The model holds the final weights; best.safetensors re-scores to the selected figures.
        let final = tuner.model.trainable.snapshot()
        #expect(try tuner.scores(tuner.test).correct == summary.test.correct)
        try tuner.loop.loadBest()
        #expect(try tuner.scores(tuner.test).correct == selected.test.correct)
        #expect(try tuner.scores(tuner.dev).correct == selected.dev.correct)
        if selected.step == summary.steps { #expect(tuner.model.trainable.snapshot() == final) }
    }

    @Test(arguments: [
        ("mezo", [:]), ("hizoo", ["alpha": "0.01"]), ("hizoo-l", [:]), ("sparse-mezo", [:]), ("subzero", ["rank": "2", "period": "3"]),
        ("b-pdf", ["active-blocks": "2", "switch-interval": "2"]), ("zo-adam", [:]), ("sgd", ["momentum": "0.9"]), ("adam", [:]),
    ] as [(String, [String: String])])
    func resumeContinuesBitIdentically(method: String, options: [String: String]) throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        try resumeIsBitIdentical(Fixture.config(dir, optimizer: method, options: options), dir)
    }

    @Test func resumeInAdapterModes() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        try resumeIsBitIdentical(Fixture.config(dir, optimizer: "mezo", mode: "lora"), dir)
        var prefix = Fixture.config(dir, optimizer: "hizoo", mode: "prefix", task: "rte")
        prefix.prefixTokens = 3
        try resumeIsBitIdentical(prefix, dir)
    }

    @Test func resumeRefusesADifferentConfiguration() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let run = dir.appendingPathComponent("run")
        _ = try FineTuner(config: Fixture.config(dir), directory: run).run(resume: false)
        var changed = Fixture.config(dir)
        changed.seed = 2
        #expect(throws: TrainError.self) { _ = try FineTuner(config: changed, directory: run).run(resume: true) }
        // And a new run does not silently overwrite a checkpoint.
        #expect(throws: TrainError.runExists(path: run.path)) { _ = try FineTuner(config: Fixture.config(dir), directory: run).run(resume: false) }
    }

    @Test func divergenceStopsAndKeepsTheLastGoodCheckpoint() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let run = dir.appendingPathComponent("run")
        let tuner = try FineTuner(config: Fixture.config(dir, steps: 10), directory: run)
        var good: Data?
        tuner.loop.afterCheckpoint = { step in
            good = try Data(contentsOf: tuner.loop.checkpointURL)
            tuner.model.trainable.buffer[17] = .nan   // poison the weights after the first checkpoint
        }
        do {
            _ = try tuner.run(resume: false)
            Issue.record("a NaN weight did not stop the run")
        } catch TrainError.diverged(let step, let reason, let checkpoint, let checkpointStep) {
            #expect(step == 2 && checkpointStep == 2 && checkpoint == tuner.loop.checkpointURL.path, "\(reason)")
            #expect(TrainError.diverged(step: step, reason: reason, checkpoint: checkpoint, checkpointStep: checkpointStep)
                .description.contains("last good checkpoint (step 2)"))
        }
        #expect(try Data(contentsOf: tuner.loop.checkpointURL) == good)
        let metrics = try String(contentsOf: tuner.loop.metricsURL, encoding: .utf8)
        #expect(metrics.contains("\"diverged\""))
        // Resuming from the kept checkpoint works.
        let again = try FineTuner(config: Fixture.config(dir, steps: 10), directory: run)
        #expect(try again.run(resume: true).steps == 10)
    }

    @Test func divergenceBeforeAnyCheckpointSaysSo() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        let tuner = try FineTuner(config: Fixture.config(dir, optimizer: "mezo", options: ["lr": "1e30"], steps: 4), directory: dir.appendingPathComponent("run"))
        do {
            _ = try tuner.run(resume: false)
            Issue.record("lr 1e30 did not diverge")
        } catch let e as TrainError {
            guard case .diverged(_, _, let checkpoint, _) = e else { Issue.record("\(e)"); return }
            #expect(checkpoint == nil && e.description.contains("no checkpoint"))
        }
    }

    @Test func summaryReportsAccuracyIntervalsMemoryAndTargets() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        var c = Fixture.config(dir, optimizer: "adam", options: ["lr": "1e-2"])
        c.targetAccuracy = 0
        let s = try FineTuner(config: c, directory: dir.appendingPathComponent("run")).run(resume: false)
        #expect(s.dev.total == 8 && s.test.total == 8 && s.dev.lower <= s.dev.accuracy && s.dev.accuracy <= s.dev.upper)
        #expect(s.stepsToTarget == 0 && s.forwardsToTarget == 0 && s.zeroShotDevAccuracy != nil)
        #expect(s.forwardPasses == 6 && s.backwardPasses == 6)
        #expect(s.trainingMemory.ledgerBytes > s.inferenceMemory.ledgerBytes)   // Adam: moments + gradients + activations
        #expect(s.optimizerStateBytes == 2 * 4 * s.trainableParameters)
        #expect(s.evaluations.map(\.step) == [0, 3, 6] && s.curve.map(\.step) == [2, 4, 6])
    }

    @Test func firstOrderMethodsRefuseNonDifferentiableObjectives() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.prepare(dir)
        var c = Fixture.config(dir, optimizer: "adam")
        c.objective = "accuracy"
        #expect(throws: TrainError.self) { _ = try FineTuner(config: c, directory: dir.appendingPathComponent("run")) }
        c.optimizer = "hizoo"
        _ = try FineTuner(config: c, directory: dir.appendingPathComponent("run")).run(resume: false)
    }

    @Test func unknownAndMistypedSettingsAreRefused() throws {
        var c = FineTuneConfig()
        #expect(throws: TrainError.unknownSetting("step", suggestion: "steps", known: FineTuneConfig.keys.map(\.name))) {
            try ConfigOverrides.apply([("step", "5")], to: &c, keys: FineTuneConfig.keys)
        }
        #expect(throws: TrainError.self) { try ConfigOverrides.apply([("steps", "five")], to: &c, keys: FineTuneConfig.keys) }
        #expect(throws: TrainError.self) { try ConfigOverrides.apply([("mode", "qlora")], to: &c, keys: FineTuneConfig.keys) }
        #expect(throws: TrainError.self) { try ConfigOverrides.parse(["steps=1", "steps=2"]) }
        try ConfigOverrides.apply([("batch-size", "8"), ("target_accuracy", "0.9")], to: &c, keys: FineTuneConfig.keys)
        #expect(c.batchSize == 8 && c.targetAccuracy == 0.9)
        var p = PretrainConfig()
        #expect(throws: TrainError.self) { try ConfigOverrides.apply([("widht", "64")], to: &p, keys: PretrainConfig.keys) }
    }
}
