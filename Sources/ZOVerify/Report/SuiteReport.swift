import ZOStats

/// One check's results in a suite run.
public struct CheckOutcome: Codable, Sendable {
    public var check: String
    public var claim: Int
    public var title: String
    public var result: CheckResult
    public var negativeControl: CheckResult?
    /// Run only by `--vary-seed` for checks whose known-true case differs from the claim run.
    public var positiveControl: CheckResult?

    /// True when the negative control was refuted, as it must be.
    public var negativeControlRejected: Bool? { negativeControl.map { $0.verdict == .refuted } }

    /// Whether some run of this check threw.
    public var machineryBroken: Bool {
        [result, negativeControl, positiveControl].contains { $0?.verdict == .machineryError }
    }
}

/// αᵢ and Kᵢ of one check.
public struct BudgetEntry: Codable, Sendable {
    public var check: String
    public var alpha: Double
    public var tests: Int
}

/// `--vary-seed --repeat N`: the observed false-fail rate next to the budget.
public struct FalseFailStudy: Codable, Sendable {
    public var repetitions: Int
    public var seeds: [UInt64]
    /// Repetitions in which at least one known-true case was refuted (a suite false fail).
    public var falseFailRuns: Int
    /// Clopper–Pearson 95 % interval of the per-run false-fail probability.
    public var interval: IntervalEstimate
    /// α_total, the bound the rate should respect.
    public var budget: Double
    /// Rejections of each check's known-true case over the repetitions.
    public var perCheckRejections: [String: Int]
    /// Negative controls that were NOT refuted (type II errors; each expected with probability ≈ β).
    public var negativeControlPasses: [String: Int]
    /// Verdicts of each check's claim run over the repetitions ("holds": 5, …).
    public var claimVerdicts: [String: [String: Int]]
}

/// Everything a `zolab verify` run produced; written as `report.json` and `report.md`.
public struct SuiteReport: Codable, Sendable {
    public var generated: String
    public var command: String
    public var scale: RunScale
    public var seed: UInt64
    public var budgetTotal: Double
    public var beta: Double
    public var budget: [BudgetEntry]
    public var outcomes: [CheckOutcome]
    /// Wall-clock seconds of the whole run.
    public var seconds: Double
    /// /proc/loadavg (1, 5, 15 min) at the start and the end of the run.
    public var loadAverageStart: [Double]
    public var loadAverageEnd: [Double]
    public var cores: Int
    public var falseFailStudy: FalseFailStudy?
    /// Why the exit status is non-zero (empty: exit 0).
    public var failures: [String]

    public var exitStatus: Int32 { failures.isEmpty ? 0 : 1 }
}
