import Foundation
import Testing
@testable import ZOTrain
import ZOModel
import ZOOptim

@Suite("Comparison aggregation, table and ordering claims")
struct ComparisonTests {
    func summary(_ method: String, seed: UInt64, test: Int, dev: Int = 400, zeroShot: Double = 0.66, target: Int? = nil,
                 trainingRSS: Int = 60 << 20) -> RunSummary {
        var c = FineTuneConfig()
        c.optimizer = method
        c.seed = seed
        return RunSummary(config: c, trainableParameters: 100, steps: 10, forwardPasses: 20, backwardPasses: 0, trainSeconds: 2,
                          zeroShotDevAccuracy: zeroShot, dev: AccuracyReport(correct: dev, total: 500),
                          test: AccuracyReport(correct: test, total: 1000), majorityDev: 0.5, majorityTest: 0.519,
                          stepsToTarget: target, forwardsToTarget: target.map { 2 * $0 },
                          inferenceMemory: MemoryPeak(ledgerBytes: 1 << 20, residentBytes: 50 << 20),
                          trainingMemory: MemoryPeak(ledgerBytes: 2 << 20, residentBytes: trainingRSS),
                          optimizerStateBytes: 8, peakOptimizerStateBytes: 8, curve: [.init(step: 10, loss: 0.5)],
                          evaluations: [.init(step: 0, forwardPasses: 0, metrics: ["dev_accuracy": zeroShot])], truncatedPrompts: 0)
    }

    @Test func aggregatesMeansIntervalsAndMargins() throws {
        let a = MethodAggregate(method: "hizoo", runs: [summary("hizoo", seed: 2, test: 700, target: 100), summary("hizoo", seed: 1, test: 600),
                                                         summary("hizoo", seed: 3, test: 650, target: 300)])
        #expect(a.runs.map(\.config.seed) == [1, 2, 3])
        #expect(abs(a.test.mean - 0.65) < 1e-12 && abs(a.test.std - 0.05) < 1e-12)
        let ci = try #require(a.test.interval)
        #expect(abs(ci.lower - (0.65 - 4.302652729911275 * 0.05 / 3.0.squareRoot())) < 1e-9)   // t_{2, 0.975}
        #expect(abs(a.margin.mean - (0.65 - 0.519)) < 1e-12)
        #expect(a.reachedTarget == 2 && a.stepsToTarget == 200 && a.forwardsToTarget == 400)
        #expect(abs(a.gain.mean - (0.8 - 0.66)) < 1e-12)
    }

    @Test func orderingClaimsArePairedBySeed() throws {
        let mezo = MethodAggregate(method: "mezo", runs: (1...3).map { summary("mezo", seed: UInt64($0), test: 600) })
        let hizoo = MethodAggregate(method: "hizoo", runs: [summary("hizoo", seed: 1, test: 610), summary("hizoo", seed: 2, test: 590),
                                                            summary("hizoo", seed: 3, test: 650)])
        let v = try #require(OrderingClaim.all.first { $0.better == "hizoo" && $0.worse == "mezo" }!.verdict([mezo, hizoo]))
        #expect(v.seedsHolding == 2 && v.seedsCompared == 3 && v.holdsOnMean)
        #expect(abs(v.difference.mean - 0.05 / 3) < 1e-12)
        #expect(OrderingClaim.all.first { $0.better == "subzero" }!.verdict([mezo, hizoo]) == nil)   // a method is missing
    }

    /// Dev-selected checkpoints: margins over majority and over the zero-shot test accuracy,
    /// their own table and claims (paired by seed, on the selected test accuracy).
    @Test func selectedCheckpointsAggregateAndReport() throws {
        func selectedRun(_ method: String, seed: UInt64, test: Int, selectedTest: Int) -> RunSummary {
            var r = summary(method, seed: seed, test: test)
            r.evaluations[0].metrics["test_accuracy"] = 0.62
            r.selected = .init(step: 4, forwardPasses: 8, dev: AccuracyReport(correct: 350, total: 500),
                               test: AccuracyReport(correct: selectedTest, total: 1000))
            return r
        }
        let mezo = MethodAggregate(method: "mezo", runs: (1...3).map { selectedRun("mezo", seed: UInt64($0), test: 500, selectedTest: 640) })
        let hizoo = MethodAggregate(method: "hizoo", runs: (1...3).map { selectedRun("hizoo", seed: UInt64($0), test: 600, selectedTest: 630) })
        #expect(abs(mezo.selectedTest.mean - 0.64) < 1e-12 && abs(mezo.selectedMargin.mean - (0.64 - 0.519)) < 1e-12)
        #expect(abs(mezo.selectedGain.mean - 0.02) < 1e-12)
        let claim = OrderingClaim.all.first { $0.better == "hizoo" && $0.worse == "mezo" }!
        #expect(claim.verdict([mezo, hizoo])!.seedsHolding == 3)                                           // final: 60 > 50
        #expect(claim.verdict([mezo, hizoo], measure: { $0.selected?.test.accuracy })!.seedsHolding == 0)   // selected: 63 < 64
        let report = ComparisonReport(aggregates: [mezo, hizoo], command: "zolab compare", totalSeconds: 60)
        #expect(report.markdown.contains("## Dev-selected checkpoints"))
        #expect(report.markdownSelectedTable.contains("| mezo | s1: 4, s2: 4, s3: 4 | 70.0 ± 0.0 | 64.0 ± 0.0 |"))
        #expect(report.csv.split(separator: "\n")[1].hasSuffix(",0.62,4,0.7,0.64,\(mezo.runs[0].selected!.test.lower),\(mezo.runs[0].selected!.test.upper)"))
    }

