/// The outcome of a check: what the data say about the claim.
///
/// - `holds`: every sub-test that decides the claim came out on the claim's side.
/// - `refuted`: the data contradict the claim beyond the check's false-fail level (a finding,
///   not a test failure: the suite still exits 0).
/// - `holdsWithCaveat`: the claim holds in the sense the check states, but a part of it (a
///   regime, a normalisation, a variant) does not, or a sub-test was inconclusive; the
///   summary says which.
/// - `machineryError`: the experiment itself failed (an error was thrown, a statistic could
///   not be formed). The suite exits non-zero.
public enum Verdict: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case holds
    case refuted
    case holdsWithCaveat = "holds-with-caveat"
    case machineryError = "machinery-error"

    public var description: String { rawValue }

    /// The worse of two verdicts (machinery error > refuted > caveat > holds).
    public func combined(with other: Verdict) -> Verdict {
        let order: [Verdict] = [.holds, .holdsWithCaveat, .refuted, .machineryError]
        return order.firstIndex(of: self)! >= order.firstIndex(of: other)! ? self : other
    }
}

/// How big a run is. Sample sizes follow from the planned shift Δ (in units of the
/// statistic's standard deviation σ) through the power formula of CHECKS.md.
public enum RunScale: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Unit tests in a debug build: Δ = 0.5σ and small problem sizes.
    case test
    /// CI-sized: Δ = 0.25σ, fewer problem sizes and replicates.
    case quick
    /// The CHECKS.md power target: Δ = 0.1σ.
    case full

    public var description: String { rawValue }

    /// Planned detectable shift Δ/σ.
    public var plannedShift: Double {
        switch self {
        case .test: return 0.5
        case .quick: return 0.25
        case .full: return 0.1
        }
    }

    /// `full`, `quick` or `test` value, chosen by scale.
    public func pick<T>(full: T, quick: T, test: T) -> T {
        switch self {
        case .full: return full
        case .quick: return quick
        case .test: return test
        }
    }
}

/// Which experiment a result comes from.
public enum RunKind: String, Codable, Sendable {
    /// The claim, on the implemented optimizers.
    case claim
    /// A deliberately wrong estimator whose error equals the smallest detectable discrepancy:
    /// the check must refute it.
    case negativeControl = "negative-control"
    /// The same machinery on a case whose truth is known to hold (the claim's own run where the
    /// claim is expected to hold): the check must not reject it except with probability ≤ αᵢ.
    case positiveControl = "positive-control"
}
