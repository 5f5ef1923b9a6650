import Foundation
import Testing
@testable import ZOVerify

/// `TransformerLossIncrementCheck` computes each method's fine-tuning run once per entry point and
/// reuses it for several sets of trials (the positive control's two MeZO arms). That is the same
/// as recomputing it only if the run is deterministic and untouched by the trials: checked here.
@Suite("Transformer loss-increment run reuse")
struct TransformerRunReuseTests {
    @Test func fineTuningRunIsReusable() throws {
        let check = TransformerLossIncrementCheck()
        let c = CheckConfiguration(scale: .test, seed: 20_240_601, alpha: 1e-3, elementaryTests: check.elementaryTests)
        let s = try TransformerProbe.make(c.scale, seed: c.seed(1))
        let mezo = TransformerLossIncrementCheck.methods[1]
        let first = try check.run(mezo, s, c)
        let a = try check.outcomes(mezo, s, along: first, n: 8, c, seed: c.seed(21))
        let second = try check.run(mezo, s, c)
        #expect(first.map(\.step) == second.map(\.step))
        #expect(first.map(\.theta) == second.map(\.theta))
        #expect(first.map(\.state) == second.map(\.state))
        let again = try check.outcomes(mezo, s, along: second, n: 8, c, seed: c.seed(21))
        #expect(a.map(\.point) == again.map(\.point))
        #expect(a.map(\.outcome.sameBatch) == again.map(\.outcome.sameBatch))
        #expect(a.map(\.outcome.differentBatch) == again.map(\.outcome.differentBatch))
    }
}
