/// One suite-wide false-fail probability split across named checks by Bonferroni, as
/// TensorFlow Probability's `statistical_testing` does: if check i runs at level αᵢ with
/// Σ αᵢ = α_total, then P(any check fails | every claim true) ≤ α_total by the union bound,
/// whatever the dependence between checks. Each check splits its share αᵢ again over its Kᵢ
/// sub-tests (coordinates, parameter settings), each run at αᵢ/Kᵢ.
///
/// Shares are proportional to weights (all 1 = equal shares). Weights let a check with many
/// sub-tests, or an expensive one whose sample size is pinned, take a larger share.
public struct FalseFailBudget: Sendable, Equatable, CustomStringConvertible {
    /// A check as declared: a unique name, a positive weight, and its number of sub-tests K.
    public struct Check: Sendable, Equatable {
        public let name: String
        public let weight: Double
        public let subTests: Int

        public init(_ name: String, weight: Double = 1, subTests: Int = 1) {
            self.name = name
            self.weight = weight
            self.subTests = subTests
        }
    }

    /// A check's slice of the budget.
    public struct Allocation: Sendable, Equatable, CustomStringConvertible {
        public let name: String
        /// αᵢ: the probability that this check fails although its claim holds.
        public let alpha: Double
        /// Kᵢ.
        public let subTests: Int
        /// αᵢ/Kᵢ: the level of each sub-test.
        public var perTestAlpha: Double { alpha / Double(subTests) }

        public var description: String {
            "\(name): α = \(alpha) over \(subTests) sub-test(s), \(perTestAlpha) each"
        }
    }

    /// α_total.
    public let total: Double
    /// One allocation per check, in declaration order.
    public let allocations: [Allocation]

    /// Splits `total` across `checks` in proportion to their weights.
    /// - Throws: ``StatsError`` for α_total ∉ (0, 1), no checks, a duplicate name, a weight
    ///   not finite and > 0, or a sub-test count < 1.
    public init(total: Double, checks: [Check]) throws(StatsError) {
        try requireOpenProbability(total, "total false-fail probability")
        guard !checks.isEmpty else { throw .emptySample(what: "check list of the false-fail budget") }
        var seen = Set<String>()
        var weightSum = 0.0
        for c in checks {
            guard seen.insert(c.name).inserted else { throw .duplicateCheck(name: c.name) }
            try requirePositiveFinite(c.weight, "weight of check '\(c.name)'")
            guard c.subTests >= 1 else {
                throw .invalidParameter(name: "sub-tests of check '\(c.name)'", value: Double(c.subTests),
                                        requirement: "must be ≥ 1")
            }
            weightSum += c.weight
        }
        self.total = total
        allocations = checks.map { Allocation(name: $0.name, alpha: total * ($0.weight / weightSum), subTests: $0.subTests) }
    }

    /// Equal shares for checks with one sub-test each.
    public init(total: Double, equalShares names: [String]) throws(StatsError) {
        try self.init(total: total, checks: names.map { Check($0) })
    }

    /// The check names, in declaration order.
    public var names: [String] { allocations.map(\.name) }

    /// The allocation of the check called `name`.
    /// - Throws: ``StatsError/unknownCheck(name:known:)``.
    public func allocation(for name: String) throws(StatsError) -> Allocation {
        guard let a = allocations.first(where: { $0.name == name }) else {
            throw .unknownCheck(name: name, known: names)
        }
        return a
    }

    /// αᵢ of the check called `name`.
    public func alpha(for name: String) throws(StatsError) -> Double { try allocation(for: name).alpha }

    /// αᵢ/Kᵢ of the check called `name`.
    public func perTestAlpha(for name: String) throws(StatsError) -> Double { try allocation(for: name).perTestAlpha }

    public var description: String {
        "false-fail budget \(total) over \(allocations.count) check(s):\n"
            + allocations.map { "  \($0)" }.joined(separator: "\n")
    }
}

extension PowerAnalysis {
    /// The sample size for a check's sub-tests at its budget share: α = αᵢ, K = Kᵢ.
    public static func sampleSize(
        shift: Double, standardDeviation: Double = 1, beta: Double, allocation: FalseFailBudget.Allocation
    ) throws(StatsError) -> Int {
        try sampleSize(shift: shift, standardDeviation: standardDeviation, alpha: allocation.alpha, beta: beta,
                       tests: allocation.subTests)
    }
}
