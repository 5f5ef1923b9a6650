import Testing
import ZOCore
@testable import ZOOptim

@Suite("Sparse MeZO: thresholds, masks, the mask under perturbation")
struct SparseMeZOTests {
    /// Float weights without ties (a Gaussian draw) in the two-layer layout, scaled up so that
    /// matrices and vectors have enough elements for exact fractions.
    static func problem(rows: Int = 20, cols: Int = 12) -> LayoutQuadratic<Float> {
        LayoutQuadratic<Float>.twoLayer(rows: rows, cols: cols, seed: 5)
    }

    @Test func selectionMatchesItsSortingTwin() throws {
        var rng = PhiloxRandom(seed: 17)
        let shapes: [[Double]] = [
            (0..<257).map { _ in rng.nextGaussian() },                       // distinct
            (0..<200).map { _ in Double(Int(rng.nextUniform() * 7)) },       // heavy ties
            (0..<128).map(Double.init),                                       // sorted
            (0..<128).map { Double(128 - $0) },                               // reversed
            [Double](repeating: 3, count: 50),                                // all equal
            [4.0],
        ]
        for values in shapes {
            for k in Set([0, 1, values.count / 4, values.count / 2, values.count - 1].filter { $0 >= 0 && $0 < values.count }) {
                var copy = values
                let fast = copy.withUnsafeMutableBufferPointer { Selection.kthSmallest($0, k: k) }
                #expect(fast == Selection.kthSmallestNaive(values, k: k), "k = \(k) of \(values.count)")
                #expect(copy.sorted() == values.sorted())   // a permutation
            }
        }
    }

    @Test func thresholdsMatchTheNaiveTwinAndFreezeTheRightFraction() throws {
        for s in [0.0, 0.5, 0.75, 0.9] {
            let f = Self.problem()
            let p = f.parameters
            let tau = try SparseMeZO<Float>.thresholds(of: p, sparsity: s)
            #expect(tau == SparseMeZO<Float>.thresholdsNaive(of: p, sparsity: s))
            for (t, tensor) in p.tensors.enumerated() {
                let below = p.view(t).array.filter { abs($0) < tau[t] }.count
                #expect(below == SparseMeZO<Float>.updatedCount(of: tensor.count, sparsity: s), "s \(s) tensor \(tensor.name)")
            }
        }
        #expect(SparseMeZO<Float>.updatedCount(of: 1000, sparsity: 0.75) == 250)   // the seed's example, as its table reads
        #expect(SparseMeZO<Float>.updatedCount(of: 1000, sparsity: 0.7) == 300)
    }

    @Test func tiesAtTheThresholdOnlyShrinkTheMask() throws {
        let p = ParameterSet<Float>(vector: [0.5, -0.5, 0.5, 1, 2, -0.5, 3, 0.25], role: .weight)
        let tau = try SparseMeZO<Float>.thresholds(of: p, sparsity: 0.5)   // k = 4 → τ = 0.5 (tied 4×)
        #expect(tau == [0.5])
        let masked = p.snapshot().filter { abs($0) < tau[0] }.count
        #expect(masked == 1)   // only 0.25: ties at τ are frozen (strict <, as the reference code)
        let zero = ParameterSet<Float>(vector: [Float](repeating: 0, count: 8), role: .lora)
        #expect(try SparseMeZO<Float>.thresholds(of: zero, sparsity: 0.75) == [0])   // LoRA B = 0: empty mask
    }

