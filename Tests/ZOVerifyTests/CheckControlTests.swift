import Foundation
import Testing
@testable import ZOVerify

/// Every check must be able to fail: its negative control (a wrong estimator of the smallest
/// detectable size) is refuted, and its positive run on a known-true case is not. Test scale,
/// fixed seeds (deterministic). Checks whose true case only resolves at larger n at this scale
/// may come out holds-with-caveat (an interval straddling a margin), never refuted.
@Suite("Negative and positive controls of every check")
struct CheckControlTests {
    static let seed: UInt64 = 20_240_601

    /// Checks whose known-true run resolves fully at test scale.
    static let mustHold: Set<String> = [
        "spsa-unbiased", "spsa-second-moment", "spsa-bias-order", "hizoo-direction", "hizoo-hessian-unbiased",
        "hizoo-hessian-ema", "cosine-similarity", "bcd-unbiased", "bcd-optimal-probabilities", "powell-cycling",
        "hizoo-l-factoring", "optimizer-memory",
    ]

    @Test(arguments: CheckRegistry.names)
    func negativeControlIsRefuted(_ name: String) throws {
        let check = try CheckRegistry.check(named: name)
        let c = try CheckConfiguration.forCheck(check, scale: .test, suiteSeed: Self.seed)
        let r = SuiteRunner.execute(check, c, kind: .negativeControl)
        #expect(r.verdict == .refuted, "\(name): negative control \(r.verdict): \(r.summary)")
        #expect(r.kind == .negativeControl)
    }

    @Test(arguments: CheckRegistry.names)
    func positiveControlIsNotRefuted(_ name: String) throws {
        let check = try CheckRegistry.check(named: name)
        let c = try CheckConfiguration.forCheck(check, scale: .test, suiteSeed: Self.seed)
        let r = SuiteRunner.execute(check, c, kind: .positiveControl)
        if Self.mustHold.contains(name) {
            #expect(r.verdict == .holds, "\(name): known-true case \(r.verdict): \(r.summary)")
        } else {
            #expect(r.verdict == .holds || r.verdict == .holdsWithCaveat, "\(name): known-true case \(r.verdict): \(r.summary)")
        }
        #expect(r.error == nil)
    }

    @Test func everyCheckDescribesItselfAndStatesADetectableDiscrepancy() throws {
        for check in CheckRegistry.all {
            for field in [check.title, check.source, check.statement, check.derivation, check.method, check.statisticDescription] {
                #expect(!field.isEmpty, "\(check.name) has an empty description field")
            }
        }
        // Cheap ones: the detectable discrepancy is positive and finite.
        for name in ["spsa-unbiased", "hizoo-direction", "cosine-similarity", "hizoo-l-factoring", "optimizer-memory", "powell-cycling"] {
            let check = try CheckRegistry.check(named: name)
            let d = try check.smallestDetectableDiscrepancy(configuration: try CheckConfiguration.forCheck(check, scale: .test, suiteSeed: Self.seed))
            #expect(d.value > 0 && d.value.isFinite, "\(name): \(d)")
        }
    }

    @Test func theEMACheckRefutesThePaperButNotItsKnownTrueCase() throws {
        let check = HiZOOEMACheck()
        let c = try CheckConfiguration.forCheck(check, scale: .test, suiteSeed: Self.seed)
        let claim = try check.run(configuration: c)
        #expect(claim.verdict == .refuted)
        #expect((claim.numbers["paperRatio.d6"] ?? 0) > 2, "the |·| EMA inflates H well above the true diagonal")
        #expect(!claim.findings.isEmpty)
        #expect(try check.runPositiveControl(configuration: c).verdict == .holds)
    }
}
