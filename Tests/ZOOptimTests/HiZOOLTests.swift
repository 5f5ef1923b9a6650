import Testing
import ZOCore
@testable import ZOOptim

@Suite("HiZOO-L")
struct HiZOOLTests {
    /// Block 0: W 4×5 (weight), b 5 (bias); block 1: V 3×2 (weight), g 2 (norm).
    static func layout() -> ParameterLayout {
        var layout = ParameterLayout()
        layout.beginBlock("layer0", layer: 0)
        layout.add("W", [4, 5], role: .weight)
        layout.add("b", [5], role: .bias)
        layout.beginBlock("layer1", layer: 1)
        layout.add("V", [3, 2], role: .weight)
        layout.add("g", [2], role: .norm)
        return layout
    }

    /// diag(A): rank-1 on each matrix (a_i b_j), arbitrary on the vectors.
    static func rankOneCurvature() -> [Double] {
        let a = [1.0, 2, 4, 8], b = [1.0, 1.5, 2, 2.5, 1.25], c = [0.5, 1, 3], e = [2.0, 0.25]
        var h: [Double] = []
        for i in 0..<4 { for j in 0..<5 { h.append(a[i] * b[j]) } }
        h += [1, 3, 5, 7, 9]
        for i in 0..<3 { for j in 0..<2 { h.append(c[i] * e[j]) } }
        h += [0.5, 2]
        return h
    }

    @Test func stateIsMPlusNPerMatrixPlusTheVectors() throws {
        let pf = ParameterSet<Float>(layout: Self.layout())
        let pd = ParameterSet<Double>(layout: Self.layout())
        let expected = (4 + 5) + 5 + (3 + 2) + 2
        #expect(try OptimizerRegistry.make("hizoo-l", parameters: pf).stateBytes == expected * 4)
        #expect(try OptimizerRegistry.make("hizoo-l", parameters: pd).stateBytes == expected * 8)
        #expect(try OptimizerRegistry.make("hizoo", parameters: pd).stateBytes == pd.count * 8)
    }

