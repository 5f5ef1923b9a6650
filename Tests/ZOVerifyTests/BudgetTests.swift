import Foundation
import Testing
import ZOStats
@testable import ZOVerify

@Suite("False-fail budget and configuration")
struct BudgetTests {
    @Test func theSplitSumsToTheTotalOverTheStatisticalChecks() throws {
        let split = try SuiteBudget.standard.split()
        let statistical = CheckRegistry.all.filter { !$0.isExact }
        #expect(split.allocations.count == statistical.count)
        let sum = split.allocations.map(\.alpha).reduce(0, +)
        #expect(abs(sum - SuiteBudget.standard.total) <= 1e-15)
        #expect(SuiteBudget.standard.total == 1e-3)
        for c in statistical {
            let a = try split.allocation(for: c.name)
            #expect(a.subTests == c.elementaryTests && a.subTests >= 1)
            let configuration = try CheckConfiguration.forCheck(c, scale: .full, suiteSeed: 1)
            #expect(configuration.alpha == a.alpha)
            #expect(abs(configuration.perTestAlpha * Double(configuration.elementaryTests) - a.alpha) <= 1e-18)
        }
    }

    @Test func exactChecksTakeNoShare() throws {
        for c in CheckRegistry.all where c.isExact {
            let configuration = try CheckConfiguration.forCheck(c, scale: .full, suiteSeed: 1)
            #expect(configuration.alpha == 0)
            #expect(throws: StatsError.self) { try SuiteBudget.standard.split().allocation(for: c.name) }
        }
    }

    @Test func namesAreUniqueKebabCaseAndCoverEveryClaim() throws {
        let names = CheckRegistry.names
        #expect(Set(names).count == names.count)
        for n in names { #expect(n.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil, "\(n)") }
        #expect(Set(CheckRegistry.all.map(\.claim)) == Set(1...10))
    }

    @Test func unknownNamesAreRefusedWithSuggestions() {
        #expect(throws: VerifyError.self) { try CheckRegistry.check(named: "spsa-unbiasd") }
        do { _ = try CheckRegistry.check(named: "spsa-unbiasd") } catch let e as VerifyError {
            #expect(e.description.contains("spsa-unbiased"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func fullRunSampleSizesFollowThePowerFormula() throws {
        // K = 1 at αᵢ = 1e-3 would be CHECKS.md's 4,072; the checks use their own (smaller) shares.
        let c = CheckConfiguration(scale: .full, seed: 0, alpha: 1e-3, elementaryTests: 1)
        #expect(try c.sampleSize() == 4072)
        let k100 = CheckConfiguration(scale: .full, seed: 0, alpha: 1e-3, elementaryTests: 100)
        #expect(try k100.sampleSize() == 5637)
        #expect(RunScale.quick.plannedShift > RunScale.full.plannedShift)
    }

    @Test func seedsDifferPerCheckAndRepetition() {
        let a = SuiteSeeds.checkSeed(suiteSeed: 1, check: "spsa-unbiased"), b = SuiteSeeds.checkSeed(suiteSeed: 1, check: "cosine-similarity")
        #expect(a != b)
        #expect(SuiteSeeds.repetitionSeed(base: 1, repetition: 0) != SuiteSeeds.repetitionSeed(base: 1, repetition: 1))
        #expect(SuiteSeeds.checkSeed(suiteSeed: 1, check: "x") == SuiteSeeds.checkSeed(suiteSeed: 1, check: "x"))
    }
}