    /// Memory columns: mean and [min–max] over seeds where the seeds differ, one value where
    /// they agree; the headers say which aggregate each column shows.
    @Test func memoryColumnsShowMeanAndRangeOverSeeds() throws {
        let runs = [70, 90, 80].enumerated().map { summary("mezo", seed: UInt64($0.offset + 1), test: 600, trainingRSS: $0.element << 20) }
        let a = MethodAggregate(method: "mezo", runs: runs)
        #expect(a.trainingRSS == MethodAggregate.Spread([70 << 20, 90 << 20, 80 << 20]))
        #expect(a.trainingRSS?.mean == Double(80 << 20) && a.trainingRSS?.min == 70 << 20 && a.trainingRSS?.max == 90 << 20)
        #expect(MethodAggregate.Spread([]) == nil)
        let table = ComparisonReport(aggregates: [a], command: "zolab compare", totalSeconds: 1).markdownTable
        let lines = table.split(separator: "\n")
        #expect(lines[0].contains("| training peak RSS MiB (mean [min–max] over seeds) | inference peak RSS MiB (mean [min–max] over seeds) |"))
        #expect(lines[0].contains("dev acc % (mean ± sample std over seeds)") && lines[0].contains("training-loop s per run (mean over seeds)"))
        #expect(lines[0].split(separator: "|").count == lines[1].split(separator: "|").count)
        // RSS differs by seed (a range); inference RSS, slabs and state agree (one value).
        #expect(lines[2].hasSuffix("| 80.0 [70.0–90.0] | 50.0 | 2.0 / 1.0 | 8 B |"), "\(lines[2])")
        #expect(lines[2].split(separator: "|").count == lines[0].split(separator: "|").count)
    }

    @Test func tableAndCSVListEveryRun() {
        let report = ComparisonReport(aggregates: [MethodAggregate(method: "mezo", runs: [summary("mezo", seed: 1, test: 600)],
                                                                   failures: [(2, "exit 3: diverged")])],
                                      command: "zolab compare --quick", totalSeconds: 90)
        #expect(report.markdown.contains("| mezo (failed: s2) | 100 | 80.0 ± – | +14.0 – | 60.0 ± – |"))
        #expect(report.markdown.contains("`zolab compare --quick` (1.5 min total, training loops 0.0 min)"))
        #expect(report.markdown.contains("Zero-shot (the pre-trained model before fine-tuning): dev 66.0 %"))
        let csv = report.csv.split(separator: "\n")
        #expect(csv.count == 2 && csv[1].hasPrefix("mezo,1,full,sst2,10,20,0,2.00,0.66,0.8,"))
    }
}

@Suite("Documented per-method defaults")
struct MethodDefaultsTests {
    /// Every documented setting is accepted by its optimizer on the model it is meant for
    /// (full model; LoRA rank 8 adapters), so a typo in MethodDefaults fails here, not mid-compare.
    @Test(arguments: ["full", "lora"])
    func everyDocumentedSettingBuildsItsOptimizer(_ mode: String) throws {
        let table = mode == "full" ? MethodDefaults.full : MethodDefaults.lora
        #expect(Set(table.keys) == Set(["mezo", "hizoo", "hizoo-l", "sparse-mezo", "subzero", "b-pdf", "zo-adam", "sgd", "adam"]))
        let model = try GPTModel(config: GPTConfig(vocabularySize: 256, contextLength: 32, width: 16, depth: 2, heads: 2),
                                 mode: mode == "full" ? .full : .lora(rank: 8, alpha: 16), seed: 1)
        for (method, options) in table {
            #expect(MethodDefaults.options(for: method, mode: mode) == options)
            _ = try OptimizerRegistry.make(method, options: options, parameters: model.trainable)
        }
        #expect(MethodDefaults.options(for: "mezo", mode: "prefix").isEmpty)   // prefix: untuned, optimizer defaults
        #expect(MethodDefaults.steps(for: "adam", mode: mode) == MethodDefaults.firstOrderSteps)
        #expect(MethodDefaults.steps(for: "mezo", mode: mode) == (mode == "full" ? 600 : 1500))
    }

    /// Prefix mode: every method builds on 5-token prefixes with its prefix defaults — SubZero
    /// only because its rank is capped there (rank 8 > P = 5 is refused otherwise).
    @Test func everyMethodBuildsOnPrefixesWithItsPrefixDefaults() throws {
        let model = try GPTModel(config: GPTConfig(vocabularySize: 256, contextLength: 32, width: 16, depth: 4, heads: 2),
                                 mode: .prefix(tokens: 5), seed: 1)   // the committed model's 4 layers (b-pdf's k = 4)
        for method in MethodDefaults.full.keys {
            _ = try OptimizerRegistry.make(method, options: MethodDefaults.options(for: method, mode: "prefix"), parameters: model.trainable)
        }
        #expect(throws: (any Error).self) { try OptimizerRegistry.make("subzero", parameters: model.trainable) }
    }
}
