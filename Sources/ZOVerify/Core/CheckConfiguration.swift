import ZOCore
import ZOStats

/// What a check is told when it runs: its scale, its seed and its slice of the suite's
/// false-fail budget.
///
/// Sample sizes come from the power formula of CHECKS.md,
/// n = ((z_{1−α/(2K)} + z_{1−β}) σ/Δ)², with α = αᵢ (the check's share), K = Kᵢ (its
/// elementary tests, Bonferroni), β = 1e-3 and Δ = ``RunScale/plannedShift`` σ (0.1σ for the
/// full run). Every elementary test runs at αᵢ/Kᵢ, so a check wrongly rejects a true claim with
/// probability ≤ αᵢ, and the suite with probability ≤ Σαᵢ = α_total (union bound).
public struct CheckConfiguration: Sendable {
    public var scale: RunScale
    /// The check's seed (derived from the suite seed and the check's name).
    public var seed: UInt64
    /// αᵢ.
    public var alpha: Double
    /// Kᵢ (≥ 1; exact checks get αᵢ = 0 and K = 1).
    public var elementaryTests: Int
    /// Type II error target of the power formula.
    public var beta: Double

    public init(scale: RunScale, seed: UInt64, alpha: Double, elementaryTests: Int, beta: Double = 1e-3) {
        self.scale = scale
        self.seed = seed
        self.alpha = alpha
        self.elementaryTests = max(1, elementaryTests)
        self.beta = beta
    }

    /// A configuration for `check` at its share of the suite budget (``SuiteBudget``).
    public static func forCheck(_ check: any Check, scale: RunScale, suiteSeed: UInt64,
                                budget: SuiteBudget = .standard, among checks: [any Check] = CheckRegistry.all) throws -> CheckConfiguration {
        let allocation = try budget.allocation(for: check, among: checks)
        return CheckConfiguration(scale: scale, seed: SuiteSeeds.checkSeed(suiteSeed: suiteSeed, check: check.name),
                                  alpha: allocation.alpha, elementaryTests: allocation.tests, beta: budget.beta)
    }

    /// αᵢ/Kᵢ: the level of one elementary test.
    public var perTestAlpha: Double { alpha / Double(elementaryTests) }

    /// The family level of a sub-test made of `tests` elementary tests: αᵢ · tests/Kᵢ.
    public func familyAlpha(tests: Int) -> Double { perTestAlpha * Double(tests) }

    /// n for detecting Δ = `shift`·σ (default: the scale's planned shift) with every elementary
    /// test at αᵢ/Kᵢ and power 1 − β.
    public func sampleSize(shift: Double? = nil) throws -> Int {
        try PowerAnalysis.sampleSize(shift: shift ?? scale.plannedShift, alpha: alpha, beta: beta,
                                     tests: elementaryTests)
    }

    /// The smallest shift (in σ units times `standardDeviation`) an elementary test detects
    /// with `n` samples.
    public func detectableShift(sampleCount n: Int, standardDeviation: Double = 1) throws -> Double {
        try PowerAnalysis.detectableShift(sampleCount: n, standardDeviation: standardDeviation, alpha: alpha,
                                          beta: beta, tests: elementaryTests)
    }

    /// The detectable shift of a one-sample t-test with n observations:
    /// (t_{n−1, 1−α/(2K)} + t_{n−1, 1−β}) s/√n — for the few-replicate studies (chains, seeds)
    /// where the normal formula would promise power the t-test does not have.
    public func detectableShiftT(sampleCount n: Int, standardDeviation s: Double, tests: Int? = nil) throws -> Double {
        let k = Double(tests ?? elementaryTests)
        let t = try StudentT(degreesOfFreedom: Double(n - 1))
        return (try t.upperQuantile(alpha / (2 * k)) + (try t.upperQuantile(beta))) * s / Double(n).squareRoot()
    }

    /// z_{1−α/(2K)} + z_{1−β}: the multiplier of σ/√n in every detectable shift.
    public var criticalSum: Double {
        (try? PowerAnalysis.detectableShift(sampleCount: 1, alpha: alpha, beta: beta, tests: elementaryTests)) ?? .nan
    }

    /// The smallest detectable *scale* error δ of an estimate (X·(1 + δ)) when a mean shift of
    /// a relative size `a` = (critical sum)·σ/(√n·|mean|) is detectable: a scale error scales σ
    /// too, so δ|mean| must reach (critical sum)(1 + δ)σ/√n, i.e. δ = a/(1 − a) (∞ when a ≥ 1).
    public static func scaleError(forRelativeShift a: Double) -> Double { a < 1 ? a / (1 - a) : .infinity }

    /// z_{1−α/(2K)}: the two-sided critical value of one elementary test.
    public var criticalValue: Double {
        (try? StandardNormal.upperQuantile(perTestAlpha / 2)) ?? .nan
    }

    /// A seed for a sub-purpose of the check (independent streams per purpose).
    public func seed(_ purpose: UInt64) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(purpose &+ 0x5EED))
    }
}

/// Seeds: the suite seed, per check, per repetition.
public enum SuiteSeeds {
    /// The default suite seed (fixed, so CI is deterministic).
    public static let standard: UInt64 = 20_240_601

    /// FNV-1a of the check name mixed with the suite seed.
    public static func checkSeed(suiteSeed: UInt64, check: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in check.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return SplitMix64.mix(suiteSeed ^ h)
    }

    /// The suite seed of repetition `r` (0-based) of a `--vary-seed` study.
    public static func repetitionSeed(base: UInt64, repetition r: Int) -> UInt64 {
        SplitMix64.mix(base &+ 0x9E37_79B9 &* UInt64(r + 1))
    }
}
