import ZOCore
import ZOOptim
import ZOStats

/// One trial of the loss-increment experiment (claim 7), generic over the objective: from θ,
/// take one optimizer step on batch `stepBatch`, and report whether the loss increased on that
/// batch and on `otherBatch`. θ is restored. Works for any stochastic `Objective` (noisy test
/// functions now, the transformer's minibatches later).
public enum LossIncrementStudy {
    public struct Outcome: Sendable, Equatable {
        public var sameBatch: Bool
        public var differentBatch: Bool
    }

    public static func trial<S: ZOScalar>(_ objective: any Objective<S>, optimizer: any Optimizer<S>, at state: [S],
                                          stepBatch: Int, otherBatch: Int, context: StepContext) throws -> Outcome {
        let p = objective.parameters
        defer { p.assign(state) }
        p.assign(state)
        objective.selectBatch(stepBatch)
        let before1 = try objective.loss()
        objective.selectBatch(otherBatch)
        let before2 = try objective.loss()
        objective.selectBatch(stepBatch)
        _ = try optimizer.step(objective, context: context)
        let after1 = try objective.loss()
        objective.selectBatch(otherBatch)
        let after2 = try objective.loss()
        return Outcome(sameBatch: after1 > before1, differentBatch: after2 > before2)
    }
}

extension LossIncrementStudy {
    /// Seed 003's ranges (Fig. 2b/5): MeZO 0.4–0.6, SGD 0.2–0.3.
    public static let seedRanges: [String: ClosedRange<Double>] = ["MeZO": 0.4...0.6, "SGD": 0.2...0.3]

    /// Where a measured probability's interval lies relative to a published range: "inside"
    /// (contained), "outside" (disjoint) or "straddles" (overlaps a boundary: not resolved).
    public static func placement(_ interval: IntervalEstimate, in range: ClosedRange<Double>) -> String {
        if interval.lower >= range.lowerBound && interval.upper <= range.upperBound { return "inside" }
        if interval.upper < range.lowerBound || interval.lower > range.upperBound { return "outside" }
        return "straddles"
    }

    /// The smallest difference of two increment probabilities (n trials each, the smaller one
    /// near `p`) detected with power 1 − β: (z + z)·√(2p(1 − p)/n).
    static func detectable(p: Double, trials n: Int, _ c: CheckConfiguration, what: String) -> Discrepancy {
        Discrepancy(value: c.criticalSum * (2 * p * (1 - p) / Double(n)).squareRoot(), unit: "difference of increment probabilities",
                    basis: "n = \(Format.count(n)) trials per arm at p = \(Format.number(p, digits: 3)) (\(what)), αᵢ/K = \(Format.probability(c.perTestAlpha)), β = \(c.beta)")
    }

    /// One measured probability of a method on one batch kind.
    struct Measured {
        var method: String
        var same: Bool
        var p: Double
        var interval: IntervalEstimate
    }

    /// Two panels (same batch, different batch): each method's probability with its interval,
    /// and beside SGD and MeZO the seed's range for that method as a bar without a point; y in
    /// [0, 1].
    static func panels(_ measured: [Measured]) -> [PanelData] {
        [true, false].map { same in
            var items: [CategoryData] = []
            for m in measured where m.same == same {
                items.append(CategoryData(label: m.method, value: m.p, lower: m.interval.lower, upper: m.interval.upper))
                if let r = seedRanges[m.method] {
                    items.append(CategoryData(label: "seed: \(m.method)", value: .nan, lower: r.lowerBound, upper: r.upperBound))
                }
            }
            return PanelData(intervals: items, title: same ? "loss on the step's own batch" : "loss on a different batch",
                             yLabel: "P(loss increases)", yRange: 0...1)
        }
    }
}