    @Test func factoredHessianEqualsTheDiagonalWhenItIsRankOne() throws {
        let p = ParameterSet<Double>(layout: Self.layout())
        let opt = try HiZOOL(parameters: p, configuration: HiZOOConfiguration(learningRate: 1e-3, alpha: 1))
        #expect(opt.hessianDiagonal().allSatisfy { $0 == 1 })   // initialised to h-init
        let truth = Self.rankOneCurvature()
        try opt.setHessianDiagonal(truth)
        for (h, t) in zip(opt.hessianDiagonal(), truth) { #expect(abs(h - t) <= 1e-14 * t) }
        // Not rank-1: the factoring is only an approximation.
        var other = truth
        other[0] = 30
        try opt.setHessianDiagonal(other)
        let error = zip(opt.hessianDiagonal(), other).map { abs($0 - $1) / $1 }.max()!
        #expect(error > 0.1)
    }

    @Test func emaOfRankOneEstimatesMatchesTheFullDiagonalEMA() throws {
        // Feeding the same rank-1 |Ĥ| to HiZOO (full diagonal) and HiZOO-L: with α = 1 both
        // hold exactly |Ĥ| after one step; with α = 0.1 both converge to it.
        let truth = Self.rankOneCurvature()
        for (alpha, steps, tolerance) in [(1.0, 1, 1e-14), (0.1, 400, 1e-12)] {
            let p = ParameterSet<Double>(layout: Self.layout())
            let factored = try HiZOOL(parameters: p, configuration: HiZOOConfiguration(learningRate: 1e-3, alpha: alpha))
            let full = try HiZOO(parameters: p, configuration: HiZOOConfiguration(learningRate: 1e-3, alpha: alpha))
            let signed = truth.enumerated().map { $0.offset % 3 == 0 ? -$0.element : $0.element }   // |·| is applied
            for _ in 0..<steps {
                factored.absorb(signed)
                full.absorb(signed)
            }
            for (a, b) in zip(factored.hessianDiagonal(), full.hessianDiagonal()) {
                #expect(abs(a - b) <= tolerance * b, "alpha \(alpha): \(a) vs \(b)")
            }
        }
    }

    @Test func vectorsAreSteppedExactlyAsHiZOOStepsThem() throws {
        var layout = ParameterLayout()
        layout.beginBlock("a")
        layout.add("x", [5], role: .bias)
        layout.beginBlock("b")
        layout.add("y", [3], role: .norm)
        let curvature = [1.0, 2, 3, 4, 5, 6, 7, 8]
        let f = LayoutQuadraticObjective<Float>(layout: layout, curvature: curvature)
        let g = LayoutQuadraticObjective<Float>(layout: layout, curvature: curvature)
        let c = HiZOOConfiguration(learningRate: 1e-2, mu: 1e-3, alpha: 0.1)
        let l = try HiZOOL(parameters: f.parameters, configuration: c)
        let h = try HiZOO(parameters: g.parameters, configuration: c)
        for t in 0..<20 {
            _ = try l.step(f, context: StepContext(step: t, runSeed: 5))
            _ = try h.step(g, context: StepContext(step: t, runSeed: 5))
        }
        #expect(f.parameters.snapshot() == g.parameters.snapshot())
        #expect(l.hessianDiagonal() == h.hessianDiagonal())
    }

    @Test func convergesWithinItsBudget() throws {
        // HiZOO-L's doc comment: W 4×5 with rank-1 curvature a_i b_j (κ = 20) plus a 5-vector,
        // θ₀ = 1, η = 0.1, μ = 1e-4, α = 0.01, seed 3: 2000 steps reach < 1e-3 of the start.
        var layout = ParameterLayout()
        layout.beginBlock("l0")
        layout.add("W", [4, 5], role: .weight)
        layout.add("b", [5], role: .bias)
        let a = [1.0, 2, 4, 8], b = [1.0, 1.5, 2, 2.5, 1.25]
        var curvature: [Double] = []
        for i in 0..<4 { for j in 0..<5 { curvature.append(a[i] * b[j]) } }
        curvature += [1, 3, 5, 7, 9]
        let f = LayoutQuadraticObjective<Double>(layout: layout, curvature: curvature)
        let start = try f.loss()
        let opt = try OptimizerRegistry.make("hizoo-l", options: ["lr": "0.1", "mu": "1e-4", "alpha": "0.01"],
                                             parameters: f.parameters)
        let r = try OptimizationRun.run(f, optimizer: opt, configuration: RunConfiguration(steps: 2000, seed: 3, evaluateEvery: 2000))
        let end = try #require(r.finalLoss)
        #expect(r.divergence == nil && end < 1e-3 * start, "start \(start), end \(end)")
        #expect(r.totalForwardPasses == 6000)
    }

    @Test func paperEstimatorIsUnbiasedWithAFactoredSigma() throws {
        // The estimate uses the factored H as Σ⁻¹; E[Ĥ] = diag(A) for any Σ.
        let curvature = Self.rankOneCurvature()
        let f = LayoutQuadraticObjective<Double>(layout: Self.layout(), curvature: curvature)
        let opt = try HiZOOL(parameters: f.parameters, configuration: HiZOOConfiguration(learningRate: 1e-3, alpha: 0))
        try opt.setHessianDiagonal(curvature.map { 2 * $0 })
        var stats = CoordinateMeans(count: curvature.count)
        for s in 0..<3000 { stats.add(try opt.estimate(f, key: NoiseKey(seed: 2, stream: UInt64(s))).hessian) }
        var outliers = 0
        for i in curvature.indices where abs(stats.mean[i] - curvature[i]) > 4 * stats.standardError[i] { outliers += 1 }
        #expect(outliers <= 1, "means \(stats.mean)")
    }

    @Test func blockStepsAndStateRoundTrip() throws {
        let curvature = Self.rankOneCurvature()
        let f = LayoutQuadraticObjective<Float>(layout: Self.layout(), curvature: curvature)
        let c = HiZOOConfiguration(learningRate: 1e-2, mu: 1e-3, alpha: 0.05)
        let a = try HiZOOL(parameters: f.parameters, configuration: c)
        let before = f.parameters.snapshot()
        _ = try a.step(f, context: StepContext(step: 0, runSeed: 6), blocks: [1], blockScales: nil)
        #expect(Array(f.parameters.snapshot()[0..<25]) == Array(before[0..<25]))
        #expect(Array(f.parameters.snapshot()[25...]) != Array(before[25...]))
        for t in 1..<15 { _ = try a.step(f, context: StepContext(step: t, runSeed: 6)) }
        let saved = a.saveState(), theta = f.parameters.snapshot()
        for t in 15..<30 { _ = try a.step(f, context: StepContext(step: t, runSeed: 6)) }
        let g = LayoutQuadraticObjective<Float>(layout: Self.layout(), curvature: curvature)
        g.parameters.assign(theta)
        let b = try HiZOOL(parameters: g.parameters, configuration: c)
        try b.loadState(saved)
        for t in 15..<30 { _ = try b.step(g, context: StepContext(step: t, runSeed: 6)) }
        #expect(g.parameters.snapshot() == f.parameters.snapshot())
        #expect(b.hessianDiagonal() == a.hessianDiagonal())
    }

    /// θ at the perturbed loss calls minus θ_t equals ±μ Σ^{1/2} u with u regenerated from the
    /// step's key and Σ^{1/2} = 1/√H from the (non-uniform) H set before the step — for HiZOO's
    /// full diagonal and HiZOO-L's factors alike.
    @Test(arguments: ["hizoo", "hizoo-l"])
    func regeneratedDirectionEqualsTheOneUsed(_ name: String) throws {
        let h = Self.rankOneCurvature()
        let start = (0..<h.count).map { 0.1 * Double($0 % 7) - 0.3 }
        let f = LayoutQuadratic<Double>(layout: Self.layout(), curvature: h, start: start)
        let opt = try #require(try OptimizerRegistry.make(name, options: ["lr": "1e-3", "mu": "1e-2", "alpha": "0.1"],
                                                         parameters: f.parameters) as? any DiagonalHessianEstimating<Double>)
        try opt.setHessianDiagonal(h)   // rank one per matrix: HiZOO-L holds it exactly too
        let sigmaSqrt = opt.hessianDiagonal().map { 1 / $0.squareRoot() }
        #expect(Set(sigmaSqrt.map { ($0 * 1e9).rounded() }).count > 10, "Σ must not be uniform")
        let key = NoiseKey(seed: 99, stream: 7)
        let u = Noise.values(Double.self, count: h.count, key: key)
        f.recordedPoints = []
        _ = try opt.step(f, context: StepContext(step: 7, runSeed: 99))
        let points = try #require(f.recordedPoints)
        #expect(points.count == 3 && points[0] == start)   // L₀ at θ_t, then L₊, L₋
        for i in h.indices {
            let v = 1e-2 * sigmaSqrt[i] * u[i]
            #expect(abs((points[1][i] - start[i]) - v) < 1e-14, "\(name) L₊ element \(i)")
            #expect(abs((points[2][i] - start[i]) + v) < 1e-14, "\(name) L₋ element \(i)")
        }
    }

    /// HiZOO-L under extreme losses (the HiZOO test's scripts): H stays finite and inside
    /// [h-min, h-max] in both precisions — clamped high when L₊ + L₋ − 2L₀ is huge, low when it
    /// is 0 or tiny, and untouched (step skipped) when the second difference overflows.
    @Test(arguments: HiZOOTests.extremeLossScripts)
    func factoredHessianNeverUnderflowsOrBecomesNonFinite(script: [Double], expected: Int) throws {
        try checkExtremeLosses(Double.self, script: script, expected: expected)
        try checkExtremeLosses(Float.self, script: script, expected: expected)
    }

    private func checkExtremeLosses<S: ZOScalar>(_: S.Type, script: [Double], expected: Int) throws {
        let f = ScriptedObjective<S>(layout: Self.layout(), script: script)
        var c = HiZOOConfiguration(learningRate: 1e-3, mu: 1e-3, alpha: 1)
        c.hMin = 1e-12
        c.hMax = 1e12
        let opt = try HiZOOL(parameters: f.parameters, configuration: c)
        // Vectors hold H in the parameter type (clamped to S(h-min) … S(h-max)); matrices form
        // H_ij = clamp(r_i c_j / Σr) in Double, so both roundings of the bounds can occur.
        let low = min(Double(S(1e-12)), 1e-12), high = max(Double(S(1e12)), 1e12)
        for t in 0..<3 {
            let r = try opt.step(f, context: StepContext(step: t, runSeed: 4))
            let h = opt.hessianDiagonal()
            #expect(h.allSatisfy { $0.isFinite && $0 >= low && $0 <= high }, "\(S.self) \(script) H \(h)")
            #expect(f.parameters.isFinite, "\(S.self) \(script): θ stays finite")
            switch expected {
            case 0:
                #expect(r.diagnostics["hessianSkipped"] == 1 && h.allSatisfy { $0 == 1 }, "\(S.self) \(script)")
            case 1:
                #expect(r.diagnostics["hessianClampedHigh"]! > 0, "\(S.self) \(script)")
                #expect(h.allSatisfy { abs($0 - high) <= 1e-6 * high }, "\(S.self) \(script) H \(h)")
            default:
                #expect(r.diagnostics["hessianClampedLow"]! > 0, "\(S.self) \(script)")
                #expect(h.allSatisfy { abs($0 - low) <= 1e-6 * low }, "\(S.self) \(script) H \(h)")
            }
        }
    }

    @Test func badOptionsAreRejected() throws {
        let p = ParameterSet<Float>(layout: Self.layout())
        for options in [["alpha": "2"], ["h-min": "5", "h-max": "4"], ["hessian-storage": "active"], ["mu": "nan"]] {
            #expect(throws: OptimizerError.self, "\(options)") { try OptimizerRegistry.make("hizoo-l", options: options, parameters: p) }
        }
    }
}
