import Testing
import ZOStats

@Suite("Power analysis and the false-fail budget")
struct PlanningTests {
    @Test func checksMdSampleSizes() throws {
        // CHECKS.md: Δ = 0.1σ, α = β = 1e-3 → n ≈ 4,100 for K = 1 and ≈ 5,600 for K = 100.
        // Exact: (z_{1−5e-4} + z_{1−1e-3})² / 0.01 = (3.2905267314918945 + 3.090232306167813)² / 0.01
        // = 4071.4086 (K = 1); with z_{1−5e-6} = 4.417173413469023: 5636.1141 (K = 100).
        // (z values: scipy.stats.norm.isf.)
        let n1 = try PowerAnalysis.requiredSampleSize(shift: 0.1, alpha: 1e-3, beta: 1e-3, tests: 1)
        let n100 = try PowerAnalysis.requiredSampleSize(shift: 0.1, alpha: 1e-3, beta: 1e-3, tests: 100)
        #expect(relativeError(n1, 4071.408589667604) <= 1e-13)
        #expect(relativeError(n100, 5636.114063923587) <= 1e-13)
        #expect(try PowerAnalysis.sampleSize(shift: 0.1, alpha: 1e-3, beta: 1e-3) == 4072)
        #expect(try PowerAnalysis.sampleSize(shift: 0.1, alpha: 1e-3, beta: 1e-3, tests: 100) == 5637)
        // σ and Δ enter only through Δ/σ.
        #expect(try PowerAnalysis.sampleSize(shift: 0.3, standardDeviation: 3, alpha: 1e-3, beta: 1e-3) == 4072)
    }

    @Test func tCorrectionIsUnderOnePercentAtTheChecksSampleSizes() throws {
        // PowerAnalysis' doc: with t quantiles at ν = n − 1 in place of z the fixed point of
        // n = ((t_{1−α/(2K)} + t_{1−β}) σ/Δ)² is < 1% above the z answer (SciPy: 4077.0, 5644.3).
        for (k, nz) in [(1, 4072), (100, 5637)] {
            var n = Double(nz)
            for _ in 0..<6 {
                let t = try StudentT(degreesOfFreedom: n - 1)
                let root = (try t.upperQuantile(1e-3 / (2 * Double(k))) + t.upperQuantile(1e-3)) / 0.1
                n = root * root
            }
            #expect(n > Double(nz) && n < 1.01 * Double(nz), "K = \(k): t-based n = \(n)")
        }
    }

    @Test func detectableShiftAndPowerAreConsistent() throws {
        for (n, k) in [(4072, 1), (5637, 100), (50, 7)] {
            let delta = try PowerAnalysis.detectableShift(sampleCount: n, standardDeviation: 2, alpha: 1e-3, beta: 1e-3, tests: k)
            // Inverse of the sample-size formula …
            #expect(relativeError(try PowerAnalysis.requiredSampleSize(shift: delta, standardDeviation: 2, alpha: 1e-3, beta: 1e-3, tests: k), Double(n)) <= 1e-12)
            // … and at that shift the power is 1 − β (plus the far tail's negligible share).
            let power = try PowerAnalysis.power(shift: delta, sampleCount: n, standardDeviation: 2, alpha: 1e-3, tests: k)
            #expect(abs(power - 0.999) <= 1e-12)
        }
        // No shift: the power is the size α.
        #expect(abs(try PowerAnalysis.power(shift: 0, sampleCount: 10, alpha: 0.05) - 0.05) <= 1e-15)
    }

    @Test func budgetSplitsEquallyAndByWeight() throws {
        let equal = try FalseFailBudget(total: 1e-3, equalShares: ["spsa-unbiased", "hizoo-hessian", "cosine"])
        for name in equal.names { #expect(relativeError(try equal.alpha(for: name), 1e-3 / 3) <= 1e-15) }

        let budget = try FalseFailBudget(total: 1e-3, checks: [
            .init("spsa-unbiased", weight: 2, subTests: 100),
            .init("hizoo-hessian", weight: 1, subTests: 10),
            .init("loss-increment", weight: 1),
        ])
        #expect(relativeError(try budget.alpha(for: "spsa-unbiased"), 5e-4) <= 1e-15)
        #expect(relativeError(try budget.perTestAlpha(for: "spsa-unbiased"), 5e-6) <= 1e-15)
        #expect(relativeError(try budget.perTestAlpha(for: "hizoo-hessian"), 2.5e-5) <= 1e-15)
        #expect(try budget.allocation(for: "loss-increment").subTests == 1)
        // The union bound: shares add up to the total.
        #expect(abs(budget.allocations.map(\.alpha).reduce(0, +) - 1e-3) <= 1e-18)
        // A check's planned sample size at its share, for its K sub-tests: α = 5e-4, K = 100.
        let n = try PowerAnalysis.sampleSize(shift: 0.1, beta: 1e-3, allocation: try budget.allocation(for: "spsa-unbiased"))
        #expect(n == (try PowerAnalysis.sampleSize(shift: 0.1, alpha: 5e-4, beta: 1e-3, tests: 100)))
    }

    @Test func budgetRejectsBadDeclarations() {
        #expect(throws: StatsError.duplicateCheck(name: "a")) { try FalseFailBudget(total: 0.01, equalShares: ["a", "b", "a"]) }
        #expect(throws: StatsError.unknownCheck(name: "c", known: ["a", "b"])) {
            try FalseFailBudget(total: 0.01, equalShares: ["a", "b"]).alpha(for: "c")
        }
        #expect(throws: StatsError.self) { try FalseFailBudget(total: 1, equalShares: ["a"]) }
        #expect(throws: StatsError.self) { try FalseFailBudget(total: 0.01, equalShares: []) }
        #expect(throws: StatsError.self) { try FalseFailBudget(total: 0.01, checks: [.init("a", weight: 0)]) }
        #expect(throws: StatsError.self) { try FalseFailBudget(total: 0.01, checks: [.init("a", subTests: 0)]) }
        #expect(throws: StatsError.self) { try PowerAnalysis.sampleSize(shift: 0.1, alpha: 0, beta: 0.1) }
        #expect(throws: StatsError.self) { try PowerAnalysis.sampleSize(shift: -1, alpha: 0.1, beta: 0.1) }
        #expect(throws: StatsError.self) { try PowerAnalysis.sampleSize(shift: 1e-300, alpha: 0.1, beta: 0.1) }
        #expect(throws: StatsError.self) { try PowerAnalysis.detectableShift(sampleCount: 10, alpha: 0.1, beta: 0.1, tests: 0) }
    }
}
