import Foundation
import ZOStats

/// One method's runs over seeds, aggregated: mean ± sample std and 95 % t-intervals over
/// seeds, the margin over the majority baseline, targets, time and memory.
public struct MethodAggregate: Sendable {
    public let method: String
    public let runs: [RunSummary]
    /// Seeds whose run failed (diverged or crashed), with the reason.
    public let failures: [(seed: UInt64, reason: String)]

    public init(method: String, runs: [RunSummary], failures: [(seed: UInt64, reason: String)] = []) {
        self.method = method
        self.runs = runs.sorted { $0.config.seed < $1.config.seed }
        self.failures = failures
    }

    public struct Statistic: Sendable {
        public var mean: Double
        public var std: Double
        /// 95 % t-interval over seeds (nil with fewer than two runs).
        public var interval: ConfidenceInterval?

        public init(_ values: [Double]) {
            let m = RunningMoments(values)
            mean = values.isEmpty ? .nan : m.mean
            std = values.count > 1 ? m.standardDeviation : .nan
            interval = values.count > 1 ? try? ConfidenceInterval.mean(m) : nil
        }
    }

    public var dev: Statistic { Statistic(runs.map(\.dev.accuracy)) }
    public var test: Statistic { Statistic(runs.map(\.test.accuracy)) }
    public var zeroShot: Statistic { Statistic(runs.compactMap(\.zeroShotDevAccuracy)) }
    /// Dev accuracy minus the zero-shot dev accuracy, per seed: what fine-tuning added.
    public var gain: Statistic { Statistic(runs.compactMap { r in r.zeroShotDevAccuracy.map { r.dev.accuracy - $0 } }) }
    /// Test accuracy minus the majority baseline, per seed.
    public var margin: Statistic { Statistic(runs.map { $0.test.accuracy - $0.majorityTest }) }
    public var majorityTest: Double { runs.first?.majorityTest ?? .nan }

    /// The dev-selected checkpoints (``RunSummary/selected``) of the runs that have one.
    public var selectedRuns: [(run: RunSummary, selected: RunSummary.SelectedCheckpoint)] {
        runs.compactMap { r in r.selected.map { (r, $0) } }
    }
    public var selectedDev: Statistic { Statistic(selectedRuns.map(\.selected.dev.accuracy)) }
    public var selectedTest: Statistic { Statistic(selectedRuns.map(\.selected.test.accuracy)) }
    /// Selected checkpoint's test accuracy minus the majority baseline, per seed.
    public var selectedMargin: Statistic { Statistic(selectedRuns.map { $0.selected.test.accuracy - $0.run.majorityTest }) }
    /// Selected checkpoint's test accuracy minus the zero-shot test accuracy, per seed: what
    /// fine-tuning added on data the selection never saw.
    public var selectedGain: Statistic {
        Statistic(selectedRuns.compactMap { p in p.run.zeroShotTestAccuracy.map { p.selected.test.accuracy - $0 } })
    }

    /// Runs that reached the target, and the mean steps / forward passes over those.
    public var reachedTarget: Int { runs.filter { $0.stepsToTarget != nil }.count }
    public var stepsToTarget: Double? { meanOf(runs.compactMap { $0.stepsToTarget.map(Double.init) }) }
    public var forwardsToTarget: Double? { meanOf(runs.compactMap { $0.forwardsToTarget.map(Double.init) }) }

    public var seconds: Double { meanOf(runs.map(\.trainSeconds)) ?? .nan }
    public var steps: Int { runs.first?.steps ?? 0 }
    public var forwardPasses: Int { runs.first?.forwardPasses ?? 0 }
    public var backwardPasses: Int { runs.first?.backwardPasses ?? 0 }
    public var trainableParameters: Int { runs.first?.trainableParameters ?? 0 }
    /// Peak memory and optimizer state per seed (each run measured in its own process), as
    /// mean and range over the seeds: peak RSS varies between seeds of one method (freed heap
    /// pages the allocator keeps), slab peaks and state do not.
    public var trainingRSS: Spread? { Spread(runs.compactMap(\.trainingMemory.residentBytes)) }
    public var inferenceRSS: Spread? { Spread(runs.compactMap(\.inferenceMemory.residentBytes)) }
    public var trainingLedger: Spread? { Spread(runs.map(\.trainingMemory.ledgerBytes)) }
    public var inferenceLedger: Spread? { Spread(runs.map(\.inferenceMemory.ledgerBytes)) }
    public var stateBytes: Spread? { Spread(runs.map(\.peakOptimizerStateBytes)) }

    /// Mean, smallest and largest of a per-seed byte count.
    public struct Spread: Sendable, Equatable {
        public var mean: Double
        public var min: Int
        public var max: Int

        /// nil for no values.
        public init?(_ values: [Int]) {
            guard let lo = values.min(), let hi = values.max() else { return nil }
            mean = Double(values.reduce(0, +)) / Double(values.count)
            min = lo
            max = hi
        }
    }

    func meanOf(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
}
