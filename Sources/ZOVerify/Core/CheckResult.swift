/// A confidence interval as stored in reports.
public struct IntervalEstimate: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    /// 1 − α of the interval.
    public var confidence: Double

    public init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// The smallest discrepancy a check detects with power 1 − β at its false-fail level, in the
/// units of its statistic, computed from the actual sample size, α share and σ estimate.
public struct Discrepancy: Codable, Sendable, Equatable {
    /// Size of the discrepancy (e.g. 0.012 for a 1.2 % relative scale error).
    public var value: Double
    /// What `value` measures, e.g. "relative scale error of ĝ".
    public var unit: String
    /// How it was computed (n, α/K, σ, β).
    public var basis: String

    public init(value: Double, unit: String, basis: String) {
        self.value = value
        self.unit = unit
        self.basis = basis
    }
}

/// One sub-test or measurement of a check.
public struct SubResult: Codable, Sendable, Equatable {
    /// Short name, e.g. "rotated quadratic d = 8".
    public var name: String
    /// The hypothesis tested (H₀), or what was measured for descriptive entries.
    public var hypothesis: String
    /// The statistic, e.g. "max |t| over 8 coordinates".
    public var statistic: String
    public var value: Double
    /// Bonferroni-adjusted p-value of the sub-test (nil for descriptive or exact entries).
    public var pValue: Double?
    /// The family level the sub-test was judged at (its part of the check's αᵢ).
    public var alpha: Double?
    /// Whether H₀ was rejected (nil: descriptive, never part of a verdict).
    public var rejected: Bool?
    /// A point estimate and interval of the quantity of interest, where there is one.
    public var estimate: Double?
    public var interval: IntervalEstimate?
    /// The smallest discrepancy this sub-test detects (same units as `estimate`).
    public var detectable: Double?
    public var sampleSize: Int
    public var note: String

    public init(name: String, hypothesis: String, statistic: String, value: Double, pValue: Double? = nil,
                alpha: Double? = nil, rejected: Bool? = nil, estimate: Double? = nil,
                interval: IntervalEstimate? = nil, detectable: Double? = nil, sampleSize: Int, note: String = "") {
        self.name = name
        self.hypothesis = hypothesis
        self.statistic = statistic
        self.value = value
        self.pValue = pValue
        self.alpha = alpha
        self.rejected = rejected
        self.estimate = estimate
        self.interval = interval
        self.detectable = detectable
        self.sampleSize = sampleSize
        self.note = note
    }
}

/// Everything one run of a check produced.
public struct CheckResult: Codable, Sendable {
    public var check: String
    public var claim: Int
    public var kind: RunKind
    public var verdict: Verdict
    /// One paragraph with the numbers that decided the verdict.
    public var summary: String
    /// Where the data contradict a paper or its public code, stated plainly with the evidence.
    public var findings: [String]
    public var subResults: [SubResult]
    public var detectable: Discrepancy?
    /// Negative controls: the size of the error the control injected, in the units of
    /// ``detectable`` (nil for claim runs and positive controls). The suite's rule (tested for
    /// every registered check) is injected = detectable.value: a control is exactly as wrong as
    /// the smallest discrepancy the check claims to detect, never more.
    public var injected: Double?
    /// αᵢ, the check's share of the suite's false-fail budget (0 for exact checks).
    public var alpha: Double
    /// Kᵢ, the elementary tests αᵢ is split over.
    public var elementaryTests: Int
    /// Named numbers for the JSON report (sample sizes, ratios, slopes …).
    public var numbers: [String: Double]
    public var figure: FigureData?
    public var seconds: Double
    public var seed: UInt64
    public var scale: RunScale
    /// The error message when `verdict` is `.machineryError`.
    public var error: String?

    public init(check: String, claim: Int, kind: RunKind, verdict: Verdict, summary: String, findings: [String] = [],
                subResults: [SubResult] = [], detectable: Discrepancy? = nil, injected: Double? = nil, alpha: Double = 0,
                elementaryTests: Int = 0, numbers: [String: Double] = [:], figure: FigureData? = nil,
                seconds: Double = 0, seed: UInt64 = 0, scale: RunScale = .full, error: String? = nil) {
        self.check = check
        self.claim = claim
        self.kind = kind
        self.verdict = verdict
        self.summary = summary
        self.findings = findings
        self.subResults = subResults
        self.detectable = detectable
        self.injected = injected
        self.alpha = alpha
        self.elementaryTests = elementaryTests
        self.numbers = numbers
        self.figure = figure
        self.seconds = seconds
        self.seed = seed
        self.scale = scale
        self.error = error
    }
}
