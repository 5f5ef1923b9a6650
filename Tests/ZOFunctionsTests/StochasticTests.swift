import Testing
import ZOCore
@testable import ZOFunctions

/// Noisy least squares and sampled-term minibatches.
@Suite("Stochastic functions")
struct StochasticTests {
    @Test func leastSquaresDataAreDeterministicInTheSeed() throws {
        let a = try NoisyLeastSquares(dimension: 6, sampleCount: 200, seed: 11)
        let b = try NoisyLeastSquares(dimension: 6, sampleCount: 200, seed: 11)
        let c = try NoisyLeastSquares(dimension: 6, sampleCount: 200, seed: 12)
        #expect(a.design == b.design && a.targets == b.targets && a.minimiser == b.minimiser)
        #expect(a.design != c.design)
    }

    @Test(arguments: [1, 3, 10, 40])
    func fullBatchGradientVanishesAtTheClosedFormMinimiser(d: Int) throws {
        let f = try NoisyLeastSquares(dimension: d, noiseLevel: 0.5, seed: 3)
        let g = f.gradient(f.minimiser)
        let scale = f.gradient(f.startPoints[0]).map(abs).max()!
        #expect(g.map(abs).max()! <= 1e-13 * max(1, scale), "‖∇f(x̂)‖∞ = \(g.map(abs).max()!)")
        #expect(abs(f.value(f.minimiser) - f.minimumValue) <= 1e-13 * f.minimumValue)
        // x̂ is near the planted x* (noise σ = 0.5, n = 1024 rows: error ≈ σ√(d/n)).
        let error = zip(f.minimiser, f.plantedSolution).map { abs($0 - $1) }.max()!
        #expect(error < 0.2)
        // The loss at x̂ estimates σ²/2 · (n − d)/n.
        #expect(abs(f.minimumValue - 0.125) < 0.03)
    }

    @Test func termsSumToTheFullBatchFunction() throws {
        let f = try NoisyLeastSquares(dimension: 5, sampleCount: 300, seed: 1)
        let x = [0.3, -1, 2, 0.5, -0.25]
        let viaTerms = x.withUnsafeBufferPointer { f.valueFromTerms(at: $0) }
        #expect(abs(viaTerms - f.value(x)) <= 1e-12 * f.value(x))
        let r = try Rosenbrock(dimension: 6)
        let y = [0.1, 0.2, -0.3, 0.4, 1.5, -1]
        var sum = 0.0
        y.withUnsafeBufferPointer { p in for t in 0..<r.termCount { sum += r.termValue(t, at: p) } }
        #expect(sum == r.value(y))
    }

    @Test func minibatchesAreDeterministicDistinctAndSorted() throws {
        let f = try NoisyLeastSquares(dimension: 4, sampleCount: 500, seed: 9).sampled(batchSize: 32, seed: 9)
        let g = try NoisyLeastSquares(dimension: 4, sampleCount: 500, seed: 9).sampled(batchSize: 32, seed: 9)
        for index in [0, 1, 2, 99, -1, Int.max] {
            let batch = f.minibatch(index)
            #expect(batch == g.minibatch(index))
            #expect(batch.terms.count == 32 && Set(batch.terms).count == 32)
            #expect(batch.terms == batch.terms.sorted())
            #expect(batch.terms.allSatisfy { (0..<500).contains($0) })
            #expect(batch.weight == 500.0 / 32.0)
        }
        #expect(f.minibatch(0) != f.minibatch(1))
        let x = [1.0, -1, 0.5, 2]
        #expect(f.value(x, batch: f.minibatch(3)) == g.value(x, batch: g.minibatch(3)))
        #expect(f.value(x, batch: f.minibatch(3)) != f.value(x, batch: f.minibatch(4)))
        // A different batch seed gives different batches.
        let h = try NoisyLeastSquares(dimension: 4, sampleCount: 500, seed: 9).sampled(batchSize: 32, seed: 10)
        #expect(h.minibatch(0) != f.minibatch(0))
    }

    /// Known batch contents pin the selection algorithm: a change to SeededDraws or to the
    /// Philox stream would silently change every experiment's batches.
    @Test func minibatchContentsArePinned() throws {
        let f = try NoisyLeastSquares(dimension: 2, sampleCount: 100, seed: 0).sampled(batchSize: 5, seed: 0)
        let pinned = f.minibatch(0).terms
        #expect(pinned.count == 5)
        var rng = SeededDraws.generator(seed: 0, purpose: .minibatch, index: 0)
        #expect(SeededDraws.sample(5, of: 100, using: &rng) == pinned)
    }

