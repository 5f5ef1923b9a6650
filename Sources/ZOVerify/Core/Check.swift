/// One theory claim turned into an experiment with a verdict (CHECKS.md).
///
/// A check describes itself (the fields of its `proofs-checks/` page), states its smallest
/// detectable discrepancy, runs the claim on the implemented optimizers, and runs a negative
/// control: the same statistic fed a deliberately wrong estimator whose error equals the
/// smallest detectable discrepancy, which the check must refute (verdict `.refuted`). A check
/// whose negative control is not refuted cannot fail, which is a defect — the suite then exits
/// non-zero.
///
/// Checks that study gradient estimates take their objective through ``GradientEstimator`` /
/// any `Objective<Scalar>`, so a transformer objective (Float32, backprop reference gradient)
/// can be plugged into the same statistics later (see `docs/verify.md`).
public protocol Check: Sendable {
    /// Kebab-case name, e.g. "spsa-unbiased".
    var name: String { get }
    /// The claim number in CHECKS.md.
    var claim: Int { get }
    var title: String { get }
    /// Seed file and equation, e.g. "seed 004 Def. 3.1 (MeZO's SPSA)".
    var source: String { get }
    var statement: String { get }
    /// Why the claim should hold (or not): the derivation sketch.
    var derivation: String { get }
    /// The protocol: problems, estimators, sample sizes, seeds.
    var method: String { get }
    /// The statistic and its threshold.
    var statisticDescription: String { get }
    /// Kᵢ: the number of elementary tests the check's αᵢ is split over; 0 for exact
    /// (deterministic) checks, which take no share of the budget.
    var elementaryTests: Int { get }
    /// Relative weight of the check's share of the budget (default 1).
    var budgetWeight: Double { get }

    /// The smallest discrepancy the primary sub-test detects with power 1 − β at this
    /// configuration (from the actual n, αᵢ/Kᵢ and σ — theory or a pilot).
    func smallestDetectableDiscrepancy(configuration: CheckConfiguration) throws -> Discrepancy

    /// Runs the claim.
    func run(configuration: CheckConfiguration) throws -> CheckResult

    /// Runs the statistic on a deliberately wrong estimator of the smallest detectable size;
    /// the verdict must be `.refuted`. The result reports the discrepancy (`detectable`, computed
    /// from the control's own sample where σ is estimated) and the injected error size
    /// (`injected`), which must be equal.
    func runNegativeControl(configuration: CheckConfiguration) throws -> CheckResult

    /// Runs the machinery on a case known to be true (default: ``run(configuration:)``, for
    /// checks whose claim is expected to hold); the verdict must not be `.refuted` except with
    /// probability ≤ αᵢ. `--vary-seed` counts these rejections to measure the false-fail rate.
    func runPositiveControl(configuration: CheckConfiguration) throws -> CheckResult

    /// True (default) when the claim run is itself the known-true case; checks whose claim is
    /// refuted by the data provide a separate positive control and return false.
    var positiveControlIsClaim: Bool { get }
}

extension Check {
    public var budgetWeight: Double { 1 }
    public var positiveControlIsClaim: Bool { true }
    public var isExact: Bool { elementaryTests == 0 }

    public func runPositiveControl(configuration: CheckConfiguration) throws -> CheckResult {
        var result = try run(configuration: configuration)
        result.kind = .positiveControl
        return result
    }

    /// A result skeleton with this check's identity and the configuration's budget fields.
    func result(_ kind: RunKind, _ configuration: CheckConfiguration, verdict: Verdict, summary: String,
                findings: [String] = [], subResults: [SubResult] = [], detectable: Discrepancy? = nil,
                injected: Double? = nil, numbers: [String: Double] = [:], figure: FigureData? = nil) -> CheckResult {
        CheckResult(check: name, claim: claim, kind: kind, verdict: verdict, summary: summary, findings: findings,
                    subResults: subResults, detectable: detectable, injected: injected, alpha: isExact ? 0 : configuration.alpha,
                    elementaryTests: isExact ? 0 : configuration.elementaryTests, numbers: numbers, figure: figure,
                    seed: configuration.seed, scale: configuration.scale)
    }
}
