import Testing
import ZOCore
@testable import ZOOptim

/// Each update rule against a hand computation from the recorded losses and the regenerated z.
@Suite("ZO family and baselines: update rules as documented")
struct ZOFamilyUpdateRuleTests {
    static func z(_ p: ParameterSet<Double>, seed: UInt64, step: Int) -> [Double] {
        StreamDirection<Double>(parameters: p).materialize(key: NoiseKey(seed: seed, stream: UInt64(step)), parameters: p)
    }

    @Test func momentumAccumulatesTheEstimates() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        let p = f.parameters
        let (eta, beta) = (0.01, 0.9)
        let opt = ZOSGDMomentum(parameters: p, learningRate: eta, epsilon: 1e-3, beta: beta)
        var theta = f.x, m = [Double](repeating: 0, count: p.count)
        for t in 0..<3 {
            let g = try opt.step(f, context: StepContext(step: t, runSeed: 4)).projectedGradients[0]
            let z = Self.z(p, seed: 4, step: t)
            for i in theta.indices {
                m[i] = beta * m[i] + g * z[i]
                theta[i] -= eta * m[i]
            }
            for i in theta.indices { #expect(abs(f.x[i] - theta[i]) < 1e-12, "step \(t) element \(i)") }
        }
    }

    @Test func zoAdamFirstStepIsEtaTimesTheSignOfTheEstimate() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        let theta0 = f.x
        let eta = 1e-3
        let opt = ZOAdam(parameters: f.parameters, learningRate: eta, epsilon: 1e-3)
        let g = try opt.step(f, context: StepContext(step: 0, runSeed: 5)).projectedGradients[0]
        let z = Self.z(f.parameters, seed: 5, step: 0)
        // t = 1: m̂ = ĝ, v̂ = ĝ², so the step is η ĝ/(|ĝ| + eps) ≈ η sign(ĝ).
        for i in theta0.indices {
            let gi = g * z[i]
            #expect(abs(f.x[i] - (theta0[i] - eta * gi / (abs(gi) + 1e-8))) < 1e-12)
        }
        #expect(opt.stateBytes == 2 * f.parameters.count * 8)
    }

    @Test func signMovesByEtaTimesZ() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 7, kappa: 3)
        let theta0 = f.x
        let opt = ZOSGDSign(parameters: f.parameters, learningRate: 0.05, epsilon: 1e-4)
        let g = try opt.step(f, context: StepContext(step: 2, runSeed: 6)).projectedGradients[0]
        let z = Self.z(f.parameters, seed: 6, step: 2)
        for i in theta0.indices { #expect(abs(f.x[i] - (theta0[i] - 0.05 * (g > 0 ? 1 : -1) * z[i])) < 1e-12) }
    }

    @Test func conservativeKeepsTheBestOfThreePoints() throws {
        var choices: Set<Double> = []
        // On a quadratic the SPSA sign is always right, so θ + ηgz never wins; a fine ripple
        // (period ≈ 6e-3, seen by ε = 1e-4 but not by the η-sized moves) makes all three outcomes occur.
        for (lr, seed) in [(0.02, 1), (5.0, 2), (0.3, 3), (50.0, 4)] as [(Double, UInt64)] {
            for step in 0..<6 {
                let f = RippledQuadratic(d: 5)
                let theta0 = f.x
                let opt = ZOSGDConservative(parameters: f.parameters, learningRate: lr, epsilon: 1e-4)
                let report = try opt.step(f, context: StepContext(step: step, runSeed: seed))
                let (l0, la, lb) = (report.losses[0], report.losses[3], report.losses[4])
                let choice = report.diagnostics["choice"]!
                choices.insert(choice)
                let expected = choice == 1 ? la : (choice == 0 ? l0 : lb)
                #expect(expected == [l0, la, lb].min()!)
                let d = lr * report.projectedGradients[0]
                let z = Self.z(f.parameters, seed: seed, step: step)
                for i in theta0.indices {
                    #expect(abs(f.x[i] - (theta0[i] - choice * d * z[i])) < 1e-9 * max(1, abs(d)))
                }
            }
        }
        #expect(choices == [1, 0, -1])   // the cases exercised all three outcomes
    }

    @Test func conservativeNeverKeepsANonFiniteCandidate() throws {
        let f = QuadraticObjective<Double>.diagonal(d: 5, kappa: 4)
        f.nanAfterCalls = 3   // L₀, L₊, L₋ fine; both candidates NaN
        let theta0 = f.x
        let report = try ZOSGDConservative(parameters: f.parameters, learningRate: 0.1)
            .step(f, context: StepContext(step: 0, runSeed: 1))
        #expect(report.diagnostics["choice"] == 0)
        for (a, b) in zip(f.x, theta0) { #expect(abs(a - b) < 1e-14) }
    }

    @Test func sgdNesterovMatchesTorchsFormula() throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        let (eta, mu, lambda) = (0.05, 0.8, 0.01)
        let opt = SGD(parameters: f.parameters, learningRate: eta, momentum: mu, nesterov: true, weightDecay: lambda)
        var theta = f.x, b = [Double](repeating: 0, count: theta.count)
        let decays = f.parameters.tensors.flatMap { [Bool](repeating: $0.role.decaysByDefault, count: $0.count) }
        for t in 0..<3 {
            _ = try opt.step(f, context: StepContext(step: t, runSeed: 1))
            for i in theta.indices {
                let g = f.curvature[i] * theta[i] + (decays[i] ? lambda * theta[i] : 0)
                b[i] = mu * b[i] + g
                theta[i] -= eta * (g + mu * b[i])
            }
            for i in theta.indices { #expect(abs(f.x[i] - theta[i]) < 1e-12) }
        }
    }

    /// Adam / AdamW against a plain Float64 transcription of torch's update (3 steps, decay on).
    @Test(arguments: [false, true])
    func adamMatchesTorchsFormula(_ decoupled: Bool) throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        let (eta, b1, b2, eps, lambda) = (0.01, 0.9, 0.999, 1e-8, 0.3)
        let opt = try OptimizerRegistry.make(decoupled ? "adamw" : "adam",
                                             options: ["lr": "\(eta)", "weight-decay": "\(lambda)"], parameters: f.parameters)
        let decays: [Bool] = f.parameters.tensors.flatMap { t in
            [Bool](repeating: decoupled ? t.shape.rank >= 2 : t.role.decaysByDefault, count: t.count)
        }
        var theta = f.x
        var m = [Double](repeating: 0, count: theta.count), v = m
        for t in 1...3 {
            _ = try opt.step(f, context: StepContext(step: t - 1, runSeed: 1))
            for i in theta.indices {
                var g = f.curvature[i] * theta[i]
                if decays[i] && !decoupled { g += lambda * theta[i] }
                if decays[i] && decoupled { theta[i] *= 1 - eta * lambda }
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                let denominator = v[i].squareRoot() / (1 - Double.pow(b2, Double(t))).squareRoot() + eps
                theta[i] -= eta / (1 - Double.pow(b1, Double(t))) * m[i] / denominator
            }
            for i in theta.indices { #expect(abs(f.x[i] - theta[i]) < 1e-13, "step \(t) element \(i)") }
        }
    }

    /// A test function's coordinates (role `.coordinates`) are in the default decay group:
    /// on a constant loss (g = 0) one step with λ = 0.5, η = 0.1 scales θ by 1 − ηλ = 0.95
    /// under the default `decay-groups`, and leaves it alone with `decay-groups none`.
    @Test(arguments: ["mezo", "zo-sgd-sign", "sparse-mezo", "subzero", "hizoo", "sgd"])
    func testFunctionCoordinatesDecayByDefault(_ name: String) throws {
        #expect(TensorRole.coordinates.decaysByDefault)
        for groups in ["weights", "none"] {
            let f = QuadraticObjective<Double>(curvature: [Double](repeating: 0, count: 8),
                                               start: (0..<8).map { Double($0) - 3.5 })
            #expect(f.parameters.tensors.allSatisfy { $0.role == .coordinates })
            var options = ["lr": "0.1", "weight-decay": "0.5", "decay-groups": groups]
            if name == "sparse-mezo" { options["sparsity"] = "0" }
            if name == "subzero" { options["rank"] = "1" }
            let theta0 = f.x
            let opt = try OptimizerRegistry.make(name, options: options, parameters: f.parameters)
            _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
            for i in theta0.indices {
                let expected = groups == "weights" ? theta0[i] * 0.95 : theta0[i]
                #expect(abs(f.x[i] - expected) < 1e-12, "\(name) decay-groups \(groups), element \(i): \(f.x[i]) vs \(expected)")
            }
        }
    }

    @Test func adamWDecaysOnlyMatricesByDefault() throws {
        // Zero curvature: the gradient vanishes, m = v = 0, so only the decoupled decay moves θ.
        let shape = LayoutQuadratic<Double>.twoLayer(rows: 3, cols: 2)
        var layout = ParameterLayout()
        for b in shape.parameters.blocks {
            layout.beginBlock(b.name)
            for t in b.tensors { layout.add(shape.parameters.tensors[t].name, shape.parameters.tensors[t].shape, role: shape.parameters.tensors[t].role) }
        }
        let f = LayoutQuadratic<Double>(layout: layout, curvature: [Double](repeating: 0, count: shape.parameters.count),
                                        center: shape.x, start: shape.x)
        let theta0 = f.x
        let opt = try OptimizerRegistry.make("adamw", options: ["lr": "0.1", "weight-decay": "0.5"], parameters: f.parameters)
        _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        for tensor in f.parameters.tensors {
            for i in tensor.range {
                let expected = tensor.isMatrix ? theta0[i] * (1 - 0.05) : theta0[i]
                #expect(abs(f.x[i] - expected) < 1e-15, "\(tensor.name)")
            }
        }
    }

    @Test(arguments: ["adam", "zo-adam", "zo-sgd-mmt"])
    func blockSwitchesResetEnteringStateAndReleaseLeavingState(_ name: String) throws {
        let f = LayoutQuadratic<Double>.twoLayer(rows: 4, cols: 3)
        let p = f.parameters
        let opt = try OptimizerRegistry.make(name, options: ["lr": "1e-2"], parameters: p) as! any BlockwiseOptimizer<Double>
        let buffers = name == "zo-sgd-mmt" ? 1 : 2
        let size0 = p.blocks[0].count, size1 = p.blocks[1].count
        _ = try opt.step(f, context: StepContext(step: 0, runSeed: 1))
        #expect(opt.stateBytes == buffers * (size0 + size1) * 8)

        opt.activeBlocksChanged(to: [1])
        #expect(opt.stateBytes == buffers * size1 * 8)
        let before0 = Array(f.x[p.blocks[0].range])
        let report = try opt.step(f, context: StepContext(step: 1, runSeed: 1), blocks: [1], blockScales: nil)
        #expect(report.activeBlocks == [1] && report.stateBytes == buffers * size1 * 8)
        #expect(Array(f.x[p.blocks[0].range]) == before0)
        let kept = opt.saveState()
        #expect(kept.integers["steps/1"] == 2 && kept.integers["steps/0"] == 0)
        #expect(kept.buffers.keys.allSatisfy { $0.hasSuffix("/1") })

        opt.activeBlocksChanged(to: [0, 1])   // block 0 enters: fresh zeros, t = 0; block 1 keeps its moments
        let state = opt.saveState()
        let first = name == "zo-sgd-mmt" ? "momentum" : "m"
        #expect(state.buffers["\(first)/0"]!.allSatisfy { $0 == 0 } && state.integers["steps/0"] == 0)
        #expect(state.buffers["\(first)/1"] == kept.buffers["\(first)/1"] && state.integers["steps/1"] == 2)
        #expect(opt.stateBytes == buffers * (size0 + size1) * 8)

        // A step on a block whose state was released (no announcement) starts it afresh: t = 1.
        opt.activeBlocksChanged(to: [1])
        _ = try opt.step(f, context: StepContext(step: 2, runSeed: 1), blocks: [0], blockScales: nil)
        #expect(opt.saveState().integers["steps/0"] == 1)
    }

    @Test(arguments: ["zo-sgd-mmt", "zo-sgd-cons", "zo-sgd-sign", "zo-adam", "adam", "adamw"])
    func blockRestrictedStepsLeaveInactiveBlocksBitIdentical(_ name: String) throws {
        let f = LayoutQuadratic<Float>.twoLayer(rows: 4, cols: 3)
        let p = f.parameters
        let opt = try OptimizerRegistry.make(name, options: ["lr": "0.05"], parameters: p) as! any BlockwiseOptimizer<Float>
        let before = p.snapshot()
        let report = try opt.step(f, context: StepContext(step: 0, runSeed: 13), blocks: [0], blockScales: [1.5])
        let after = p.snapshot()
        #expect(report.activeBlocks == [0])
        #expect(Array(after[p.blocks[1].range]) == Array(before[p.blocks[1].range]))
        if name != "zo-sgd-cons" || report.diagnostics["choice"] != 0 {
            #expect(Array(after[p.blocks[0].range]) != Array(before[p.blocks[0].range]))
        }
    }
}

