import Testing
import ZOCore
@testable import ZOOptim

@Suite("HiZOO")
struct HiZOOTests {
    // MARK: Convergence

    @Test func convergesWithinItsBudget() throws {
        // The budget stated in HiZOO's doc comment: d = 10, κ = 10, θ₀ = 1, η = 0.03,
        // μ = 1e-4, α = 0.01, seed 1: 2000 steps (6000 forwards) reach < 1e-3 of the start.
        let f = QuadraticObjective<Double>.diagonal(d: 10, kappa: 10)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("hizoo", options: ["lr": "0.03", "mu": "1e-4", "alpha": "0.01"],
                                             parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 2000, seed: 1,
                                                                                                 evaluateEvery: 100))
        #expect(result.divergence == nil)
        #expect(result.totalForwardPasses == 6000)
        let end = try #require(result.finalLoss)
        #expect(end < 1e-3 * start, "start \(start), end \(end)")
    }

    @Test func multiConvergesWithinItsBudget() throws {
        // HiZOO-multi (n = 4, 9 forwards per step), same problem and settings: 1000 steps.
        let f = QuadraticObjective<Double>.diagonal(d: 10, kappa: 10)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("hizoo-multi", options: ["lr": "0.03", "mu": "1e-4", "alpha": "0.01"],
                                             parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 1000, seed: 1,
                                                                                                 evaluateEvery: 1000))
        let end = try #require(result.finalLoss)
        #expect(result.divergence == nil && end < 1e-3 * start && result.totalForwardPasses == 9000, "end \(end)")
    }

    @Test func convergesInFloat32() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 10, kappa: 10)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("hizoo", options: ["lr": "0.03", "mu": "1e-3", "alpha": "0.01"],
                                             parameters: f.parameters)
        let result = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 2000, seed: 1,
                                                                                                 evaluateEvery: 2000))
        let end = try #require(result.finalLoss)
        #expect(result.divergence == nil && end < 1e-3 * start, "start \(start), end \(end)")
    }

    @Test func beatsMeZOOnAnIllConditionedQuadraticAtEqualForwardPasses() throws {
        // The comparison stated in HiZOO's doc comment.
        // κ = 1000, d = 10, θ₀_i = 1/√λ_i (every coordinate starts with loss ½, so the slow
        // directions matter). 12 000 forward passes each: MeZO 6000 steps at the best of
        // η ∈ {1e-4, 3e-4, 5e-4, 7e-4} (1e-3 diverges), HiZOO 4000 steps at η = 0.1, α = 0.1.
        // Seed 1. Measured: MeZO best ≈ 5e-5 of the start (η = 7e-4), HiZOO ≈ 9e-9.
        let lambda = geometricCurvature(d: 10, kappa: 1000)
        func final(_ name: String, _ options: [String: String], steps: Int) throws -> Double {
            let f = QuadraticObjective<Double>(curvature: lambda, start: lambda.map { 1 / $0.squareRoot() })
            let start = try f.loss()
            let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
            let r = try OptimizationRun.run(f, optimizer: opt,
                                            configuration: RunConfiguration(steps: steps, seed: 1, evaluateEvery: steps))
            #expect(r.totalForwardPasses == 12_000 || r.divergence != nil)
            return r.divergence == nil ? (r.finalLoss ?? .infinity) / start : .infinity
        }
        let mezo = try ["1e-4", "3e-4", "5e-4", "7e-4"].map { try final("mezo", ["lr": $0, "eps": "1e-4"], steps: 6000) }
        let bestMeZO = try #require(mezo.filter(\.isFinite).min())
        let hizoo = try final("hizoo", ["lr": "0.1", "mu": "1e-4", "alpha": "0.1"], steps: 4000)
        #expect(hizoo < 1e-2 * bestMeZO, "HiZOO \(hizoo), MeZO \(mezo)")
    }

    // MARK: Forward passes, report

    @Test(arguments: [(1, 3), (2, 5), (4, 9)])
    func countsForwardPasses(samples: Int, expected: Int) throws {
        let f = QuadraticObjective<Double>.diagonal(d: 4, kappa: 2)
        let opt = try HiZOO(parameters: f.parameters, configuration: {
            var c = HiZOOConfiguration(learningRate: 1e-3)
            c.hessianSamples = samples
            return c
        }())
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        #expect(report.forwardPasses == expected && f.lossCalls == expected && report.losses.count == expected)
        #expect(report.projectedGradients.count == samples && report.backwardPasses == 0)
        #expect(report.loss == report.losses[0])
        #expect(report.stateBytes == 4 * MemoryLayout<Double>.stride)
        #expect(report.diagnostics["hessianClampedLow"] == 0 && report.diagnostics["hessianSkipped"] == 0)
    }

    @Test func stateBytesAreMeasuredFromTheHessianSlab() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 37, kappa: 2)
        let opt = try OptimizerRegistry.make("hizoo", parameters: f.parameters)
        #expect(opt.stateBytes == 37 * MemoryLayout<Float>.stride)
        let multi = try OptimizerRegistry.make("hizoo-multi", parameters: f.parameters)
        #expect(multi.settings["hessian-samples"] == "4")
        #expect(try multi.step(f, context: StepContext(step: 0, runSeed: 1)).forwardPasses == 9)
    }

    // MARK: Estimators

    @Test func exactHessianPreconditionsLikeDiagonalNewton() throws {
        // H = diag(A) exactly, α = 0: E[ĝ] = Σ∇L = A⁻¹∇L = θ − θ* (the diagonal Newton step).
        // 4000 seeded estimates; each coordinate within 5 standard errors of θ_i, and the
        // un-preconditioned ∇L (negative control) far outside.
        let lambda = [1.0, 10, 100, 0.5, 3]
        let f = QuadraticObjective<Double>(curvature: lambda, start: [0.5, -1, 0.2, 2, -0.3])
        var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-4, alpha: 0)
        c.hMin = 1e-6
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        try opt.setHessianDiagonal(lambda)
        let theta = f.x
        var stats = CoordinateMeans(count: 5)
        for s in 0..<4000 {
            stats.add(try opt.estimate(f, key: NoiseKey(seed: 11, stream: UInt64(s))).gradient)
        }
        #expect(f.x == theta)   // estimate() leaves θ bit-identical
        let mean = stats.mean, se = stats.standardError
        for i in 0..<5 {
            #expect(abs(mean[i] - theta[i]) < 5 * se[i], "coordinate \(i): mean \(mean[i]), Newton \(theta[i]), se \(se[i])")
        }
        let gradient = zip(lambda, theta).map { $0 * $1 }
        #expect(abs(mean[2] - gradient[2]) > 50 * se[2])
    }

    @Test(arguments: [false, true])
    func paperEstimatorIsUnbiasedOnAQuadratic(identity: Bool) throws {
        // Mean of Ĥ over 4000 samples within 5 standard errors of diag(A), for Σ = I and for a
        // non-uniform Σ. The omit-term variant's mean matches its predicted bias
        // ½(tr M + 2M_ii)·H_ii, M = Σ^{1/2}AΣ^{1/2}, and is far from diag(A).
        let lambda = [1.0, 4, 0.25, 9, 2, 0.5]
        let h = identity ? [Double](repeating: 1, count: 6) : [2.0, 1, 0.5, 3, 1, 4]
        for estimator in HessianEstimator.allCases {
            let f = QuadraticObjective<Double>(curvature: lambda, start: [1, -1, 0.5, 0.2, 2, -2])
            var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 0)
            c.estimator = estimator
            let opt = try HiZOO(parameters: f.parameters, configuration: c)
            try opt.setHessianDiagonal(h)
            var stats = CoordinateMeans(count: 6)
            for s in 0..<4000 {
                stats.add(try opt.estimate(f, key: NoiseKey(seed: 5, stream: UInt64(s))).hessian)
            }
            let traceM = zip(lambda, h).reduce(0) { $0 + $1.0 / $1.1 }
            for i in 0..<6 {
                let expected = estimator == .paper ? lambda[i] : 0.5 * (traceM + 2 * lambda[i] / h[i]) * h[i]
                #expect(abs(stats.mean[i] - expected) < 5 * stats.standardError[i],
                        "\(estimator) coordinate \(i): mean \(stats.mean[i]), expected \(expected)")
            }
            if estimator == .omitTerm {
                #expect(abs(stats.mean[0] - lambda[0]) > 20 * stats.standardError[0])
            }
        }
    }

    @Test func paperEstimatorIsUnbiasedOnARotatedQuadratic() throws {
        // Off-diagonal A (a rotated, ill-conditioned quadratic): E[Ĥ_ii] = A_ii still, and
        // E[ĝ] = Σ A θ (here Σ = I: the gradient).
        let a: [[Double]] = [[5, 2, -1], [2, 3, 0.5], [-1, 0.5, 0.2]]
        let f = DenseQuadraticObjective(matrix: a, start: [0.3, -0.7, 1])
        let opt = try HiZOO(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 0))
        var h = CoordinateMeans(count: 3), g = CoordinateMeans(count: 3)
        for s in 0..<4000 {
            let e = try opt.estimate(f, key: NoiseKey(seed: 8, stream: UInt64(s)))
            h.add(e.hessian)
            g.add(e.gradient)
        }
        let theta = [0.3, -0.7, 1.0]
        for i in 0..<3 {
            let gradient = (0..<3).reduce(0) { $0 + a[i][$1] * theta[$1] }
            #expect(abs(h.mean[i] - a[i][i]) < 5 * h.standardError[i], "Ĥ \(i): \(h.mean[i]) vs \(a[i][i])")
            #expect(abs(g.mean[i] - gradient) < 5 * g.standardError[i], "ĝ \(i): \(g.mean[i]) vs \(gradient)")
        }
    }

    @Test func omitTermEMAFixedPointIsOnePlusHalfDTimesTheDiagonal() throws {
        // H₀ = diag(A), α = 0.01, η tiny (θ ≈ fixed): the EMA settles at (1 + d/2)·diag(A),
        // here 4·diag(A) for d = 6. Average of H/λ over steps 1000…4000: each coordinate within
        // 15 %, the mean over coordinates within 5 %.
        let lambda = [1.0, 4, 0.25, 9, 2, 0.5]
        let f = QuadraticObjective<Double>(curvature: lambda)
        var c = HiZOOConfiguration(learningRate: 1e-12, mu: 1e-3, alpha: 0.01)
        c.estimator = .omitTerm
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        try opt.setHessianDiagonal(lambda)
        var ratio = [Double](repeating: 0, count: 6)
        for t in 0..<4000 {
            _ = try opt.step(f, context: StepContext(step: t, runSeed: 21))
            if t >= 1000 {
                for (i, h) in opt.hessianDiagonal().enumerated() { ratio[i] += h / lambda[i] / 3000 }
            }
        }
        for r in ratio { #expect(abs(r - 4) < 0.6, "ratio \(ratio)") }
        #expect(abs(ratio.reduce(0, +) / 6 - 4) < 0.2, "ratio \(ratio)")
    }

    @Test func moreHessianSamplesReduceTheEstimateVariance() throws {
        func variance(samples: Int) throws -> Double {
            let f = QuadraticObjective<Double>(curvature: [1, 2, 3, 4])
            var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 0)
            c.hessianSamples = samples
            let opt = try HiZOO(parameters: f.parameters, configuration: c)
            var stats = CoordinateMeans(count: 4)
            for s in 0..<1500 { stats.add(try opt.estimate(f, key: NoiseKey(seed: 3, stream: UInt64(s))).hessian) }
            return stats.standardError.reduce(0) { $0 + $1 * $1 }
        }
        let ratio = try variance(samples: 1) / variance(samples: 4)
        #expect(ratio > 2.5 && ratio < 6, "variance ratio n=1 / n=4: \(ratio)")
    }

    // MARK: Numerical safety

    /// Scripted losses (L₀, L₊, L₋) and the clamp each must trigger: -1 low, +1 high, 0 skipped
    /// (the second difference is not finite). Shared with the HiZOO-L test.
    static let extremeLossScripts: [([Double], Int)] = [
        ([0.0, 1e308, 1e308], 0), ([0.0, 1e200, 1e200], 1), ([1.0, 1.0, 1.0], -1), ([0.0, 1e-300, 1e-300], -1),
    ]

    @Test(arguments: Self.extremeLossScripts)
    func hessianNeverUnderflowsOrBecomesNonFinite(script: [Double], expected: Int) throws {
        try checkExtremeLosses(Double.self, script: script, expected: expected)
        try checkExtremeLosses(Float.self, script: script, expected: expected)
    }

    private func checkExtremeLosses<S: ZOScalar>(_: S.Type, script: [Double], expected: Int) throws {
        let f = ScriptedObjective<S>(count: 8, script: script)
        let c = { () -> HiZOOConfiguration in
            var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 1)
            c.hMin = 1e-12
            c.hMax = 1e12
            return c
        }()
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        for t in 0..<3 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 4))
            let h = opt.hessianDiagonal()
            #expect(h.allSatisfy { $0.isFinite && $0 >= Double(S(1e-12)) && $0 <= Double(S(1e12)) }, "\(S.self) H \(h)")
            #expect(f.parameters.isFinite)
            switch expected {
            case 0:
                #expect(r.diagnostics["hessianSkipped"] == 1 && h.allSatisfy { $0 == 1 })
            case 1:
                #expect(r.diagnostics["hessianClampedHigh"] == 8 && h.allSatisfy { $0 == Double(S(1e12)) })
            default:
                #expect(r.diagnostics["hessianClampedLow"] == 8 && h.allSatisfy { $0 == Double(S(1e-12)) })
            }
        }
    }

    @Test func float32HessianMovesEvenForTinyCurvatureAndSmoothScale() throws {
        // The reference code forms α·ΔL before dividing by 2μ²; in fp16 that underflows and H
        // stays 1. Here: curvature 1e-6, α = 1e-2, μ = 1e-3 in Float32 — H must leave 1.
        let f = QuadraticObjective<Float>(curvature: [Double](repeating: 1e-6, count: 4))
        let opt = try HiZOO(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 1e-2))
        _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        let h = opt.hessianDiagonal()
        #expect(h.allSatisfy { $0 < 0.999 && $0 > 0.98 }, "\(h)")
    }

    @Test func alphaZeroKeepsHAndIsMeZOWithSigmaFromH() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 5, kappa: 3)
        let opt = try HiZOO(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-2, alpha: 0))
        for t in 0..<10 { _ = try opt.step(f, context: StepContext(step: t, runSeed: 2)) }
        #expect(opt.hessianDiagonal() == [Double](repeating: 1, count: 5))
        // With H ≡ 1 the update is MeZO's −η g u along the same stream.
        let g = QuadraticObjective<Double>.diagonal(d: 5, kappa: 3)
        let m = MeZO(parameters: g.parameters, learningRate: 1e-2)
        let h = QuadraticObjective<Double>.diagonal(d: 5, kappa: 3)
        let z = try HiZOO(parameters: h.parameters, configuration: HiZOOConfiguration(learningRate: 1e-2, alpha: 0))
        _ = try m.step(g, context: StepContext(step: 0, runSeed: 9))
        _ = try z.step(h, context: StepContext(step: 0, runSeed: 9))
        for (a, b) in zip(g.x, h.x) { #expect(abs(a - b) < 1e-14) }
    }

    @Test func sigmaForUpdateOldAndNewDifferOnlyWhenHMoves() throws {
        func after(_ sigma: SigmaForUpdate, alpha: Double) throws -> [Double] {
            let f = QuadraticObjective<Double>.diagonal(d: 6, kappa: 5)
            var c = HiZOOConfiguration(learningRate: 1e-2, mu: 1e-3, alpha: alpha)
            c.sigmaForUpdate = sigma
            let opt = try HiZOO(parameters: f.parameters, configuration: c)
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 3))
            return f.x
        }
        #expect(try after(.old, alpha: 0) == after(.new, alpha: 0))
        #expect(try after(.old, alpha: 0.5) != after(.new, alpha: 0.5))
    }

    @Test func weightDecayFollowsTheGroups() throws {
        var layout = ParameterLayout()
        layout.beginBlock("l")
        layout.add("w", [3], role: .weight)
        layout.add("b", [2], role: .bias)
        let f = LayoutQuadraticObjective<Double>(layout: layout, curvature: [1, 2, 3, 4, 5], start: [1, 1, 1, 1, 1])
        var c = HiZOOConfiguration(learningRate: 0.1, mu: 1e-3, alpha: 0)
        c.weightDecay = 0.5
        let decayed = try HiZOO(parameters: f.parameters, configuration: c)
        let g = LayoutQuadraticObjective<Double>(layout: layout, curvature: [1, 2, 3, 4, 5], start: [1, 1, 1, 1, 1])
        c.weightDecay = 0
        let plain = try HiZOO(parameters: g.parameters, configuration: c)
        _ = try decayed.step(f, context: StepContext(step: 0, runSeed: 1))
        _ = try plain.step(g, context: StepContext(step: 0, runSeed: 1))
        let a = f.parameters.snapshot(), b = g.parameters.snapshot()
        for i in 0..<3 { #expect(abs((a[i] - b[i]) + 0.1 * 0.5 * 1) < 1e-12) }   // θ·(1 − ηλ) with θ = 1
        for i in 3..<5 { #expect(a[i] == b[i]) }
    }

    // MARK: Blocks and state

    @Test func blockRestrictedStepsTouchOnlyTheirBlocks() throws {
        let f = QuadraticObjective<Float>.diagonal(d: 12, kappa: 4, blocks: [4, 4, 4])
        let opt = try HiZOO(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-2, alpha: 0.5))
        let before = f.parameters.snapshot()
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 3), blocks: [1], blockScales: nil)
        let after = f.parameters.snapshot(), h = opt.hessianDiagonal()
        #expect(report.activeBlocks == [1] && report.diagnostics["blockNormSq1"] != nil)
        #expect(Array(after[0..<4]) == Array(before[0..<4]) && Array(after[8..<12]) == Array(before[8..<12]))
        #expect(Array(after[4..<8]) != Array(before[4..<8]))
        #expect(h[0..<4].allSatisfy { $0 == 1 } && h[8..<12].allSatisfy { $0 == 1 } && h[4..<8].allSatisfy { $0 != 1 })
    }

    @Test func activeStorageHoldsHessiansForActiveBlocksOnly() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 12, kappa: 4, blocks: [4, 4, 4])
        var c = HiZOOConfiguration(learningRate: 1e-2, alpha: 0.5)
        c.storage = .activeBlocks
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        #expect(opt.stateBytes == 0)
        opt.activeBlocksChanged(to: [0, 2])
        #expect(opt.stateBytes == 8 * 8 && opt.heldBlocks == [0, 2])
        _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1), blocks: [0, 2], blockScales: nil)
        #expect(opt.hessianDiagonal()[0] != 1)
        opt.activeBlocksChanged(to: [2, 1])
        let h = opt.hessianDiagonal()
        #expect(opt.heldBlocks == [1, 2] && opt.stateBytes == 8 * 8)
        #expect(h[0..<4].allSatisfy(\.isNaN) && h[4..<8].allSatisfy { $0 == 1 } && h[8..<12].allSatisfy { $0 != 1 })
        // Full storage: an entering block is reset, a leaving one keeps its H.
        let g = QuadraticObjective<Double>.diagonal(d: 12, kappa: 4, blocks: [4, 4, 4])
        let full = try HiZOO(parameters: g.parameters, configuration: HiZOOConfiguration(learningRate: 1e-2, alpha: 0.5))
        _ = try full.step(g, context: StepContext(step: 0, runSeed: 1))
        let h0 = full.hessianDiagonal()
        full.activeBlocksChanged(to: [0])
        full.activeBlocksChanged(to: [1])
        let h1 = full.hessianDiagonal()
        #expect(Array(h1[0..<4]) == Array(h0[0..<4]) && h1[4..<8].allSatisfy { $0 == 1 } && full.stateBytes == 12 * 8)
    }

    @Test(arguments: [HessianStorage.full, .activeBlocks])
    func saveAndLoadContinueBitIdentically(storage: HessianStorage) throws {
        func make(_ f: QuadraticObjective<Float>) throws -> HiZOO<Float> {
            var c = HiZOOConfiguration(learningRate: 1e-2, mu: 1e-3, alpha: 0.05)
            c.storage = storage
            return try HiZOO(parameters: f.parameters, configuration: c)
        }
        let f = QuadraticObjective<Float>.diagonal(d: 9, kappa: 20, blocks: [3, 3, 3])
        let a = try make(f)
        if storage == .activeBlocks { a.activeBlocksChanged(to: [0, 2]) }
        let blocks = storage == .full ? [0, 1, 2] : [0, 2]
        for t in 0..<30 { _ = try a.step(f, context: StepContext(step: t, runSeed: 8), blocks: blocks, blockScales: nil) }
        let saved = a.saveState(), theta = f.parameters.snapshot()
        for t in 30..<50 { _ = try a.step(f, context: StepContext(step: t, runSeed: 8), blocks: blocks, blockScales: nil) }
        let g = QuadraticObjective<Float>.diagonal(d: 9, kappa: 20, blocks: [3, 3, 3])
        g.parameters.assign(theta)
        let b = try make(g)
        try b.loadState(saved)
        #expect(b.stateBytes == a.stateBytes)
        for t in 30..<50 { _ = try b.step(g, context: StepContext(step: t, runSeed: 8), blocks: blocks, blockScales: nil) }
        #expect(g.parameters.snapshot() == f.parameters.snapshot())
        #expect(b.hessianDiagonal().map { $0.isNaN ? -1 : $0 } == a.hessianDiagonal().map { $0.isNaN ? -1 : $0 })
        #expect(throws: OptimizerError.self) { try b.loadState(OptimizerState()) }
    }

    @Test func nonFiniteLossRestoresParametersAndThrows() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 5, kappa: 3)
        f.nanAfterCalls = 2   // L₀ and L₊ fine, L₋ NaN
        let opt = try HiZOO(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-2))
        let before = f.x
        #expect(throws: OptimizerError.self) { try opt.step(f, context: StepContext(step: 0, runSeed: 1)) }
        for (a, b) in zip(f.x, before) { #expect(abs(a - b) < 1e-15) }
        #expect(opt.hessianDiagonal() == [Double](repeating: 1, count: 5))
    }

    @Test func parallelFusedStepMatchesANaiveTwin() throws {
        // d = 70 000 (split across threads): one step against the formulas written out on
        // materialised noise, paper estimator, Σ new.
        let d = 70_000
        let lambda = (0..<d).map { 1 + Double($0 % 7) }
        let f = QuadraticObjective<Double>(curvature: lambda, start: (0..<d).map { Double($0 % 5) - 2 })
        var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 0.3)
        c.hMin = 1e-6
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        let h0 = (0..<d).map { 0.5 + Double($0 % 3) }
        try opt.setHessianDiagonal(h0)
        let theta = f.x
        _ = try opt.step(f, context: StepContext(step: 5, runSeed: 77))
        let u = Noise.values(Double.self, count: d, key: NoiseKey(seed: 77, stream: 5))
        let s = h0.map { 1 / $0.squareRoot() }
        let l0 = f.value(at: theta)
        let lp = f.value(at: (0..<d).map { theta[$0] + 1e-3 * s[$0] * u[$0] })
        let lm = f.value(at: (0..<d).map { theta[$0] - 1e-3 * s[$0] * u[$0] })
        let g = (lp - lm) / 2e-3, curvature = ((lp - l0) + (lm - l0)) / 2e-6
        let h = opt.hessianDiagonal(), x = f.x
        var worstH = 0.0, worstX = 0.0
        for i in 0..<d {
            let estimate = curvature * (u[i] * u[i] - 1) * h0[i]
            let hNew = min(max(0.7 * h0[i] + 0.3 * abs(estimate), 1e-6), 1e12)
            let xNew = theta[i] - 1e-3 * g * u[i] / hNew.squareRoot()
            worstH = max(worstH, abs(h[i] - hNew) / hNew)
            worstX = max(worstX, abs(x[i] - xNew) / max(abs(xNew), 1))
        }
        #expect(worstH < 1e-8 && worstX < 1e-10, "H \(worstH), θ \(worstX)")
    }

    @Test func float32RestoreDriftIsAFewUlps() throws {
        // α = 0 and η tiny: after a step θ differs from θ₀ only by the rounding of the three
        // in-place adds (≤ 4 ulps of |θ| + μ|Σ^{1/2}u|) plus the negligible update.
        let f = QuadraticObjective<Float>(curvature: [Double](repeating: 1, count: 64),
                                          start: (0..<64).map { Double($0) / 7 - 4 })
        var c = HiZOOConfiguration(learningRate: 1e-30, mu: 1e-2, alpha: 0)
        c.hMin = 1e-6
        let opt = try HiZOO(parameters: f.parameters, configuration: c)
        try opt.setHessianDiagonal((0..<64).map { 0.01 + Double($0) })
        let before = f.parameters.snapshot()
        _ = try opt.step(f, context: StepContext(step: 0, runSeed: 5))
        let u = Noise.values(Float.self, count: 64, key: NoiseKey(seed: 5, stream: 0))
        for (i, (a, b)) in zip(f.parameters.snapshot(), before).enumerated() {
            let scale = abs(b) + 1e-2 * abs(u[i]) / Float(0.01 + Double(i)).squareRoot()
            #expect(abs(a - b) <= 4 * scale.ulp, "element \(i): \(a) vs \(b)")
        }
    }

    // MARK: Options

    @Test func badOptionsAreRejected() throws {
        let p = ParameterSet<Float>(vector: [1, 2, 3])
        let bad: [[String: String]] = [
            ["alpha": "1.5"], ["alpha": "-0.1"], ["alpha": "nan"], ["mu": "inf"], ["lr": "0"],
            ["h-min": "1", "h-max": "1"], ["h-min": "10", "h-max": "1"], ["h-min": "1e-40"], ["h-max": "1e39"],
            ["h-init": "1e20"], ["hessian-samples": "0"], ["estimator": "exact"], ["sigma-for-update": "mid"],
            ["hessian-storage": "active", "reset-entering": "false"], ["mu": "1e-200"], ["weight-decay": "-1"],
        ]
        for options in bad {
            #expect(throws: OptimizerError.self, "\(options)") { try OptimizerRegistry.make("hizoo", options: options, parameters: p) }
        }
        do {
            _ = try OptimizerRegistry.make("hizoo", options: ["h-min": "1e-40"], parameters: p)
        } catch let e as OptimizerError {
            #expect("\(e)".contains("h-min") && "\(e)".contains("underflow"))
        }
        // Double accepts what Float cannot hold.
        let q = ParameterSet<Double>(vector: [1, 2, 3])
        _ = try OptimizerRegistry.make("hizoo", options: ["h-min": "1e-40", "h-max": "1e100"], parameters: q)
        #expect(throws: OptimizerError.self) { try HiZOO(parameters: q, configuration: HiZOOConfiguration(learningRate: .nan)) }
    }
}
