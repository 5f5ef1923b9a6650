/// The orderings the seed papers report, checked on a comparison: "A beats B" on test
/// accuracy (mean over seeds, and seed by seed), or "A ≈ B" (means within 1 point).
public struct OrderingClaim: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case better, similar }
    public let better: String
    public let worse: String
    public let kind: Kind
    /// Where the seed reports it.
    public let source: String

    public static let all: [OrderingClaim] = [
        .init(better: "hizoo", worse: "mezo", kind: .better, source: "seed 004 Tables 1, 2, 5 (HiZOO > MeZO)"),
        .init(better: "hizoo-l", worse: "hizoo", kind: .similar, source: "seed 004 Tables 2, 5 (HiZOO-L ≈ HiZOO)"),
        .init(better: "hizoo", worse: "zo-adam", kind: .better, source: "seed 004 Table 5 (HiZOO > ZO-Adam)"),
        .init(better: "hizoo-l", worse: "zo-adam", kind: .better, source: "seed 004 Table 5 (HiZOO-L > ZO-Adam by 4.3)"),
        .init(better: "mezo", worse: "zo-adam", kind: .better, source: "seed 004 Table 5 (ZO-SGD 88.4 > ZO-Adam 86.1)"),
        .init(better: "adam", worse: "mezo", kind: .better, source: "seed 004 Table 1 (FT > MeZO)"),
        .init(better: "hizoo", worse: "adam", kind: .better, source: "seed 004 Table 1, SST-2 column (HiZOO 93.2 > FT 91.9)"),
        .init(better: "sparse-mezo", worse: "mezo", kind: .better, source: "seed 003 (Sparse MeZO > MeZO)"),
        .init(better: "sgd", worse: "sparse-mezo", kind: .better, source: "seed 003 rebuttal (SGD 80.6 > Sparse MeZO 79.0)"),
        .init(better: "subzero", worse: "mezo", kind: .better, source: "seed 002 (SubZero > MeZO)"),
        .init(better: "b-pdf", worse: "mezo", kind: .better, source: "seed 000 rebuttal, SST-2 (B-PDF 92.9 > MeZO 90.6)"),
        .init(better: "b-pdf", worse: "hizoo", kind: .better, source: "seed 000 rebuttal, SST-2 (B-PDF 92.9 > HiZOO 90.3)"),
    ]

    public struct Verdict: Sendable {
        public let claim: OrderingClaim
        /// Mean test accuracies (better, worse).
        public let means: (Double, Double)
        /// Seeds where the claim holds, of the seeds both ran.
        public let seedsHolding: Int
        public let seedsCompared: Int
        /// Per-seed differences (better − worse) of test accuracy: mean and 95 % t-interval.
        public let difference: MethodAggregate.Statistic
        public var holdsOnMean: Bool {
            switch claim.kind {
            case .better: return means.0 > means.1
            case .similar: return abs(means.0 - means.1) <= 0.01
            }
        }
    }

    /// The verdict on `aggregates` (nil when either method is missing), on the test accuracy
    /// that `measure` reads from a run (default: the final weights'; nil skips the run).
    public func verdict(_ aggregates: [MethodAggregate],
                        measure: (RunSummary) -> Double? = { $0.test.accuracy }) -> Verdict? {
        guard let a = aggregates.first(where: { $0.method == better }), let b = aggregates.first(where: { $0.method == worse }),
              !a.runs.isEmpty, !b.runs.isEmpty else { return nil }
        var holding = 0, compared = 0
        var differences: [Double] = []
        for run in a.runs {
            guard let x = measure(run), let other = b.runs.first(where: { $0.config.seed == run.config.seed }),
                  let y = measure(other) else { continue }
            compared += 1
            differences.append(x - y)
            if kind == .better ? x > y : abs(x - y) <= 0.01 { holding += 1 }
        }
        guard compared > 0 else { return nil }
        let meanA = MethodAggregate.Statistic(a.runs.compactMap(measure)).mean
        let meanB = MethodAggregate.Statistic(b.runs.compactMap(measure)).mean
        return Verdict(claim: self, means: (meanA, meanB), seedsHolding: holding, seedsCompared: compared,
                       difference: MethodAggregate.Statistic(differences))
    }
}
