/// Every check of the suite, in claim order. Add new checks here (one file per check in
/// `Checks/`); transformer-level variants of claims 4, 6 and 7 join as further entries.
public enum CheckRegistry {
    public static let all: [any Check] = [
        SPSAUnbiasedCheck(),
        SPSASecondMomentCheck(),
        SPSABiasOrderCheck(),
        HiZOODirectionCheck(),
        HiZOOHessianCheck(),
        HiZOOEMACheck(),
        CosineSimilarityCheck(),
        TransformerCosineCheck(),
        SubZeroVarianceCheck(),
        BCDUnbiasedCheck(),
        BCDProbabilitiesCheck(),
        BanditProbabilitiesCheck(),
        TransformerBanditCheck(),
        BCDRulesCheck(),
        PowellCyclingCheck(),
        LossIncrementCheck(),
        TransformerLossIncrementCheck(),
        ZODimensionRateCheck(),
        HiZOOConditionRateCheck(),
        SparseMeZORateCheck(),
        HiZOOLFactoringCheck(),
        OptimizerMemoryCheck(),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The check called `name` (case-insensitive).
    /// - Throws: ``VerifyError/unknownCheck(_:suggestions:known:)`` with close names.
    public static func check(named name: String) throws -> any Check {
        let key = name.lowercased()
        if let c = all.first(where: { $0.name == key }) { return c }
        let ranked = names.map { ($0, editDistance($0, key)) }.sorted { $0.1 < $1.1 }
        let close = ranked.filter { $0.1 <= max(2, key.count / 3) || $0.0.contains(key) }.prefix(3).map(\.0)
        throw VerifyError.unknownCheck(name, suggestions: Array(close), known: names)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
