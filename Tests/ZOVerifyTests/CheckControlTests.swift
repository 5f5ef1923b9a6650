import Foundation
import Testing
@testable import ZOVerify

/// Every check must be able to fail: its negative control (a wrong estimator of exactly the
/// smallest detectable size) is refuted, and its positive run on a known-true case is not. Test
/// scale, fixed seeds (deterministic). Checks whose true case only resolves at larger n at this scale
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

    /// Relative agreement of two sizes (they come from the same arithmetic, so only rounding differs).
    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300) }

    /// The negative control is refuted, and it injects exactly the smallest detectable discrepancy:
    /// the size it reports injecting equals the detectable size computed from its own run, which
    /// equals the size the check states for the claim (the claim run's, or
    /// `smallestDetectableDiscrepancy` where the claim is not itself a known-true case). The
    /// known-true case is not refuted.
    @Test(arguments: CheckRegistry.names)
    func controlsAtTheDetectableSize(_ name: String) throws {
        let check = try CheckRegistry.check(named: name)
        let c = try CheckConfiguration.forCheck(check, scale: .test, suiteSeed: Self.seed)
        let control = SuiteRunner.execute(check, c, kind: .negativeControl)
        #expect(control.verdict == .refuted, "\(name): negative control \(control.verdict): \(control.summary)")
        #expect(control.kind == .negativeControl)
        let injected = try #require(control.injected, "\(name): the negative control does not report its injected size")
        let detectable = try #require(control.detectable, "\(name): the negative control does not report the detectable size")
        #expect(detectable.value > 0 && detectable.value.isFinite, "\(name): \(detectable)")
        #expect(Self.same(injected, detectable.value), "\(name): injected \(injected) ≠ detectable \(detectable.value) (\(detectable.unit))")

        let known = SuiteRunner.execute(check, c, kind: .positiveControl)
        if Self.mustHold.contains(name) {
            #expect(known.verdict == .holds, "\(name): known-true case \(known.verdict): \(known.summary)")
        } else {
            #expect(known.verdict == .holds || known.verdict == .holdsWithCaveat, "\(name): known-true case \(known.verdict): \(known.summary)")
        }
        #expect(known.error == nil)
        let stated = check.positiveControlIsClaim ? try #require(known.detectable, "\(name): the claim states no detectable size")
                                                  : try check.smallestDetectableDiscrepancy(configuration: c)
        #expect(Self.same(stated.value, detectable.value), "\(name): the claim states \(stated.value), the control's run \(detectable.value)")
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
