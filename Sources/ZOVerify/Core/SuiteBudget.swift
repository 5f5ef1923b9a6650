import ZOStats

/// The suite's one false-fail budget, split across the statistical checks by
/// ``FalseFailBudget`` (Bonferroni, as TensorFlow Probability's `statistical_testing` does),
/// then across each check's Kᵢ elementary tests.
///
/// α_total = 1e-3: if every claim tested were true, the whole suite would report a false
/// rejection with probability ≤ 1e-3. Exact (deterministic) checks compare to a numerical
/// tolerance and take no share. β = 1e-3 (power 0.999 at the detectable discrepancy).
public struct SuiteBudget: Sendable {
    public static let standard = SuiteBudget(total: 1e-3, beta: 1e-3)

    public let total: Double
    public let beta: Double

    public init(total: Double, beta: Double) {
        self.total = total
        self.beta = beta
    }

    /// A check's slice: αᵢ and Kᵢ (0 and 1 for exact checks).
    public struct Slice: Sendable, Equatable {
        public let alpha: Double
        public let tests: Int
    }

    /// The split over the registered statistical checks.
    public func split(_ checks: [any Check] = CheckRegistry.all) throws -> FalseFailBudget {
        try FalseFailBudget(total: total, checks: checks.filter { !$0.isExact }.map {
            FalseFailBudget.Check($0.name, weight: $0.budgetWeight, subTests: $0.elementaryTests)
        })
    }

    public func allocation(for check: any Check, among checks: [any Check] = CheckRegistry.all) throws -> Slice {
        guard !check.isExact else { return Slice(alpha: 0, tests: 1) }
        let a = try split(checks).allocation(for: check.name)
        return Slice(alpha: a.alpha, tests: a.subTests)
    }
}