    @Test func minibatchLeastSquaresIsTheBatchMeanOfHalfSquaredResiduals() throws {
        let base = try NoisyLeastSquares(dimension: 3, sampleCount: 64, seed: 2)
        let f = try base.sampled(batchSize: 8, seed: 2)
        let batch = f.minibatch(5)
        let x = [0.2, -0.4, 0.9]
        var direct = 0.0
        for i in batch.terms {
            var r = -base.targets[i]
            for j in 0..<3 { r += base.design[i * 3 + j] * x[j] }
            direct += 0.5 * r * r
        }
        direct /= 8
        #expect(abs(f.value(x, batch: batch) - direct) <= 1e-13 * direct)
    }

    /// Unbiasedness: the mean of the minibatch gradients over many batches approaches the
    /// full gradient (Monte-Carlo, 4000 batches; tolerance 5 standard errors).
    @Test func minibatchGradientsAreUnbiased() throws {
        let f = try Rosenbrock(dimension: 6).sampled(batchSize: 2, seed: 4)
        let x = [0.5, -0.3, 1.2, 0.8, -1, 0.1]
        let full = f.gradient(x)
        let n = 4000
        var mean = [Double](repeating: 0, count: 6), square = mean
        for k in 0..<n {
            let g = f.gradient(x, batch: f.minibatch(k))
            for i in 0..<6 { mean[i] += g[i] / Double(n); square[i] += g[i] * g[i] / Double(n) }
        }
        for i in 0..<6 {
            let se = ((square[i] - mean[i] * mean[i]) / Double(n)).squareRoot()
            #expect(abs(mean[i] - full[i]) <= 5 * se + 1e-12, "coordinate \(i): \(mean[i]) vs \(full[i]) (se \(se))")
        }
    }

    @Test func aFullSizeBatchEqualsTheFullFunction() throws {
        let f = try StyblinskiTang(dimension: 5).sampled(batchSize: 5)
        let x = [1.0, -2, 0.5, 3, -4]
        let batch = f.minibatch(7)
        #expect(batch.terms == [0, 1, 2, 3, 4] && batch.weight == 1)
        #expect(f.value(x, batch: batch) == f.value(x))
        #expect(f.gradient(x, batch: batch) == f.gradient(x))
    }

    @Test func catalogMakesNoisyLeastSquaresStochasticByDefault() throws {
        let f = try FunctionCatalog.make("noisy-least-squares")
        let s = try #require(f as? any StochasticTestFunction)
        #expect(s.batchSize == 32)
        let full = try FunctionCatalog.make("noisy-least-squares", parameters: FunctionParameters(batchSize: 5000))
        #expect(!(full is any StochasticTestFunction))
        #expect(try !(FunctionCatalog.make("rosenbrock") is any StochasticTestFunction))
        #expect(try FunctionCatalog.make("rosenbrock", dimension: 9, parameters: FunctionParameters(batchSize: 3))
                is any StochasticTestFunction)
    }

    @Test func blockHeterogeneousScalesSpanTheRequestedRange() throws {
        let f = try BlockHeterogeneousQuadratic(dimension: 17, blockCount: 5, seed: 3)
        #expect(f.blockScales.min() == 1 && f.blockScales.max() == 1e4)
        #expect(Set(f.blockScales).count == 5)
        #expect(f.blockRanges.map(\.count).reduce(0, +) == 17)
        #expect(f.blockRanges.map(\.count).max()! - f.blockRanges.map(\.count).min()! <= 1)
        // Block gradient norms at the start span ≈ 10⁴ (within the jitter factor 3).
        let g = f.gradient(f.defaultStart)
        let norms = f.blockRanges.map { r in r.map { g[$0] * g[$0] }.reduce(0, +).squareRoot() }
        let span = norms.max()! / norms.min()!
        #expect(span > 1e4 / 3 && span < 1e4 * 3, "span \(span)")
        // The seeded order is not simply ascending for this seed, and seeds differ.
        let other = try BlockHeterogeneousQuadratic(dimension: 17, blockCount: 5, seed: 4)
        #expect(f.blockScales != other.blockScales || f.curvatures != other.curvatures)
    }
}