    /// One step moves exactly the elements of m(θ_t) — (1 − s) of each tensor — and leaves every
    /// other weight bit-identical.
    @Test func aStepTouchesOnlyTheMaskedWeights() throws {
        let f = Self.problem()
        let p = f.parameters
        let s = 0.75
        let tau = try SparseMeZO<Float>.thresholds(of: p, sparsity: s)
        let before = p.snapshot()
        let opt = SparseMeZO(parameters: p, learningRate: 1e-2, epsilon: 1e-3, sparsity: s)
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 4))
        let after = p.snapshot()
        for (t, tensor) in p.tensors.enumerated() {
            var changed = 0
            for i in tensor.range {
                let masked = abs(before[i]) < tau[t]
                if masked { if after[i] != before[i] { changed += 1 } } else { #expect(after[i] == before[i]) }
            }
            #expect(changed == SparseMeZO<Float>.updatedCount(of: tensor.count, sparsity: s), "\(tensor.name)")
        }
        #expect(abs(report.diagnostics["maskedFraction"]! - 0.25) < 0.01)
        #expect(opt.stateBytes == p.tensors.count * MemoryLayout<Float>.size)   // one Float32 threshold per tensor
    }

    /// The mask under perturbation: with ε large enough that θ ± εz carries many masked weights
    /// across ±τ, the direction still moves exactly m(θ_t) at every stage — a mask recomputed
    /// from the perturbed weights (the reference code) would not — and +ε, −2ε, +ε returns the
    /// masked weights to θ_t up to rounding, the others bit-identical.
    @Test(arguments: [Float(0.05), 0.5])
    func perturbAndRestoreKeepTheMaskOfTheUnperturbedWeights(_ epsilon: Float) throws {
        let f = Self.problem(rows: 30, cols: 20)
        let p = f.parameters
        let tau = try SparseMeZO<Float>.thresholds(of: p, sparsity: 0.5)
        let theta = p.snapshot()
        let key = NoiseKey(seed: 8, stream: 3)
        let direction = MagnitudeMaskedDirection(blocks: Array(p.blocks.indices), thresholds: tau)
        let z = direction.materialize(key: key, parameters: p)
        let tensorOf: [Int] = p.tensors.enumerated().flatMap { t, info in [Int](repeating: t, count: info.count) }
        let inMask: [Bool] = theta.indices.map { abs(theta[$0]) < tau[tensorOf[$0]] }

        direction.add(scale: Double(epsilon), key: key, to: p)
        let plus = p.snapshot()
        var flips = 0
        for i in theta.indices {
            #expect((plus[i] != theta[i]) == (inMask[i] && z[i] != 0))
            if (abs(plus[i]) < tau[tensorOf[i]]) != inMask[i] { flips += 1 }
        }
        #expect(flips > 0, "ε = \(epsilon) should carry some masked weights across τ")
        #expect(direction.crossings.count == flips)

        direction.add(scale: Double(-2 * epsilon), key: key, to: p)
        let minus = p.snapshot()
        for i in theta.indices where inMask[i] {
            #expect(abs(Double(minus[i]) - (Double(theta[i]) - Double(epsilon) * Double(z[i]))) <= 1e-6 * (1 + Double(epsilon)))
        }
        direction.add(scale: Double(epsilon), key: key, to: p)
        let back = p.snapshot()
        for i in theta.indices {
            if inMask[i] {
                let scale = abs(theta[i]) + 3 * epsilon * abs(z[i])
                #expect(abs(back[i] - theta[i]) <= 4 * scale.ulp, "element \(i)")
            } else {
                #expect(back[i].bitPattern == theta[i].bitPattern)
            }
        }
    }

    @Test func zeroSparsityIsMeZOBitForBit() throws {
        func run(_ name: String, _ extra: [String: String]) throws -> [Float] {
            let f = Self.problem(rows: 6, cols: 5)
            let opt = try OptimizerRegistry.make(name, options: ["lr": "1e-2"].merging(extra) { a, _ in a }, parameters: f.parameters)
            try ZOFamilyTesting.steps(opt, on: f, from: 0, count: 20, seed: 12)
            return f.parameters.snapshot()
        }
        #expect(try run("sparse-mezo", ["sparsity": "0"]) == run("mezo", [:]))
        #expect(try run("sparse-mezo", ["sparsity": "0", "weight-decay": "0.1"]) == run("mezo", ["weight-decay": "0.1"]))
    }

    /// `zero-is-small`: a zero tensor (LoRA B at initialisation) is frozen by the reference rule
    /// and fully perturbed with the option; with refresh 1 the next step masks (1 − s) of it.
    @Test func zeroIsSmallLetsAZeroTensorMove() throws {
        func run(zeroIsSmall: Bool) throws -> (first: Int, second: Int, count: Int) {
            let f = Self.problem(rows: 8, cols: 10)
            let t = 0
            let zeroed = f.parameters.view(t).buffer
            for i in zeroed.indices { zeroed[i] = 0 }
            let opt = SparseMeZO(parameters: f.parameters, learningRate: 1e-2, sparsity: 0.75, thresholdRefresh: 1,
                                 zeroIsSmall: zeroIsSmall)
            let before = f.parameters.view(t).array
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 3))
            let middle = f.parameters.view(t).array
            _ = try opt.step(f, context: StepContext(step: 1, runSeed: 3))
            let after = f.parameters.view(t).array
            let first = zip(before, middle).filter { $0 != $1 }.count
            let second = zip(middle, after).filter { $0 != $1 }.count
            return (first, second, before.count)
        }
        let reference = try run(zeroIsSmall: false)
        #expect(reference.first == 0 && reference.second == 0)   // τ = 0, strict <: never moves
        let included = try run(zeroIsSmall: true)
        #expect(included.first == included.count)                 // every zero is masked
        #expect(included.second == SparseMeZO<Float>.updatedCount(of: included.count, sparsity: 0.75))
    }

    /// τ is computed at the first step only (refresh 0) or every k steps, and a refreshed τ is
    /// the (1 − s) magnitude quantile of the weights *as they are then*: with a large step
    /// size the masked weights move, so the refreshed τ differs from the first one and equals
    /// the naive twin on the current weights; a fixed τ never changes.
    @Test func fixedThresholdsAreComputedOnceDynamicOnesEveryKSteps() throws {
        for (refresh, expected) in [(0, [1.0, 0, 0, 0, 0, 0]), (2, [1.0, 0, 1, 0, 1, 0]), (5, [1.0, 0, 0, 0, 0, 1])] {
            let f = Self.problem(rows: 6, cols: 5)
            let opt = SparseMeZO(parameters: f.parameters, learningRate: 0.5, epsilon: 1e-2, sparsity: 0.5,
                                 thresholdRefresh: refresh)
            var seen: [Double] = []
            var taus: [[Float]] = []
            for t in 0..<6 {
                let before = f.parameters.snapshot()
                seen.append(try opt.step(f, context: StepContext(step: t, runSeed: 2)).diagnostics["thresholdsRefreshed"]!)
                let tau = try #require(opt.thresholds)
                if seen.last == 1 {
                    let start = Self.problem(rows: 6, cols: 5).parameters
                    start.assign(before)   // τ comes from the unperturbed θ at the step's start
                    #expect(tau == SparseMeZO<Float>.thresholdsNaive(of: start, sparsity: 0.5), "refresh \(refresh), step \(t)")
                }
                taus.append(tau)
            }
            #expect(seen == expected, "refresh \(refresh)")
            if refresh == 0 {
                #expect(Set(taus.map { $0.map(\.bitPattern) }).count == 1, "a fixed τ never changes")
            } else {
                #expect(taus[refresh] != taus[0], "refresh \(refresh): the refreshed τ follows the moved weights")
            }
        }
    }

    /// The reference code's rule (`mask-recompute per-move`) against a dense simulation of it:
    /// every move displaces the elements with |θ| < τ at that moment, the restore and the update
    /// are separate adds. Elements that +εz carried past τ keep θ₀ + εz, those that −2εz carried
    /// past keep θ₀ − εz; the paper's rule (per-step) restores all of them and updates the whole
    /// mask of θ₀.
    @Test func perMoveMaskFollowsTheReferenceCodeAndStrandsCrossingWeights() throws {
        let d = 400, eps = 0.05, eta = 1e-3, seed: UInt64 = 4, step = 3
        var rng = PhiloxRandom(seed: 8)
        let start = (0..<d).map { _ in 2 * rng.nextUniform() - 1 }
        let center = (0..<d).map { _ in 0.3 * rng.nextGaussian() }
        let curvature = (0..<d).map { 1 + Double($0 % 5) }
        func run(_ mode: String) throws -> (theta: [Double], report: StepReport) {
            let f = QuadraticObjective<Double>(curvature: curvature, center: center, start: start)
            let opt = try OptimizerRegistry.make("sparse-mezo", options: ["lr": "\(eta)", "eps": "\(eps)", "sparsity": "0.5",
                                                                        "mask-recompute": mode], parameters: f.parameters)
            #expect(opt.settings["mask-recompute"] == mode)
            let r = try opt.step(f, context: StepContext(step: step, runSeed: seed))
            return (f.x, r)
        }
        // Dense simulation of the reference rule.
        let probe = QuadraticObjective<Double>(curvature: curvature, center: center, start: start)
        let tau = try SparseMeZO<Double>.thresholds(of: probe.parameters, sparsity: 0.5)[0]
        let z = Noise.values(Double.self, count: d, key: NoiseKey(seed: seed, stream: UInt64(step)))
        var theta = start
        func move(_ c: Double) { for i in 0..<d where abs(theta[i]) < tau { theta[i] = theta[i] + c * z[i] } }
        move(eps)
        let plus = probe.value(at: theta)
        move(-2 * eps)
        let minus = probe.value(at: theta)
        let g = (plus - minus) / (2 * eps)
        move(eps)
        move(-eta * g)

        let perMove = try run("per-move"), perStep = try run("per-step")
        #expect(perMove.theta == theta, "per-move equals the dense simulation of the reference rule")
        #expect(perMove.report.losses == [plus, minus])

        var crossedOut = 0, crossedBack = 0
        for i in 0..<d where abs(start[i]) < tau {
            let up = start[i] + eps * z[i]
            if !(abs(up) < tau) {
                crossedOut += 1
                #expect(perMove.theta[i] == up, "element \(i) left at θ₀ + εz")
            } else if !(abs(up - 2 * eps * z[i]) < tau) {
                crossedBack += 1
                #expect(abs(perMove.theta[i] - (start[i] - eps * z[i])) < 1e-15, "element \(i) left at θ₀ − εz")
            }
            // The paper's rule: every element of m(θ₀) restored and updated along z.
            #expect(abs(perStep.theta[i] - (start[i] - eta * (perStep.report.projectedGradients[0]) * z[i])) < 1e-14)
        }
        for i in 0..<d where !(abs(start[i]) < tau) { #expect(perStep.theta[i] == start[i]) }
        #expect(crossedOut > 0 && crossedBack > 0, "ε large enough to strand weights on both sides (\(crossedOut), \(crossedBack))")
        #expect(perMove.report.diagnostics["maskCrossings"]! >= Double(crossedOut))
        let differing = (0..<d).filter { abs(perMove.theta[$0] - perStep.theta[$0]) > 1e-9 }.count
        #expect(differing >= crossedOut + crossedBack)
    }

    @Test func blockRestrictedStepsMoveOnlyTheMaskedWeightsOfActiveBlocks() throws {
        func delta(scale: Double?) throws -> [Double] {
            let f = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 4, seed: 3)
            let before = f.x
            let opt = SparseMeZO(parameters: f.parameters, learningRate: 1e-2, sparsity: 0.5)
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 6), blocks: [1], blockScales: scale.map { [$0] })
            return zip(f.x, before).map { $0 - $1 }
        }
        let one = try delta(scale: nil), two = try delta(scale: 2)
        let block0 = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 4).parameters.blocks[0].range
        for i in block0 { #expect(one[i] == 0 && two[i] == 0) }
        #expect(one.filter { $0 != 0 }.count == two.filter { $0 != 0 }.count)
        for i in one.indices where one[i] != 0 { #expect(abs(two[i] - 2 * one[i]) < 1e-12) }
    }
}
