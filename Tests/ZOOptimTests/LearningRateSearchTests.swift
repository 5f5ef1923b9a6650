import Testing
import ZOCore
@testable import ZOOptim

@Suite("Learning-rate search")
struct LearningRateSearchTests {
    @Test func findsTheStableRateOfGradientFreeDescentOnAQuadratic() throws {
        // MeZO on ½ Σ λ x² with λ ∈ [1, 10]: too small a rate barely moves, too large diverges.
        let f = QuadraticObjective<Double>.diagonal(d: 4, kappa: 10)
        let search = LearningRateSearch(low: 1e-4, high: 10, horizon: 200, seed: 3,
                                        budget: .init(coarse: 11, refine: 4))
        let outcome = try search.run(optimizer: "mezo", objective: f)
        #expect(outcome.trials.count == 15)
        #expect(outcome.best > 1e-3 && outcome.best < 1, "best \(outcome.best)")
        let largest = try #require(outcome.trials.first { $0.learningRate == 10 })
        #expect(largest.score > 1e6 * outcome.bestScore, "the largest rate must blow up")
        #expect(f.x == [Double](repeating: 1, count: 4), "θ is restored after the search")
        // Deterministic.
        let again = try search.run(optimizer: "mezo", objective: f)
        #expect(again == outcome)
    }

    @Test func distanceCriterionNeedsMinimaAndUsesThem() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 2, kappa: 2)
        let search = LearningRateSearch(low: 1e-3, high: 1, horizon: 50, seed: 1, criterion: .distanceToMinimum,
                                        budget: .init(coarse: 5, refine: 0))
        #expect(throws: OptimizerError.self) { try search.run(optimizer: "mezo", objective: f) }
        let outcome = try search.run(optimizer: "mezo", objective: f, minima: [[0, 0]])
        #expect(outcome.bestScore < 1.414)
    }

    @Test func rejectsBadRanges() {
        let f = QuadraticObjective<Double>.diagonal(d: 2, kappa: 2)
        for (lo, hi) in [(0.0, 1.0), (1.0, 0.5), (1e-3, Double.infinity)] {
            #expect(throws: OptimizerError.self) {
                try LearningRateSearch(low: lo, high: hi, horizon: 5, seed: 1).run(optimizer: "mezo", objective: f)
            }
        }
    }
}
