import Foundation

/// The comparison table (Markdown and CSV) and the ordering verdicts.
public struct ComparisonReport: Sendable {
    public let aggregates: [MethodAggregate]
    public let command: String
    public let totalSeconds: Double
    /// Runs taken from an earlier invocation (`--reuse`).
    public let reusedRuns: Int

    public init(aggregates: [MethodAggregate], command: String, totalSeconds: Double, reusedRuns: Int = 0) {
        self.aggregates = aggregates
        self.command = command
        self.totalSeconds = totalSeconds
        self.reusedRuns = reusedRuns
    }

    static func pct(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", 100 * x) : "–" }
    static func mib(_ bytes: Double) -> String { String(format: "%.1f", bytes / 1_048_576) }
    /// "mean [min–max]" in MiB, or the single value when every seed rounds to it.
    static func mib(_ s: MethodAggregate.Spread?) -> String {
        guard let s else { return "n/a" }
        let lo = mib(Double(s.min)), hi = mib(Double(s.max))
        return lo == hi ? lo : "\(mib(s.mean)) [\(lo)–\(hi)]"
    }
    /// "mean [min–max]" with ``bytes(_:)``, or the single value when every seed has it.
    static func bytes(_ s: MethodAggregate.Spread?) -> String {
        guard let s else { return "n/a" }
        return s.min == s.max ? bytes(s.min) : "\(bytes(Int(s.mean.rounded()))) [\(bytes(s.min))–\(bytes(s.max))]"
    }
    static func interval(_ s: MethodAggregate.Statistic) -> String {
        guard let ci = s.interval else { return "–" }
        return "[\(pct(ci.lower)), \(pct(ci.upper))]"
    }

    /// What the aggregated columns mean (printed under the table).
    static let columnNote = "Over seeds: t-intervals use the sample std (n − 1) and Student's t; a memory or state cell shows one value when every seed gives it (to the digits shown), else the mean and [smallest–largest]. Each run is its own process, so its peaks are its own."

    /// The Markdown table: accuracy (percent), targets, time, memory; every header names the
    /// aggregate over seeds it shows.
    public var markdownTable: String {
        var rows = ["| method | d (trainable) | dev acc % (mean ± sample std over seeds) | dev − zero-shot dev (pts; mean [95% t-CI] over seeds) | test acc % (mean ± sample std over seeds) | test acc % (95% t-CI over seeds) | test − majority (pts; mean [95% t-CI] over seeds) | test acc % per seed [Wilson 95%] | steps to target (mean over the seeds that reached it; reached/seeds) | forward passes to target (mean over the seeds that reached it) | steps per run | training-loop s per run (mean over seeds) | training peak RSS MiB (mean [min–max] over seeds) | inference peak RSS MiB (mean [min–max] over seeds) | slab peak MiB, training / inference (mean [min–max] over seeds) | optimizer state, peak (mean [min–max] over seeds) |",
                    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for a in aggregates {
            let d = a.dev, t = a.test, m = a.margin, g = a.gain
            let perSeed = a.runs.map { "s\($0.config.seed): \(Self.pct($0.test.accuracy)) [\(Self.pct($0.test.lower)), \(Self.pct($0.test.upper))]" }.joined(separator: "; ")
            let failed = a.failures.isEmpty ? "" : " (failed: " + a.failures.map { "s\($0.seed)" }.joined(separator: ", ") + ")"
            let target = a.stepsToTarget.map { String(format: "%.0f", $0) } ?? "–"
            let forwards = a.forwardsToTarget.map { String(format: "%.0f", $0) } ?? "–"
            let marginText = "\(m.mean.isFinite ? String(format: "%+.1f", 100 * m.mean) : "–") \(Self.interval(m))"
            let gainText = "\(g.mean.isFinite ? String(format: "%+.1f", 100 * g.mean) : "–") \(Self.interval(g))"
            rows.append("| \(a.method)\(failed) | \(a.trainableParameters) | \(Self.pct(d.mean)) ± \(Self.pct(d.std)) | \(gainText) | \(Self.pct(t.mean)) ± \(Self.pct(t.std)) | \(Self.interval(t)) | \(marginText) | \(perSeed) | \(target) (\(a.reachedTarget)/\(a.runs.count)) | \(forwards) | \(a.steps) | \(String(format: "%.0f", a.seconds)) | \(Self.mib(a.trainingRSS)) | \(Self.mib(a.inferenceRSS)) | \(Self.mib(a.trainingLedger)) / \(Self.mib(a.inferenceLedger)) | \(Self.bytes(a.stateBytes)) |")
        }
        return rows.joined(separator: "\n")
    }

    static func signed(_ s: MethodAggregate.Statistic) -> String {
        "\(s.mean.isFinite ? String(format: "%+.1f", 100 * s.mean) : "–") \(interval(s))"
    }

    /// The dev-selected checkpoints (MeZO's protocol: the best dev evaluation after step 0 is
    /// scored on test): selected steps, dev and test accuracy, margins over the majority class
    /// and over the zero-shot model's test accuracy, per-seed Wilson intervals.
    public var markdownSelectedTable: String {
        var rows = ["| method | selected step per seed | dev acc % of the selected checkpoint (mean ± sample std over seeds) | its test acc % (mean ± sample std over seeds) | its test acc % (95% t-CI over seeds) | test − majority (pts; mean [95% t-CI] over seeds) | test − zero-shot test (pts; mean [95% t-CI] over seeds) | its test acc % per seed [Wilson 95%] |",
                    "|---|---|---|---|---|---|---|---|"]
        for a in aggregates where !a.selectedRuns.isEmpty {
            let p = a.selectedRuns
            let steps = p.map { "s\($0.run.config.seed): \($0.selected.step)" }.joined(separator: ", ")
            let perSeed = p.map { "s\($0.run.config.seed): \(Self.pct($0.selected.test.accuracy)) [\(Self.pct($0.selected.test.lower)), \(Self.pct($0.selected.test.upper))]" }.joined(separator: "; ")
            let d = a.selectedDev, t = a.selectedTest
            rows.append("| \(a.method) | \(steps) | \(Self.pct(d.mean)) ± \(Self.pct(d.std)) | \(Self.pct(t.mean)) ± \(Self.pct(t.std)) | \(Self.interval(t)) | \(Self.signed(a.selectedMargin)) | \(Self.signed(a.selectedGain)) | \(perSeed) |")
        }
        return rows.joined(separator: "\n")
    }

    static func bytes(_ n: Int) -> String {
        n >= 1 << 20 ? String(format: "%.2f MiB", Double(n) / 1_048_576) : n >= 1024 ? String(format: "%.1f KiB", Double(n) / 1024) : "\(n) B"
    }

    /// The orderings of the seed papers: reproduced or not, on the mean and seed by seed, on the
    /// final weights' test accuracy or (`selected`) the dev-selected checkpoints'.
    public func markdownClaims(selected: Bool = false) -> String {
        var rows = ["| claim (source) | means over seeds (test %) | paired per-seed difference (pts; mean [95% t-CI]) | on the mean | seeds where it holds |", "|---|---|---|---|---|"]
        let measure: (RunSummary) -> Double? = selected ? { $0.selected?.test.accuracy } : { $0.test.accuracy }
        for claim in OrderingClaim.all {
            guard let v = claim.verdict(aggregates, measure: measure) else { continue }
            let relation = claim.kind == .better ? ">" : "≈"
            let d = v.difference
            let significant = d.interval.map { claim.kind == .better ? $0.lower > 0 : ($0.lower >= -0.01 && $0.upper <= 0.01) } ?? false
            let strong = claim.kind == .better ? "reproduced (interval excludes 0)" : "reproduced (interval within ±1 pt)"
            let verdict = v.holdsOnMean ? (significant ? strong : "reproduced on the mean only") : "not reproduced"
            rows.append("| \(claim.better) \(relation) \(claim.worse) — \(claim.source) | \(Self.pct(v.means.0)) vs \(Self.pct(v.means.1)) | \(d.mean.isFinite ? String(format: "%+.1f", 100 * d.mean) : "–") \(Self.interval(d)) | \(verdict) | \(v.seedsHolding)/\(v.seedsCompared) |")
        }
        return rows.joined(separator: "\n")
    }

    public var markdown: String {
        let first = aggregates.first?.runs.first?.config
        var text = "# Optimizer comparison\n\n"
        if let c = first {
            text += "Task `\(c.task)`, mode `\(c.mode)`, k = \(c.kShot) per class, batch \(c.batchSize), objective `\(c.objective)`, target dev accuracy \(Self.pct(c.targetAccuracy)) %, base `\(c.base)`.\n\n"
        }
        let runs = aggregates.reduce(0) { $0 + $1.runs.count + $1.failures.count }
        let loops = aggregates.reduce(0.0) { $0 + $1.runs.reduce(0.0) { $0 + $1.trainSeconds } }
        let loopText = "training loops \(String(format: "%.1f", loops / 60)) min"
        let time = reusedRuns == 0 ? "\(String(format: "%.1f", totalSeconds / 60)) min total, \(loopText)"
            : "\(reusedRuns) of \(runs) runs reused from an earlier invocation, this one took \(String(format: "%.1f", totalSeconds / 60)) min; the runs' \(loopText)"
        text += "Regenerate: `\(command)` (\(time)).\n\n"
        if let z = aggregates.first?.zeroShot, z.mean.isFinite {
            text += "Zero-shot (the pre-trained model before fine-tuning): dev \(Self.pct(z.mean)) %; majority class (test): \(Self.pct(aggregates.first!.majorityTest)) %.\n\n"
        }
        text += "## Final weights\n\n" + markdownTable + "\n\n" + Self.columnNote + "\n\n"
        if aggregates.contains(where: { !$0.selectedRuns.isEmpty }) {
            text += "## Dev-selected checkpoints\n\nThe evaluation after step 0 with the best dev accuracy (earliest on ties), scored on test (MeZO's protocol); the zero-shot test accuracy is the pre-trained model's.\n\n"
            text += markdownSelectedTable + "\n\n"
        }
        text += "## Orderings reported by the seed papers\n\nOn the final weights' test accuracy:\n\n" + markdownClaims() + "\n"
        if aggregates.contains(where: { !$0.selectedRuns.isEmpty }) {
            text += "\nOn the dev-selected checkpoints' test accuracy:\n\n" + markdownClaims(selected: true) + "\n"
        }
        return text
    }

    /// One CSV row per run.
    public var csv: String {
        var lines = ["method,seed,mode,task,steps,forward_passes,backward_passes,train_seconds,zero_shot_dev,dev_accuracy,dev_wilson_lower,dev_wilson_upper,test_accuracy,test_wilson_lower,test_wilson_upper,majority_test,steps_to_target,forwards_to_target,train_peak_rss_bytes,inference_peak_rss_bytes,train_slab_peak_bytes,inference_slab_peak_bytes,optimizer_state_bytes,trainable_parameters,zero_shot_test,selected_step,selected_dev_accuracy,selected_test_accuracy,selected_test_wilson_lower,selected_test_wilson_upper"]
        for a in aggregates {
            for r in a.runs {
                let fields: [String] = [
                    a.method, "\(r.config.seed)", r.config.mode, r.config.task, "\(r.steps)", "\(r.forwardPasses)", "\(r.backwardPasses)",
                    String(format: "%.2f", r.trainSeconds), r.zeroShotDevAccuracy.map { "\($0)" } ?? "",
                    "\(r.dev.accuracy)", "\(r.dev.lower)", "\(r.dev.upper)", "\(r.test.accuracy)", "\(r.test.lower)", "\(r.test.upper)",
                    "\(r.majorityTest)", r.stepsToTarget.map { "\($0)" } ?? "", r.forwardsToTarget.map { "\($0)" } ?? "",
                    r.trainingMemory.residentBytes.map { "\($0)" } ?? "", r.inferenceMemory.residentBytes.map { "\($0)" } ?? "",
                    "\(r.trainingMemory.ledgerBytes)", "\(r.inferenceMemory.ledgerBytes)", "\(r.peakOptimizerStateBytes)", "\(r.trainableParameters)",
                    r.zeroShotTestAccuracy.map { "\($0)" } ?? "", r.selected.map { "\($0.step)" } ?? "",
                    r.selected.map { "\($0.dev.accuracy)" } ?? "", r.selected.map { "\($0.test.accuracy)" } ?? "",
                    r.selected.map { "\($0.test.lower)" } ?? "", r.selected.map { "\($0.test.upper)" } ?? "",
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