@Suite("ZO family and baselines: the registry refuses bad input")
struct ZOFamilyRegistryTests {
    static let p = LayoutQuadratic<Double>.twoLayer(rows: 5, cols: 3).parameters

    static func rejects(_ name: String, _ options: [String: String]) -> Bool {
        do { _ = try OptimizerRegistry.make(name, options: options, parameters: p); return false } catch is OptimizerError {
            return true
        } catch { return false }
    }

    @Test(arguments: ZOFamilyTesting.methods.map(\.name))
    func negativeZeroAndNonFiniteRatesAreRejected(_ name: String) {
        for bad in ["-1", "0", "-0.001", "nan", "inf", "-inf", "fast"] {
            #expect(Self.rejects(name, ["lr": bad]), "\(name) lr = \(bad)")
        }
        #expect(Self.rejects(name, ["learning-rate": "1e-3"]), "\(name): unknown option")
        if ZOFamilyStructureTests.expectedPasses[name]!.backward == 0 {
            for bad in ["0", "-1e-3", "nan"] { #expect(Self.rejects(name, ["eps": bad]), "\(name) eps = \(bad)") }
        }
    }

    @Test func sparsityOutsideTheUnitIntervalIsRejected() {
        for bad in ["-0.1", "1", "1.5", "nan", "inf"] { #expect(Self.rejects("sparse-mezo", ["sparsity": bad]), "\(bad)") }
        for good in ["0", "0.75", "0.999"] { #expect(!Self.rejects("sparse-mezo", ["sparsity": good]), "\(good)") }
        #expect(Self.rejects("sparse-mezo", ["threshold-refresh": "-1"]))
        #expect(Self.rejects("sparse-mezo", ["threshold-refresh": "2.5"]))
    }

    @Test func subZeroRankAndPeriodAreChecked() {
        #expect(Self.rejects("subzero", ["rank": "4"]))      // > min(5, 3)
        #expect(!Self.rejects("subzero", ["rank": "3"]))
        #expect(!Self.rejects("subzero", ["rank": "4", "cap-rank": "true"]))
        for bad in ["0", "-2", "1.5"] {
            #expect(Self.rejects("subzero", ["rank": bad]), "rank \(bad)")
            #expect(Self.rejects("subzero", ["period": bad]), "period \(bad)")
        }
        #expect(Self.rejects("subzero", ["z-scale": "sqrt"]))
        #expect(Self.rejects("subzero", ["reshape": "vectors"]))
        #expect(throws: OptimizerError.self) { try SubZero(parameters: Self.p, learningRate: 1, rank: 0) }
        #expect(throws: OptimizerError.self) { try SubZero(parameters: Self.p, learningRate: 1, rank: 1, period: 0) }
    }

    @Test func momentsAndMomentumMustLieInTheUnitInterval() {
        for bad in ["1", "-0.1", "1.5"] {
            #expect(Self.rejects("zo-sgd-mmt", ["beta": bad]))
            #expect(Self.rejects("zo-adam", ["beta1": bad]) && Self.rejects("zo-adam", ["beta2": bad]))
            #expect(Self.rejects("adam", ["beta1": bad]) && Self.rejects("adamw", ["beta2": bad]))
            #expect(Self.rejects("sgd", ["momentum": bad]))
        }
        #expect(Self.rejects("sgd", ["nesterov": "true"]))               // needs momentum > 0
        #expect(!Self.rejects("sgd", ["nesterov": "true", "momentum": "0.9"]))
        #expect(Self.rejects("newton", ["indefinite": "ignore"]) && Self.rejects("newton", ["damping": "-1"]))
        #expect(Self.rejects("diag-newton", ["floor": "0"]))
        #expect(Self.rejects("adamw", ["decay-groups": "biases"]))
        #expect(Self.rejects("zo-adam", ["adam-eps": "0"]))
    }
}

/// ½ Σ λᵢ θᵢ² + 0.05 Σ sin(1000 θᵢ): a quadratic whose ε-scale slopes mislead SPSA.
final class RippledQuadratic: Objective {
    typealias Scalar = Double
    let parameters: ParameterSet<Double>
    init(d: Int) { parameters = ParameterSet(vector: (0..<d).map { 1 + 0.1 * Double($0) }) }
    var x: [Double] { parameters.snapshot() }
    func loss() throws -> Double {
        x.enumerated().reduce(0) { s, e in s + 0.5 * Double(e.offset + 1) * e.element * e.element + 0.05 * Double.sin(1000 * e.element) }
    }
}
